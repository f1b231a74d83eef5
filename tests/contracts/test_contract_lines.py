"""contract_lines.csv: a service line's planned annual activity and cost (DESIGN.md)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts.importers import ContractLineImporter
from contracts.models import ContractLine
from providers.importing import ImportFileError
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = "contract_reference,service_code,planned_annual_activity,planned_annual_cost\n"


@pytest.fixture
def register(db):
    cardiff = ContractFactory(reference="LTA-7A4-001")
    alder = ContractFactory(reference="SLA-RBS-001")
    card, tavi, picu = ServiceFactory(code="CARD"), ServiceFactory(code="E.B.3"), ServiceFactory(code="picu")
    ContractLineFactory(contract=cardiff, service=card)
    ContractLineFactory(contract=cardiff, service=tavi)
    ContractLineFactory(contract=alder, service=picu)
    return {"cardiff": cardiff, "alder": alder}


GOOD = HEADER + ('LTA-7A4-001,CARD,1200,"£3,400,000"\nLTA-7A4-001,E.B.3,"1,500",250000.50\nSLA-RBS-001,picu,,\n')


def run(text, dry_run=False):
    return ContractLineImporter().run(text.encode("utf-8"), "contract_lines.csv", dry_run=dry_run)


def line(reference, service):
    return ContractLine.objects.get(contract__reference=reference, service__code=service)


def test_a_good_file_sets_the_planned_figures(register):
    result = run(GOOD)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    card = line("LTA-7A4-001", "CARD")
    assert (card.planned_activity, card.planned_cost) == (1200, Decimal("3400000"))
    assert line("LTA-7A4-001", "E.B.3").planned_activity == 1500
    assert line("LTA-7A4-001", "E.B.3").planned_cost == Decimal("250000.50")
    picu = line("SLA-RBS-001", "picu")
    assert (picu.planned_activity, picu.planned_cost) == (None, None)
    assert card.history.count() == 2  # created, then the import's change


def test_reimporting_changes_nothing(register):
    run(GOOD)
    history = ContractLine.history.count()
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert ContractLine.history.count() == history


def test_blank_figures_clear_them(register):
    run(GOOD)
    result = run(HEADER + "LTA-7A4-001,CARD,,\n")
    assert result.updated == 1
    assert (line("LTA-7A4-001", "CARD").planned_activity, line("LTA-7A4-001", "CARD").planned_cost) == (None, None)


def test_a_line_for_a_service_the_contract_does_not_have_creates_it(register):
    result = run(HEADER + "SLA-RBS-001,CARD,40,100000\n")
    assert (result.created, result.updated) == (1, 0)
    assert line("SLA-RBS-001", "CARD").planned_activity == 40
    assert sorted(register["alder"].lines.values_list("service__code", flat=True)) == ["CARD", "picu"]


def test_every_bad_row_is_listed_and_nothing_is_written(register):
    text = HEADER + (
        "LTA-7A4-001,CARD,1200,3400000\n"  # 2 good
        "NOPE-1,CARD,1,1\n"  # 3 unknown contract
        "LTA-7A4-001,card,1,1\n"  # 4 unknown service (codes are matched exactly)
        "LTA-7A4-001,E.B.3,-1,1\n"  # 5 negative activity
        "SLA-RBS-001,E.B.3,1.5,1\n"  # 6 activity not whole
        "SLA-RBS-001,picu,10,-5\n"  # 7 negative cost
        "SLA-RBS-001,CARD,ten,lots\n"  # 8 not numbers
        "LTA-7A4-001,CARD,1,1\n"  # 9 duplicate of line 2
        ",bad code,1,1\n"  # 10 missing reference, bad code
    )
    result = run(text)
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "contract_reference"),
        (4, "service_code"),
        (5, "planned_annual_activity"),
        (6, "planned_annual_activity"),
        (7, "planned_annual_cost"),
        (8, "planned_annual_activity"),
        (8, "planned_annual_cost"),
        (9, "contract_reference"),
        (10, "contract_reference"),
        (10, "service_code"),
    }
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert "NOPE-1" in messages[(3, "contract_reference")]
    assert "“card”" in messages[(4, "service_code")] and "CARD" in messages[(4, "service_code")]
    assert "whole number" in messages[(6, "planned_annual_activity")]
    assert "first on line 2" in messages[(9, "contract_reference")]
    assert "LTA-7A4-001, CARD" in messages[(9, "contract_reference")]
    assert "1 to 40 letters" in messages[(10, "service_code")]
    assert line("LTA-7A4-001", "CARD").planned_activity is None


def test_missing_columns_empty_file_and_header_only(register):
    with pytest.raises(ImportFileError, match="planned_annual_cost"):
        run("contract_reference,service_code,planned_annual_activity\nLTA-7A4-001,CARD,1\n")
    with pytest.raises(ImportFileError, match="empty"):
        run("")
    result = run(HEADER)
    assert result.ok and result.rows == 0


def test_dry_run_writes_nothing(register):
    result = run(GOOD + "SLA-RBS-001,CARD,40,100000\n", dry_run=True)
    assert result.ok and (result.created, result.updated) == (1, 2)
    assert line("LTA-7A4-001", "CARD").planned_activity is None
    assert not ContractLine.objects.filter(contract__reference="SLA-RBS-001", service__code="CARD").exists()


def test_the_command(register, tmp_path, capsys):
    path = tmp_path / "contract_lines.csv"
    path.write_bytes(("\ufeff" + GOOD.replace("\n", "\r\n")).encode())
    call_command("import_contract_lines", str(path), "--dry-run")
    assert "Nothing was saved" in capsys.readouterr().out
    assert line("LTA-7A4-001", "CARD").planned_activity is None
    call_command("import_contract_lines", str(path))
    assert "2 updated" in capsys.readouterr().out
    assert line("LTA-7A4-001", "CARD").planned_activity == 1200
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "LTA-7A4-001,CARD,-3,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_contract_lines", str(bad))
    assert "line 2, column planned_annual_activity" in capsys.readouterr().err


def test_the_register_import_page_offers_contract_lines(register, as_user):
    client = as_user("administrator")
    page = client.get(reverse("assurance:register_import")).content.decode()
    assert "contract_lines.csv" in page
    assert "contract_reference,service_code,planned_annual_activity,planned_annual_cost" in page
    response = client.post(
        reverse("assurance:register_import"),
        {"kind": "contract_lines", "file": SimpleUploadedFile("contract_lines.csv", GOOD.encode())},
        follow=True,
    )
    assert "Check these changes before they are saved" in response.content.decode()  # checked in a job
    job = response.context["job"]
    response = client.post(job.get_absolute_url(), {"action": "save"}, follow=True)
    assert "3 rows imported" in response.content.decode()
    assert line("LTA-7A4-001", "CARD").planned_cost == Decimal("3400000")
