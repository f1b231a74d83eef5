"""contracts.csv: register codes kept and matched exactly, and the optional columns of seed 002."""

from datetime import date

import pytest

from contracts.exports import contract_table
from contracts.importers import ContractImporter
from contracts.models import Contract
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,provider_code,title,contract_type,status,commissioning_team,annual_value,"
    "total_value,start_date,end_date,strategic_importance,services"
)
OPTIONAL = "service_area,service_description,operational_lead,contractual_lead,renewal_date"


def run(text, dry_run=False):
    return ContractImporter().run(text.encode("utf-8"), "contracts.csv", dry_run=dry_run)


@pytest.fixture
def register(db):
    for code in ("7A1", "NCBPS13X", "E.B.3", "rq3"):
        ProviderFactory(code=code)
    for code in ("CARD", "AE4H", "E.B.3", "tavi"):
        ServiceFactory(code=code)


def row(reference, provider, services, extra=""):
    line = f"{reference},{provider},Title,lta,active,cardiac,100,200,2024-04-01,2027-03-31,no,{services}"
    return line + ("," + extra if extra else "") + "\n"


@pytest.mark.parametrize("provider", ["7A1", "NCBPS13X", "E.B.3", "rq3"])
def test_provider_codes_are_matched_exactly_as_written(register, provider):
    result = run(HEADER + "\n" + row("C-1", provider, "CARD;AE4H;E.B.3"))
    assert result.ok, result.errors
    contract = Contract.objects.get()
    assert contract.provider.code == provider
    assert sorted(contract.lines.values_list("service__code", flat=True)) == ["AE4H", "CARD", "E.B.3"]


def test_codes_in_other_capitals_are_not_matched_and_the_message_says_so(register):
    result = run(HEADER + "\n" + row("C-1", "7a1", "card;tavi") + row("C-2", "RQ3", "TAVI"))
    found = {(e.line, e.column): e.message for e in result.errors}
    assert set(found) == {(2, "provider_code"), (2, "services"), (3, "provider_code"), (3, "services")}
    assert "“7a1”" in found[(2, "provider_code")] and "7A1" in found[(2, "provider_code")]
    assert "exactly" in found[(2, "provider_code")]
    assert "card" in found[(2, "services")] and "tavi" not in found[(2, "services")].split(":")[0]
    assert not Contract.objects.exists()


def test_bad_codes_get_a_clear_message_with_the_line(register):
    long_code = "A" * 41
    result = run(HEADER + "\n" + row("C-1", long_code, "CARD") + row("C-2", "7A1", "CARD;bad code"))
    found = {(e.line, e.column): e.message for e in result.errors}
    assert set(found) == {(2, "provider_code"), (3, "services")}
    assert "1 to 40 letters" in found[(2, "provider_code")]
    assert "“bad code”" in found[(3, "services")] and "1 to 40 letters" in found[(3, "services")]


def test_optional_columns_are_imported_when_present(register):
    text = (
        HEADER
        + ","
        + OPTIONAL
        + "\n"
        + row("C-1", "7A1", "CARD", 'Specialised Services,"Adult cardiac surgery, TAVI",Jane Jones,Ali Khan,2026-09-30')
    )
    result = run(text)
    assert result.ok, result.errors
    contract = Contract.objects.get()
    assert contract.service_area == "Specialised Services"
    assert contract.service_description == "Adult cardiac surgery, TAVI"
    assert (contract.operational_lead, contract.contractual_lead) == ("Jane Jones", "Ali Khan")
    assert contract.renewal_date == date(2026, 9, 30)
    assert run(text).unchanged == 1
    # Present but blank clears them.
    run(HEADER + "," + OPTIONAL + "\n" + row("C-1", "7A1", "CARD", ",,,,"))
    contract.refresh_from_db()
    assert (contract.service_area, contract.operational_lead, contract.renewal_date) == ("", "", None)


def test_optional_columns_are_left_alone_when_absent(register):
    run(HEADER + "," + OPTIONAL + "\n" + row("C-1", "7A1", "CARD", "Area,Description,Jane Jones,Ali Khan,2026-09-30"))
    result = run(HEADER + "\n" + row("C-1", "7A1", "CARD"))
    assert (result.updated, result.unchanged) == (0, 1)
    contract = Contract.objects.get()
    assert contract.operational_lead == "Jane Jones" and contract.renewal_date == date(2026, 9, 30)
    # Only some of them: the others are kept.
    result = run(HEADER + ",operational_lead\n" + row("C-1", "7A1", "CARD", "Sam Smith"))
    contract.refresh_from_db()
    assert result.updated == 1
    assert (contract.operational_lead, contract.contractual_lead) == ("Sam Smith", "Ali Khan")


def test_optional_columns_are_checked(register):
    text = (
        HEADER
        + ","
        + OPTIONAL
        + "\n"
        + (
            row("C-1", "7A1", "CARD", "Area,Description,Jane,Ali,2024-03-31")  # renewal before start
            + row("C-2", "7A1", "CARD", "Area,Description,Jane,Ali,31/03/2026")  # not YYYY-MM-DD
            + row("C-3", "7A1", "CARD", "A" * 201 + ",Description,Jane,Ali,")  # area too long
        )
    )
    result = run(text)
    found = {(e.line, e.column): e.message for e in result.errors}
    assert set(found) == {(2, "renewal_date"), (3, "renewal_date"), (4, "service_area")}
    assert "on or after the start date" in found[(2, "renewal_date")]
    assert "YYYY-MM-DD" in found[(3, "renewal_date")]
    assert not Contract.objects.exists()


def test_the_export_carries_the_optional_columns(register):
    run(HEADER + "," + OPTIONAL + "\n" + row("C-1", "7A1", "CARD", "Area,Description,Jane Jones,Ali Khan,2026-09-30"))
    header, rows = contract_table(Contract.objects.all())
    exported = dict(zip(header, rows[0], strict=True))
    assert exported["Service area"] == "Area"
    assert exported["Operational lead"] == "Jane Jones" and exported["Contractual lead"] == "Ali Khan"
    assert exported["Renewal date"] == date(2026, 9, 30)
