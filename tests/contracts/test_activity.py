"""Actuals against contract plans (METHODOLOGY 9): activity.csv, export_finance, derived indicators."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assurance.actuals import import_activity
from assurance.importers import ReturnImporter
from assurance.models import IndicatorRating, PeriodLock
from assurance.ratings import compute_period
from contracts.models import LineActual
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.escalation.estate import report
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = "contract_reference,service_code,period,activity,cost\n"


@pytest.fixture
def lines(db):
    """RX1 holds C-1 (all of 2026/27: cardiology 1,200 a year for £120,000, surgery 120 for £600,000);
    RX2 holds C-2 from July 2026 (cardiology 900 a year for £90,000)."""
    cardiology, surgery = ServiceFactory(code="CARD"), ServiceFactory(code="SURG")
    c1 = ContractFactory(
        reference="C-1", provider=ProviderFactory(code="RX1"), start_date=date(2026, 4, 1), end_date=date(2027, 3, 31)
    )
    c2 = ContractFactory(
        reference="C-2", provider=ProviderFactory(code="RX2"), start_date=date(2026, 7, 15), end_date=date(2027, 3, 31)
    )
    return {
        "card": ContractLineFactory(
            contract=c1, service=cardiology, planned_activity=1200, planned_cost=Decimal("120000")
        ),
        "surg": ContractLineFactory(contract=c1, service=surgery, planned_activity=120, planned_cost=Decimal("600000")),
        "rx2": ContractLineFactory(
            contract=c2, service=cardiology, planned_activity=900, planned_cost=Decimal("90000")
        ),
    }


def run(text, dry_run=False):
    return import_activity((HEADER + text).encode(), "activity.csv", dry_run=dry_run)


def test_import_saves_each_line_month_and_replaces_on_reimport(lines):
    result = run("C-1,CARD,2026-04,100,10000\nC-1,SURG,2026-04,9,48000.50\n")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert LineActual.objects.get(line=lines["surg"]).cost == Decimal("48000.50")
    again = run("C-1,CARD,2026-04,100,10000\nC-1,SURG,2026-04,10,50000\n")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    actual = LineActual.objects.get(line=lines["surg"])
    assert (actual.activity, actual.cost) == (10, Decimal("50000.00"))
    assert actual.history.count() == 2  # every change is kept


def test_a_blank_row_of_the_template_records_nothing(lines):
    PeriodLock.objects.create(period=date(2026, 5, 1), locked=True)
    result = run("C-1,CARD,2026-04,,\nC-1,CARD,2026-05,,\nC-2,CARD,2026-04,,\n")
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (0, 3)
    assert not LineActual.objects.exists()


def test_dry_run_saves_nothing(lines):
    result = run("C-1,CARD,2026-04,100,10000\n", dry_run=True)
    assert result.ok and result.created == 1
    assert not LineActual.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("C-9,CARD,2026-04,1,1", "contract_reference", "No contract has the reference “C-9”"),
        ("C-1,NEURO,2026-04,1,1", "service_code", "has no line for the service “NEURO”"),
        ("C-2,CARD,2026-06,1,1", "period", "not live in 2026-06"),
        ("C-1,CARD,2026-13,1,1", "period", "YYYY-MM"),
        ("C-1,CARD,2026-04,-1,1", "activity", "whole number"),
        ("C-1,CARD,2026-04,1.5,1", "activity", "whole number"),
        ("C-1,CARD,2026-04,1,-5", "cost", "greater than or equal to 0"),
        ("C-1,CARD,2026-04,,1", "activity", "as well as the cost"),
        ("C-1,CARD,2026-04,1,", "cost", "as well as the activity"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_saved(lines, row, column, words):
    result = run(f"C-1,SURG,2026-04,9,48000\n{row}\n")
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert words in result.errors[0].message
    assert not LineActual.objects.exists()


def test_locked_month_is_refused(lines):
    PeriodLock.objects.create(period=date(2026, 5, 1), locked=True)
    result = run("C-1,CARD,2026-04,1,1\nC-1,CARD,2026-05,1,1\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, "period")]
    assert "locked" in result.errors[0].message
    assert not LineActual.objects.exists()


def test_the_same_line_and_month_twice_is_refused(lines):
    result = run("C-1,CARD,2026-04,1,1\nC-1,CARD,2026-04,2,2\n")
    assert "appears twice" in result.errors[0].message


def test_command_imports_and_fails_with_the_rows_listed(lines, tmp_path):
    good = tmp_path / "activity.csv"
    good.write_text(HEADER + "C-1,CARD,2026-04,100,10000\n")
    out = io.StringIO()
    call_command("import_activity", str(good), stdout=out)
    assert "1 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "C-1,CARD,2026-04,x,10000\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_activity", str(bad), stderr=err)
    assert "line 2, column activity" in err.getvalue()


def export(*args):
    out = io.StringIO()
    call_command("export_finance", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_export_finance_as_design_says(lines):
    run("C-1,CARD,2026-04,100,10000\nC-1,SURG,2026-04,12,52000\nC-1,CARD,2026-05,110,12000\nC-2,CARD,2026-07,80,7000\n")
    rows = export()
    assert rows[0] == [
        "provider_code",
        "period",
        "plan_activity_ytd",
        "actual_activity_ytd",
        "plan_cost_ytd",
        "actual_cost_ytd",
        "activity_against_plan",
        "cost_against_plan",
        "forecast_outturn_cost",
    ]
    assert rows[1:] == [
        # April: plan (1200 + 120) / 12 = 110 and (120,000 + 600,000) / 12 = 60,000
        ["RX1", "2026-04", "110.00", "112.00", "60000.00", "62000.00", "101.8", "103.3", "744000.00"],
        # May: surgery's May is missing (zero); forecast 22,000 / 2 x 12 + 52,000 / 2 x 12
        ["RX1", "2026-05", "220.00", "222.00", "120000.00", "74000.00", "100.9", "61.7", "444000.00"],
        # July: RX2 is live from July (9 months in the year): its plan is 75 a month
        ["RX1", "2026-07", "440.00", "222.00", "240000.00", "74000.00", "50.5", "30.8", "222000.00"],
        ["RX2", "2026-07", "75.00", "80.00", "7500.00", "7000.00", "106.7", "93.3", "63000.00"],
    ]
    assert export("--period", "2026-07") == [rows[0], *rows[3:]]
    assert export("--period", "2026-06") == [rows[0]]  # no actual recorded in June


def test_export_finance_refuses_a_bad_period(lines):
    with pytest.raises(CommandError):
        call_command("export_finance", "--period", "2026-4")


@pytest.fixture
def derived(lines):
    activity = IndicatorFactory(
        code="ACT",
        area="finance_activity",
        unit="percent_of_plan",
        target=Decimal("95"),
        amber_threshold=Decimal("90"),
        source="activity_against_plan",
    )
    cost = IndicatorFactory(
        code="COST",
        area="finance_activity",
        unit="percent_of_plan",
        polarity="lower_better",
        target=Decimal("100"),
        amber_threshold=Decimal("105"),
        source="cost_against_plan",
    )
    typed = IndicatorFactory(code="TYPED", area="quality_safety")
    return {"activity": activity, "cost": cost, "typed": typed}


def rated(provider_code, month, indicator):
    return (
        IndicatorRating.objects.filter(provider__code=provider_code, period=month, indicator=indicator)
        .values_list("value", "rag", "reason")
        .first()
    )


def test_derived_indicators_are_rated_from_actuals_once_the_return_is_received(derived, lines):
    run("C-1,CARD,2026-04,100,10000\nC-1,SURG,2026-04,12,52000\n")
    provider = lines["card"].contract.provider
    april, may = date(2026, 4, 1), date(2026, 5, 1)
    # No return yet: nothing is rated, whatever the actuals say (derived values never make a return received).
    compute_period(april)
    assert rated("RX1", april, derived["cost"]) is None
    report(provider, april, {"quality_safety": "96"}, {"quality_safety": derived["typed"]})
    report(provider, may, {"quality_safety": "96"}, {"quality_safety": derived["typed"]})
    compute_period(april)
    assert rated("RX1", april, derived["activity"]) == (Decimal("101.8"), "G", "target_met")
    assert rated("RX1", april, derived["cost"]) == (Decimal("103.3"), "A", "within_tolerance")
    # May: no actual recorded that month for any live line, so both are missing (Red).
    compute_period(may)
    assert rated("RX1", may, derived["cost"]) == (None, "R", "missing")


def test_a_typed_row_for_a_derived_indicator_is_refused_naming_it(derived, lines):
    data = (
        b"provider_code,indicator_code,period,value,rag,status,note\nRX1,TYPED,2026-04,96,,,\nRX1,COST,2026-04,100,,,\n"
    )
    result = ReturnImporter().run(data, "returns.csv")
    assert [(e.line, e.column) for e in result.errors] == [(3, "indicator_code")]
    assert "COST" in result.errors[0].message and "derived" in result.errors[0].message


def test_import_indicators_reads_the_optional_source_column(db, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        "code,name,area,setting,domain,cohort,unit,polarity,target,amber_threshold,critical,judgement,services,source\n"
        "COST,Cost against plan,finance_activity,,quantitative,,percent_of_plan,lower_better,100,105,no,no,,"
        "cost_against_plan\n"
        "X,Typed,quality_safety,,outcome,,percent,higher_better,95,,no,no,,\n"
    )
    call_command("import_indicators", str(path), stdout=io.StringIO())
    from assurance.models import Indicator  # noqa: PLC0415 - read after the import

    assert dict(Indicator.objects.values_list("code", "source")) == {"COST": "cost_against_plan", "X": ""}
    path.write_text(path.read_text().replace("cost_against_plan\n", "spend\n"))
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), stdout=io.StringIO(), stderr=io.StringIO())
