"""contracts.csv: validation, contract lines from services, idempotency, the command."""

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from contracts.importers import ContractImporter
from contracts.models import Contract, ContractLine
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,provider_code,title,contract_type,status,commissioning_team,annual_value,"
    "total_value,start_date,end_date,strategic_importance,services\n"
)


@pytest.fixture
def register(db):
    ProviderFactory(code="7A4", name="Cardiff and Vale University Health Board")
    ProviderFactory(code="RBS", name="Alder Hey")
    ServiceFactory(code="tavi", name="TAVI")
    ServiceFactory(code="icd", name="ICDs")
    ServiceFactory(code="picu", name="PICU")


GOOD = HEADER + (
    "LTA-7A4-001,7A4,Cardiff and Vale LTA,lta,active,cardiac,152000000,456000000,2024-04-01,2027-03-31,yes,tavi;icd\n"
    'SLA-RBS-001,RBS,Alder Hey paediatrics,nhs_standard,active,women_children,"£12,600,000",37800000,2025-04-01,2028-03-31,no,picu\n'
)


def run(text, dry_run=False):
    return ContractImporter().run(text.encode("utf-8"), "contracts.csv", dry_run=dry_run)


def test_a_good_file_creates_contracts_and_their_lines(register):
    result = run(GOOD)
    assert result.ok, result.errors
    cardiff = Contract.objects.get(reference="LTA-7A4-001")
    assert cardiff.provider.code == "7A4"
    assert cardiff.annual_value == Decimal("152000000")
    assert cardiff.strategic_importance is True
    assert cardiff.start_date == date(2024, 4, 1)
    assert sorted(cardiff.lines.values_list("service__code", flat=True)) == ["icd", "tavi"]
    assert Contract.objects.get(reference="SLA-RBS-001").annual_value == Decimal("12600000")


def test_reimporting_is_idempotent_and_keeps_planned_figures(register):
    run(GOOD)
    line = ContractLine.objects.get(contract__reference="LTA-7A4-001", service__code="tavi")
    line.planned_activity, line.planned_cost = 120, Decimal("3000000")
    line.save()
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    line.refresh_from_db()
    assert (line.planned_activity, line.planned_cost) == (120, Decimal("3000000"))
    assert ContractLine.objects.count() == 3


def test_changing_the_services_adds_and_removes_lines(register):
    run(GOOD)
    result = run(GOOD.replace("tavi;icd", "tavi;picu"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    cardiff = Contract.objects.get(reference="LTA-7A4-001")
    assert sorted(cardiff.lines.values_list("service__code", flat=True)) == ["picu", "tavi"]


def test_every_bad_row_is_listed_and_nothing_is_written(register):
    text = HEADER + (
        "C-1,7A4,Good,lta,active,cardiac,100,200,2024-04-01,2025-03-31,no,tavi\n"
        "C-2,XXX,Unknown provider,lta,active,cardiac,100,200,2024-04-01,2025-03-31,no,\n"
        "C-3,7A4,End before start,lta,active,cardiac,100,200,2025-04-01,2024-03-31,no,\n"
        "C-4,7A4,Total below annual,lta,active,cardiac,300,200,2024-04-01,2025-03-31,no,\n"
        "C-5,7A4,Negative,lta,active,cardiac,-1,200,2024-04-01,2025-03-31,no,\n"
        "C-6,7A4,Bad date,lta,active,cardiac,100,200,01/04/2024,2025-03-31,maybe,\n"
        "C-7,7A4,Unknown service and team,contract,live,heart,100,200,2024-04-01,2025-03-31,no,tavi;nope\n"
        "C-1,7A4,Duplicate,lta,active,cardiac,100,200,2024-04-01,2025-03-31,no,\n"
    )
    result = run(text)
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "provider_code"),
        (4, "end_date"),
        (5, "total_value"),
        (6, "annual_value"),
        (7, "start_date"),
        (7, "strategic_importance"),
        (8, "contract_type"),
        (8, "status"),
        (8, "commissioning_team"),
        (8, "services"),
        (9, "reference"),
    }
    assert Contract.objects.count() == 0
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert "YYYY-MM-DD" in messages[(7, "start_date")]
    assert "on or after the start date" in messages[(4, "end_date")]


def test_unknown_team_and_services_are_named(register):
    text = HEADER + "C-7,7A4,Unknown,lta,active,heart,100,200,2024-04-01,2025-03-31,no,tavi;nope\n"
    result = run(text)
    messages = {e.column: e.message for e in result.errors}
    assert "heart" in messages["commissioning_team"]
    assert "nope" in messages["services"] and "tavi" not in messages["services"]


def test_dry_run_counts_but_writes_nothing(register):
    result = run(GOOD, dry_run=True)
    assert result.ok and result.created == 2
    assert Contract.objects.count() == 0 and ContractLine.objects.count() == 0


def test_the_command_exits_non_zero_with_errors_on_a_bad_file(tmp_path):
    """Run manage.py for real: outside tools rely on the exit status."""
    bad = tmp_path / "contracts.csv"
    bad.write_text(HEADER + "C-1,NOPE,Title,lta,active,cardiac,1,2,2024-04-01,2025-03-31,no,\n")
    database = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True)
    proc = subprocess.run(
        [sys.executable, manage, "import_contracts", str(bad)], env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "line 2, column provider_code" in proc.stderr
    good = tmp_path / "services.csv"
    good.write_text("code,name,commissioning_team\ntavi,TAVI,cardiac\n")
    proc = subprocess.run(
        [sys.executable, manage, "import_services", str(good)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 created" in proc.stdout
