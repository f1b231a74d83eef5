"""indicators.csv, returns.csv and trajectories.csv imports."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from assurance.importers import IndicatorImporter, ReturnImporter, TrajectoryImporter
from assurance.models import Indicator, IndicatorValue, MonthlyReturn, PeriodLock, Trajectory
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

RETURNS_HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


def run(importer, text, dry_run=False):
    return importer.run(text.encode("utf-8"), "file.csv", dry_run=dry_run)


def test_the_seeded_catalogue_imports_and_covers_the_four_domain_matrix():
    call_command(
        "import_services", str(Path(settings.BASE_DIR) / "fixtures/services.csv"), stdout=open("/dev/null", "w")
    )
    result = run(IndicatorImporter(), (Path(settings.BASE_DIR) / "fixtures/indicators.csv").read_text())
    assert result.ok, result.errors
    indicators = Indicator.objects.all()
    assert {(i.domain, i.cohort) for i in indicators if i.cohort} >= {
        (d, c)
        for d in ("quantitative", "process", "outcome", "qualitative")
        for c in ("referred", "treated", "not_treated", "diverted")
        if (d, c) not in {("outcome", "referred"), ("qualitative", "referred"), ("process", "not_treated")}
    }
    assert {i.area for i in indicators} == {
        "access",
        "quality_safety",
        "finance_activity",
        "patient_experience",
        "governance",
    }
    assert {i.code for i in indicators if i.critical} == {"never_events", "mortality"}
    ae = Indicator.objects.get(code="ae_four_hours")
    assert (ae.target, ae.amber_threshold, ae.setting) == (Decimal("95"), Decimal("90"), "unscheduled")
    assert Indicator.objects.get(code="rtt_26_weeks").target == Decimal("95")
    assert list(ae.services.values_list("code", flat=True)) == ["major_trauma"]
    assert run(IndicatorImporter(), (Path(settings.BASE_DIR) / "fixtures/indicators.csv").read_text()).unchanged == 59


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("xx,X,access,,quantitative,,percent,higher_better,95,90,no,no,", "setting", "unscheduled or planned"),
        ("xx,X,governance,,qualitative,,count,higher_better,,,no,no,", "target", "Enter the target"),
        ("xx,X,governance,,qualitative,,count,higher_better,1,,no,yes,", "target", "no target"),
        ("xx,X,quality_safety,,outcome,,percent,higher_better,90,95,no,no,", "amber_threshold", "far side"),
        ("xx,X,quality_safety,,outcome,,percent,sideways,90,85,no,no,", "polarity", "higher_better"),
        ("xx,X,quality_safety,,outcome,,percent,higher_better,90,85,no,no,nope", "services", "nope"),
    ],
)
def test_indicator_rows_that_break_the_methodology_are_refused(row, column, message):
    header = "code,name,area,setting,domain,cohort,unit,polarity,target,amber_threshold,critical,judgement,services\n"
    result = run(IndicatorImporter(), header + row + "\n")
    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message
    assert not Indicator.objects.exists()


@pytest.fixture
def catalogue(db):
    ProviderFactory(code="7A1")
    ProviderFactory(code="RBS")
    IndicatorFactory(code="rtt", unit="percent")
    IndicatorFactory(code="never_events", unit="count", polarity="lower_better", target=0, amber_threshold=None)
    JudgementIndicatorFactory(code="leadership")


GOOD_RETURNS = RETURNS_HEADER + (
    "7A1,rtt,2026-09,91.5,,,\n"
    "7A1,never_events,2026-09,0,,reported,\n"
    "7A1,leadership,2026-09,,a,,New interim chief executive\n"
    "RBS,rtt,2026-09,,,development_plan,Data from April\n"
    "RBS,rtt,2026-08,96,,,\n"
)


def test_returns_import_creates_submitted_returns_and_values(catalogue):
    result = run(ReturnImporter(), GOOD_RETURNS)
    assert result.ok, result.errors
    assert result.created == 5
    assert MonthlyReturn.objects.count() == 3
    assert set(MonthlyReturn.objects.values_list("status", flat=True)) == {"submitted"}
    leadership = IndicatorValue.objects.get(indicator__code="leadership")
    assert (leadership.rag, leadership.value, leadership.note) == ("A", None, "New interim chief executive")
    assert (
        IndicatorValue.objects.get(
            indicator__code="rtt", monthly_return__provider__code="RBS", monthly_return__period=date(2026, 9, 1)
        ).status
        == "development_plan"
    )
    assert IndicatorValue.history.count() == 5


def test_returns_reimport_is_idempotent_and_updates_only_changes(catalogue):
    run(ReturnImporter(), GOOD_RETURNS)
    assert run(ReturnImporter(), GOOD_RETURNS).unchanged == 5
    result = run(ReturnImporter(), GOOD_RETURNS.replace("91.5", "92"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    value = IndicatorValue.objects.get(indicator__code="rtt", monthly_return__provider__code="7A1")
    assert value.value == Decimal("92")
    assert [h.value for h in value.history.all()] == [Decimal("92"), Decimal("91.5")]


def test_every_bad_return_row_is_named_and_nothing_is_written(catalogue):
    text = RETURNS_HEADER + (
        "7A1,rtt,2026-09,91.5,,,\n"  # 2 good
        "7A1,rtt,2026-13,91.5,,,\n"  # 3 bad period
        "XXX,rtt,2026-09,91.5,,,\n"  # 4 unknown provider
        "7A1,nope,2026-09,91.5,,,\n"  # 5 unknown indicator
        "7A1,never_events,2026-09,1.5,,,\n"  # 6 count not whole
        "RBS,rtt,2026-09,101,,,\n"  # 7 percent over 100
        "RBS,leadership,2026-09,3,,,\n"  # 8 judgement with a value and no RAG
        "RBS,never_events,2026-09,,R,,\n"  # 9 numeric with a RAG, no value
        "RBS,never_events,2026-08,2,,missing,\n"  # 10 value with status missing
        "7A1,rtt,2026-09,90,,,\n"  # 11 duplicate of line 2
        "RBS,rtt,2026-07,lots,,,\n"  # 12 not a number
        "RBS,rtt,2026-06,90,,later,\n"  # 13 bad status
    )
    result = run(ReturnImporter(), text)
    found = sorted({(e.line, e.column) for e in result.errors})
    assert found == [
        (3, "period"),
        (4, "provider_code"),
        (5, "indicator_code"),
        (6, "value"),
        (7, "value"),
        (8, "rag"),
        (8, "value"),
        (9, "rag"),
        (9, "value"),
        (10, "value"),
        (11, "provider_code"),
        (12, "value"),
        (13, "status"),
    ]
    assert not MonthlyReturn.objects.exists() and not IndicatorValue.objects.exists()


def test_a_locked_month_refuses_imports(catalogue, administrator):
    PeriodLock.objects.create(period=date(2026, 9, 1))
    result = run(ReturnImporter(), GOOD_RETURNS)
    assert {e.line for e in result.errors} == {2, 3, 4, 5}
    assert "locked" in result.errors[0].message


def test_uploads_are_limited_to_the_teams_providers(catalogue):
    allowed = {ProviderFactory._meta.model.objects.get(code="RBS").pk}
    result = run(ReturnImporter(allowed_provider_ids=allowed), GOOD_RETURNS)
    assert {e.line for e in result.errors} == {2, 3, 4}
    assert "do not commission" in result.errors[0].message


def test_dry_run_of_returns_writes_nothing(catalogue):
    result = run(ReturnImporter(), GOOD_RETURNS, dry_run=True)
    assert result.ok and result.created == 5
    assert not MonthlyReturn.objects.exists()


def test_trajectories_import(catalogue):
    text = (
        "provider_code,indicator_code,period,value\n7A1,rtt,2026-10,88\n7A1,rtt,2026-11,90\n7A1,leadership,2026-10,1\n"
    )
    result = run(TrajectoryImporter(), text)
    assert [(e.line, e.column) for e in result.errors] == [(4, "indicator_code")]
    result = run(TrajectoryImporter(), text.rsplit("7A1,leadership", 1)[0])
    assert result.created == 2
    assert Trajectory.objects.get(period=date(2026, 11, 1)).value == Decimal("90")
    assert run(TrajectoryImporter(), text.rsplit("7A1,leadership", 1)[0]).unchanged == 2


def test_import_returns_command_dry_run_and_failure(catalogue, tmp_path, capsys):
    good = tmp_path / "returns.csv"
    good.write_text(GOOD_RETURNS)
    call_command("import_returns", str(good), "--dry-run")
    assert "Nothing was saved" in capsys.readouterr().out
    assert not MonthlyReturn.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(RETURNS_HEADER + "7A1,rtt,2026-09,150,,,\n")
    with pytest.raises(CommandError):
        call_command("import_returns", str(bad))
    assert "line 2, column value: A percentage must be between 0 and 100." in capsys.readouterr().err


def test_indicators_must_name_real_services():
    ServiceFactory(code="tavi")
    header = "code,name,area,setting,domain,cohort,unit,polarity,target,amber_threshold,critical,judgement,services\n"
    result = run(
        IndicatorImporter(), header + "xx,X,quality_safety,,outcome,treated,percent,higher_better,95,90,no,no,tavi\n"
    )
    assert result.ok
    assert list(Indicator.objects.get().services.values_list("code", flat=True)) == ["tavi"]
