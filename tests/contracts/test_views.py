"""The contract register pages: filters, totals, exports, the form with lines, the import."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract, ContractLine
from providers.models import CommissioningTeam, Provider, Service
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LIST = reverse("contracts:contract_list")


def references(response):
    return [row.record.reference for row in response.context["table"].paginated_rows]


@pytest.fixture
def estate(db):
    women = CommissioningTeam.objects.get(code="women_children")
    return {
        "big": ContractFactory(
            reference="BIG",
            annual_value=Decimal("45000000"),
            total_value=Decimal("90000000"),
            end_date=date(2027, 3, 31),
        ),
        "strategic": ContractFactory(
            reference="STRAT",
            annual_value=Decimal("2000000"),
            total_value=Decimal("2000000"),
            strategic_importance=True,
            end_date=date(2029, 3, 31),
        ),
        "middle": ContractFactory(
            reference="MID",
            annual_value=Decimal("12000000"),
            total_value=Decimal("36000000"),
            commissioning_team=women,
            end_date=date(2028, 3, 31),
        ),
        "small": ContractFactory(
            reference="SMALL",
            annual_value=Decimal("900000"),
            total_value=Decimal("900000"),
            contract_type="grant",
            end_date=date(2029, 3, 31),
            renewal_date=date(2027, 1, 31),
        ),
        "expired": ContractFactory(
            reference="OLD",
            status="expired",
            annual_value=Decimal("100"),
            total_value=Decimal("100"),
            start_date=date(2020, 4, 1),
            end_date=date(2023, 3, 31),
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "1"}, ["BIG", "STRAT"]),
        ({"tier": "2"}, ["MID"]),
        ({"tier": "3"}, ["OLD", "SMALL"]),
        ({"renewal": "6"}, ["BIG", "SMALL"]),  # renewal date wins over end date; expired ignored
        ({"renewal": "12"}, ["BIG", "SMALL"]),
        ({"renewal": "overdue"}, []),
        ({"status": "expired"}, ["OLD"]),
        ({"contract_type": "grant"}, ["SMALL"]),
        ({"strategic": "yes"}, ["STRAT"]),
        ({"q": "mid"}, ["MID"]),
    ],
)
@time_machine.travel(date(2026, 11, 22))
def test_register_filters(as_user, estate, params, expected):
    response = as_user("team_member").get(LIST, params)
    assert sorted(references(response)) == expected


@time_machine.travel(date(2026, 11, 22))
def test_team_and_provider_filters_and_totals_of_the_filtered_list(as_user, estate):
    client = as_user("team_member")
    women = CommissioningTeam.objects.get(code="women_children")
    response = client.get(LIST, {"commissioning_team": women.pk})
    assert references(response) == ["MID"]
    assert response.context["totals"] == {"count": 1, "annual": Decimal("12000000"), "total": Decimal("36000000")}
    assert "£12,000,000" in response.content.decode()
    response = client.get(LIST, {"provider": estate["big"].provider.pk})
    assert references(response) == ["BIG"]
    everything = client.get(LIST).context["totals"]
    assert everything["count"] == 5
    assert everything["annual"] == Decimal("59900100")


@time_machine.travel(date(2026, 11, 22))
def test_the_list_flags_renewals_due_within_six_months(as_user, estate):
    page = as_user("team_member").get(LIST).content.decode()
    rows = {ref: page.split(f">{ref}</a>")[1].split("</tr>")[0] for ref in ("BIG", "MID", "OLD")}
    assert "Renewal due soon" in rows["BIG"]
    assert "Renewal" not in rows["MID"].split("2028")[1]
    assert "Renewal due soon" not in rows["OLD"]  # expired contracts are not flagged


def test_list_query_count_does_not_grow_with_contracts(as_user, django_assert_max_num_queries):
    client = as_user("team_member")
    for _ in range(3):
        ContractFactory()
    with django_assert_max_num_queries(14) as small:
        client.get(LIST)
    for _ in range(20):
        ContractFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST)


@time_machine.travel(date(2026, 11, 22))
def test_csv_export_follows_the_filters_and_neutralises_formulas(as_user, estate):
    estate["big"].title = '=HYPERLINK("http://evil")'
    estate["big"].save()
    ContractLineFactory(contract=estate["big"], service=ServiceFactory(code="tavi"))
    response = as_user("team_member").get(LIST, {"tier": "1", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Reference", "Provider code", "Provider"]
    assert sorted(r[0] for r in body) == ["BIG", "STRAT"]
    big = dict(zip(header, next(r for r in body if r[0] == "BIG"), strict=True))
    assert big["Title"] == '\'=HYPERLINK("http://evil")'
    assert big["Value tier"] == "1"
    assert big["Renewal due within six months"] == "Yes"
    assert big["Services"] == "tavi"


def test_xlsx_export_has_one_row_per_filtered_contract(as_user, estate):
    response = as_user("team_member").get(LIST, {"status": "active", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert sorted(r[0] for r in rows[1:]) == ["BIG", "MID", "SMALL", "STRAT"]
    annual = {r[0]: r[7] for r in rows[1:]}
    assert annual["MID"] == 12000000


def contract_post(provider_obj, team, **overrides):
    data = {
        "reference": "NEW-001",
        "provider": provider_obj.pk,
        "title": "New cardiac contract",
        "contract_type": "sla",
        "status": "active",
        "commissioning_team": team.pk,
        "annual_value": "12000000",
        "total_value": "36000000",
        "start_date": "2026-04-01",
        "end_date": "2029-03-31",
        "renewal_date": "",
        "service_area": "Cardiac",
        "service_description": "",
        "operational_lead": "Huw Lewis",
        "contractual_lead": "Nia Price",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_contract_with_lines(as_user):
    client = as_user("administrator")
    provider = ProviderFactory()
    team = CommissioningTeam.objects.get(code="cardiac")
    tavi = ServiceFactory(code="tavi")
    response = client.post(
        reverse("contracts:contract_create"),
        contract_post(
            provider,
            team,
            **{"lines-0-service": tavi.pk, "lines-0-planned_activity": "120", "lines-0-planned_cost": "3000000"},
        ),
        follow=True,
    )
    contract = Contract.objects.get(reference="NEW-001")
    assert response.redirect_chain[-1][0] == contract.get_absolute_url()
    page = response.content.decode()
    assert "has been saved" in page
    assert "Tier 2" in page and "Bi-annual SLA meeting" in page
    line = contract.lines.get()
    assert (line.service, line.planned_activity, line.planned_cost) == (tavi, 120, Decimal("3000000"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2025-01-01"}, "end_date", "on or after the start date"),
        ({"total_value": "100"}, "total_value", "at least the annual value"),
        ({"annual_value": "-5", "total_value": "10"}, "annual_value", "greater than or equal to 0"),
        ({"reference": "TAKEN"}, "reference", "A contract with this reference already exists"),
        ({"title": ""}, "title", "Enter the title."),
        ({"provider": ""}, "provider", "Select the provider."),
    ],
)
def test_invalid_contracts_are_refused_with_a_clear_message(as_user, overrides, field, message):
    client = as_user("administrator")
    ContractFactory(reference="TAKEN")
    provider = ProviderFactory()
    team = CommissioningTeam.objects.get(code="cardiac")
    response = client.post(reverse("contracts:contract_create"), contract_post(provider, team, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'value="Huw Lewis"' in page  # what the user typed is kept
    assert Contract.objects.count() == 1


def test_the_same_service_twice_on_one_contract_is_refused(as_user):
    client = as_user("administrator")
    tavi = ServiceFactory()
    response = client.post(
        reverse("contracts:contract_create"),
        contract_post(
            ProviderFactory(),
            CommissioningTeam.objects.get(code="cardiac"),
            **{"lines-0-service": tavi.pk, "lines-1-service": tavi.pk},
        ),
    )
    assert response.status_code == 200
    assert not Contract.objects.exists() and not ContractLine.objects.exists()


def test_editing_a_contract_and_its_lines_is_kept_in_the_history(as_user, administrator):
    client = as_user("administrator")
    line = ContractLineFactory(contract__annual_value=Decimal("5000000"))
    contract = line.contract
    data = contract_post(
        contract.provider,
        contract.commissioning_team,
        reference=contract.reference,
        title=contract.title,
        annual_value="6000000",
        total_value="18000000",
        start_date="2024-04-01",
        end_date="2027-03-31",
    )
    data.update(
        {
            "lines-TOTAL_FORMS": "4",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": line.pk,
            "lines-0-contract": contract.pk,
            "lines-0-service": line.service.pk,
            "lines-0-DELETE": "on",
        }
    )
    response = client.post(reverse("contracts:contract_update", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("6000000")
    assert not contract.lines.exists()
    history = client.get(contract.get_absolute_url()).content.decode().split("Change history")[1]
    assert "Annual value" in history and "6000000" in history
    assert "Deleted: " + str(line.service) in history
    assert administrator.get_full_name() in history


def test_deleting_a_contract(as_user):
    client = as_user("administrator")
    contract = ContractFactory()
    assert "Are you sure" in client.get(reverse("contracts:contract_delete", args=[contract.pk])).content.decode()
    response = client.post(reverse("contracts:contract_delete", args=[contract.pk]), follow=True)
    assert not Contract.objects.exists()
    assert "has been deleted" in response.content.decode()


IMPORT = reverse("assurance:register_import")


def upload(client, name, text, kind, save=True):
    """Upload a file: it is checked in a job (assurance.uploads), whose page shows what it would
    change; with `save`, "Save these changes" there. Returns the page the person ends on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(IMPORT, {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"))}, follow=True)
    job = response.context.get("job")
    if save and job is not None and job.outcome == "checked":
        response = client.post(job.get_absolute_url(), {"action": "save"}, follow=True)
    return response


PROVIDERS_CSV = "code,name,sector,country,regulator,intervention_level\n7A1,Betsi,nhs_wales,wales,hiw,routine\n"


def test_upload_is_checked_first_and_saves_nothing_until_confirmed(as_user):
    client = as_user("administrator")
    response = upload(client, "providers.csv", PROVIDERS_CSV, "providers", save=False)
    page = " ".join(response.content.decode().split())
    assert "1 row checked: 1 would be created, 0 updated and 0 left unchanged. Nothing has been saved yet." in page
    assert not Provider.objects.exists()


def test_upload_saves_a_good_file_and_says_so(as_user):
    client = as_user("administrator")
    response = upload(client, "providers.csv", "\ufeff" + PROVIDERS_CSV.replace("\n", "\r\n"), "providers")
    assert response.redirect_chain[-1][0] == reverse("providers:provider_list")
    assert "1 rows imported: 1 created" in response.content.decode()
    assert Provider.objects.get().code == "7A1"


def test_upload_lists_every_bad_row_by_line_and_saves_nothing(as_user):
    client = as_user("administrator")
    text = PROVIDERS_CSV + "RBS,,nhs_england,england,cqc,routine\nRQ3,BWC,nhs_england,mars,cqc,routine\n"
    response = upload(client, "providers.csv", text, "providers")
    page = response.content.decode()
    assert "has 2 problems. Nothing was saved." in page
    assert "line 3" in page and "line 4" in page
    assert not Provider.objects.exists()


def test_upload_accepts_xlsx(as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["code", "name", "commissioning_team"])
    workbook.active.append(["tavi", "TAVI", "cardiac"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = as_user("administrator")
    response = client.post(
        IMPORT, {"kind": "services", "file": SimpleUploadedFile("services.xlsx", buffer.getvalue())}, follow=True
    )
    client.post(response.context["job"].get_absolute_url(), {"action": "save"})
    assert Service.objects.get().code == "tavi"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("register.pdf", b"%PDF-1.4", "Upload a CSV (.csv) or Excel (.xlsx) file."),
        ("providers.csv", b"", "The selected file is empty."),
        ("providers.csv", "code,name\nx,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("providers.csv", b"code,name\n7A1,Betsi\n", "missing required columns: sector, country"),
    ],
)
def test_upload_refuses_unusable_files_with_a_reason(as_user, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("administrator")
    response = client.post(IMPORT, {"kind": "providers", "file": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    if response.redirect_chain:  # refused by the job that read it, on its page
        assert message in response.context["result"]["file_error"]
        assert "Nothing was saved" in response.content.decode()
    else:  # refused by the form, before any job
        assert message in " ".join(response.context["form"].errors["file"])
    assert not Provider.objects.exists()


def test_upload_refuses_oversized_files(as_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_IMPORT_FILE_BYTES = 100
    client = as_user("administrator")
    response = client.post(
        IMPORT, {"kind": "providers", "file": SimpleUploadedFile("p.csv", PROVIDERS_CSV.encode() * 10)}
    )
    assert "larger than" in " ".join(response.context["form"].errors["file"])


def test_errors_in_contract_lines_are_in_the_page_error_summary(as_user):
    client = as_user("administrator")
    tavi = ServiceFactory(name="TAVI")
    response = client.post(
        reverse("contracts:contract_create"),
        contract_post(
            ProviderFactory(),
            CommissioningTeam.objects.get(code="cardiac"),
            **{"lines-0-service": tavi.pk, "lines-1-service": tavi.pk, "lines-1-planned_cost": "-5"},
        ),
    )
    page = response.content.decode()
    summary = page.split('class="nhsuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_lines-1-service"' in summary
    assert "Line 2: TAVI is already on line 1." in summary
    assert 'href="#id_lines-1-planned_cost"' in summary
    assert not Contract.objects.exists()
