"""The actuals grid, the financial position page and its downloads, the return form's derived rows."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assurance.models import PeriodLock
from contracts.models import LineActual
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(db):
    """A Cardiac (Alice's team) contract for 2026/27 with two lines."""
    c = ContractFactory(
        reference="C-1",
        provider=ProviderFactory(code="RX1", name="Riverside Heart Trust"),
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
    )
    ContractLineFactory(
        contract=c,
        service=ServiceFactory(code="CARD", name="Cardiology"),
        planned_activity=1200,
        planned_cost=Decimal("120000"),
    )
    ContractLineFactory(
        contract=c,
        service=ServiceFactory(code="TAVI", name="TAVI"),
        planned_activity=120,
        planned_cost=Decimal("60000"),
    )
    return c


def cells(contract, month, activity, cost, service="CARD"):
    line = contract.lines.get(service__code=service)
    return {f"a-{line.pk}-{month}": activity, f"c-{line.pk}-{month}": cost}


def version(contract, year=2026):
    """The version the grid's form carries when opened (its optimistic lock)."""
    from assurance.actuals import actuals_version
    from providers.periods import financial_year_months

    return actuals_version(contract, financial_year_months(date(year, 4, 1)))


def test_team_member_enters_actuals_in_the_grid(as_user, contract):
    client = as_user("team_member")
    url = f"/contracts/{contract.pk}/actuals/?year=2026"
    page = client.get(url).content.decode()
    assert "Activity and cost, 2026/27" in page and 'name="a-' in page
    response = client.post(
        url, {"year": "2026", "version": version(contract), **cells(contract, "2026-04", "110", "£12,500.50")}
    )
    assert response.status_code == 302
    actual = LineActual.objects.get()
    assert (actual.period, actual.activity, actual.cost) == (date(2026, 4, 1), 110, Decimal("12500.50"))
    assert actual.history.get().history_user.username == "alice"  # audited
    page = client.get(url).content.decode()
    assert "Year to date at April 2026" in page
    # Blanking both cells removes the month's actuals (kept in the history)
    client.post(url, {"year": "2026", "version": version(contract), **cells(contract, "2026-04", "", "")})
    assert not LineActual.objects.exists()
    assert LineActual.history.count() == 2


@pytest.mark.parametrize(
    ("activity", "cost", "message"),
    [
        ("10", "", "Enter both the activity and the cost"),
        ("1.5", "100", "Enter a whole number"),
        ("10", "-1", "greater than or equal to 0"),
    ],
)
def test_grid_refuses_bad_cells_and_saves_nothing(as_user, contract, activity, cost, message):
    client = as_user("team_member")
    data = {
        "year": "2026",
        **cells(contract, "2026-04", "5", "500", "TAVI"),
        **cells(contract, "2026-05", activity, cost),
    }
    page = client.post(f"/contracts/{contract.pk}/actuals/", data).content.decode()
    assert "There is a problem. Nothing was saved." in page and message in page
    assert not LineActual.objects.exists()


def test_locked_months_are_shown_but_not_editable(as_user, contract):
    PeriodLock.objects.create(period=date(2026, 5, 1), locked=True)
    client = as_user("team_member")
    line = contract.lines.get(service__code="CARD")
    page = client.get(f"/contracts/{contract.pk}/actuals/?year=2026").content.decode()
    assert f'name="a-{line.pk}-2026-04"' in page and f'name="a-{line.pk}-2026-05"' not in page
    assert "(locked)" in page
    client.post(f"/contracts/{contract.pk}/actuals/", {"year": "2026", **cells(contract, "2026-05", "1", "1")})
    assert not LineActual.objects.exists()


def test_directors_read_the_grid_without_inputs(as_user, contract):
    page = as_user("service_director").get(f"/contracts/{contract.pk}/actuals/?year=2026").content.decode()
    assert "Activity and cost, 2026/27" in page and 'name="a-' not in page


@pytest.fixture
def recorded(contract):
    """April and May recorded: cardiology over plan on cost; TAVI on plan."""
    card, tavi = contract.lines.get(service__code="CARD"), contract.lines.get(service__code="TAVI")
    for month, (activity, cost) in {date(2026, 4, 1): (100, "12000"), date(2026, 5, 1): (100, "13000")}.items():
        LineActual.objects.create(line=card, period=month, activity=activity, cost=Decimal(cost))
        LineActual.objects.create(line=tavi, period=month, activity=10, cost=Decimal("5000"))
    other = ContractFactory(reference="C-2", provider=ProviderFactory(code="RX2", name="Under Trust"))
    line = ContractLineFactory(
        contract=other, service=ServiceFactory(code="X"), planned_activity=12, planned_cost=12000
    )
    LineActual.objects.create(line=line, period=date(2026, 5, 1), activity=1, cost=Decimal("900"))
    return contract


def test_financial_position_shows_totals_and_biggest_variance_first(as_user, recorded):
    page = as_user("service_director").get("/finance/?period=2026-05").content.decode()
    assert "Financial position, May 2026" in page
    # RX1: plan 2 x (10,000 + 5,000) = 30,000, actual 35,000: £5,000 over (16.7%).
    # RX2: plan 2 x 1,000, April missing (zero) and £900 in May: £1,100 under (55.0%).
    assert page.index("Riverside Heart Trust") < page.index("Under Trust")
    assert "£5,000.00 (16.7%)" in page and "Over plan" in page
    assert "£-1,100.00 (-55.0%)" in page and "Under plan" in page
    # the chart's data as a table: cumulative plan to May and the straight-line forecast to March
    assert 'id="estate-series"' in page and "2027-03" in page
    filtered = as_user("service_director").get("/finance/?period=2026-05&provider=RX2").content.decode()
    table = filtered[filtered.index('id="finance-providers"') :]
    assert "Under Trust" in table and "Riverside Heart Trust" not in table


def test_financial_position_for_a_contract_has_its_chart_and_table(as_user, recorded):
    page = as_user("team_member").get(f"/finance/?period=2026-05&contract={recorded.pk}").content.decode()
    assert "Cumulative cost for C-1" in page and 'id="contract-series"' in page and 'id="contract-figure"' in page


def test_financial_position_downloads(as_user, recorded):
    client = as_user("administrator")
    rows = list(csv.reader(io.StringIO(client.get("/finance/csv/?period=2026-05").content.decode())))
    assert rows[0][:4] == ["provider_code", "provider_name", "period", "plan_activity_ytd"]
    assert rows[1][0] == "RX1" and rows[1][9] == "5000.00" and rows[2][0] == "RX2"
    workbook = load_workbook(io.BytesIO(client.get("/finance/xlsx/?period=2026-05").content))
    assert workbook.worksheets[0]["A2"].value == "RX1"


def test_financial_position_with_nothing_recorded_says_so(as_user, db):
    page = as_user("administrator").get("/finance/").content.decode()
    assert "there is no position to show" in page


def test_return_form_shows_derived_indicators_read_only(as_user, recorded):
    IndicatorFactory(
        code="COST",
        name="Cost against plan (%)",
        area="finance_activity",
        unit="percent_of_plan",
        polarity="lower_better",
        target=Decimal("100"),
        amber_threshold=Decimal("105"),
        source="cost_against_plan",
    )
    page = as_user("team_member").get("/returns/RX1/2026-05/").content.decode()
    assert "Derived from contract activity and cost" in page
    assert "116.7%" in page  # 35,000 / 30,000


def test_team_template_lists_live_unlocked_months_and_uploads_back(as_user, recorded):
    PeriodLock.objects.create(period=date(2026, 6, 1), locked=True)
    client = as_user("team_member")
    content = client.get("/actuals/template/?team=cardiac&year=2026").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert {r[2] for r in rows if r[0] == "C-1"} == {f"2026-{m:02d}" for m in (4, 5, 7, 8, 9, 10, 11, 12)} | {
        "2027-01",
        "2027-02",
        "2027-03",
    }  # June is locked
    april = next(r for r in rows if r[:3] == ["C-1", "CARD", "2026-04"])
    assert april[3:5] == [100, 12000] and april[7:9] == [100, 10000]  # recorded, and the monthly plan
    sheet.cell(row=rows.index(april) + 2, column=5, value=12500)
    out = io.BytesIO()
    sheet.parent.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "activity-cardiac.xlsx"
    response = client.post("/actuals/upload/", {"kind": "activity", "file": upload})
    assert response.status_code == 302
    card = recorded.lines.get(service__code="CARD")
    assert LineActual.objects.get(line=card, period=date(2026, 4, 1)).cost == Decimal("12500.00")


def test_with_many_providers_the_filter_asks_for_a_code_and_says_when_none_has_it(as_user, recorded, monkeypatch):
    """At 5,000 providers a list of every one was 300 KB of the page (issue 20): above a few hundred
    the filter is the provider's code; a code no provider has matches nothing, and the page says so."""
    from reporting import finance_views

    client = as_user("service_director")
    assert '<select class="nhsuk-select" id="provider"' in client.get("/finance/?period=2026-05").content.decode()
    monkeypatch.setattr(finance_views, "PROVIDER_LIST_LIMIT", 1)
    page = client.get("/finance/?period=2026-05&provider=RX2").content.decode()
    assert (
        '<input class="nhsuk-input nhsuk-input--width-10" id="provider" name="provider" type="text" value="RX2"' in page
    )
    table = page[page.index('id="finance-providers"') :]
    assert "Under Trust" in table and "Riverside Heart Trust" not in table
    wrong = client.get("/finance/?period=2026-05&provider=NOPE").content.decode()
    assert (
        "No provider has the code NOPE." in wrong
        and "Riverside Heart Trust" not in wrong.split('id="finance-providers"')[-1]
    )
