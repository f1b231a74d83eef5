"""METHODOLOGY 9, finance and activity against contract, as tables: each row is a scenario and the
figures the methodology gives for it, worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import finance
from providers.periods import (
    financial_year_label,
    financial_year_months,
    financial_year_start,
    financial_year_to,
    months_from,
)


def m(text):
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def live(first, last):
    return frozenset(months_from(m(first), m(last)))


def line(key="L", activity=1200, cost="120000", first="2026-04", last="2027-03", actuals=None):
    return finance.LineFacts(
        key=key,
        planned_activity=activity,
        planned_cost=None if cost is None else Decimal(cost),
        live_months=live(first, last),
        actuals={m(k): (a, Decimal(c)) for k, (a, c) in (actuals or {}).items()},
    )


FULL_YEAR = line(actuals={"2026-04": (100, "10000"), "2026-05": (110, "12000")})
# Live from July (a contract starting mid-July is live in July); August has no actual.
PART_YEAR = line(first="2026-07", last="2027-03", actuals={"2026-07": (100, "9000"), "2026-09": (120, "11000")})
# Two financial years: March 2027 belongs to 2026/27, April 2027 starts 2027/28.
TWO_YEARS = line(first="2026-04", last="2028-03", actuals={"2027-03": (500, "50000"), "2027-04": (90, "9500")})
NO_PLAN = line(activity=None, cost=None, actuals={"2026-04": (10, "500")})
THIRDS = line(activity=100, cost="1000", actuals={"2026-04": (9, "100")})


@pytest.mark.parametrize(
    (
        "facts",
        "month",
        "plan_activity",
        "actual_activity",
        "plan_cost",
        "actual_cost",
        "activity_pct",
        "cost_pct",
        "forecast",
        "missing",
    ),
    [
        # full year, two months in: plan 1200/12 x 2 = 200 and £20,000; forecast 22,000 / 2 x 12
        (FULL_YEAR, "2026-05", "200.00", "210.00", "20000.00", "22000.00", "105.0", "110.0", "132000.00", []),
        # a third month with no actual: it counts as zero and is listed as missing
        (FULL_YEAR, "2026-06", "300.00", "210.00", "30000.00", "22000.00", "70.0", "73.3", "88000.00", ["2026-06"]),
        # part year: live July to March (9 months); at September 3 live months so far
        (PART_YEAR, "2026-09", "300.00", "220.00", "30000.00", "20000.00", "73.3", "66.7", "60000.00", ["2026-08"]),
        # part year, before it is live: nothing planned, nothing missing, blank percentages
        (PART_YEAR, "2026-06", "0.00", "0.00", "0.00", "0.00", None, None, "0.00", []),
        # two financial years: March closes 2026/27 (12 live months, 11 missing) ...
        (
            TWO_YEARS,
            "2027-03",
            "1200.00",
            "500.00",
            "120000.00",
            "50000.00",
            "41.7",
            "41.7",
            "50000.00",
            [f"2026-{n:02d}" for n in range(4, 13)] + ["2027-01", "2027-02"],
        ),
        # ... and April starts 2027/28 afresh: March's actual is not in its year to date
        (TWO_YEARS, "2027-04", "100.00", "90.00", "10000.00", "9500.00", "90.0", "95.0", "114000.00", []),
        # no plan: the percentages are blank, the actuals still count
        (NO_PLAN, "2026-04", "0.00", "10.00", "0.00", "500.00", None, None, "6000.00", []),
        # plans in twelfths stay exact until shown: 1000 / 12 = 83.333..., 100 / 83.333... = 120.0
        (THIRDS, "2026-04", "8.33", "9.00", "83.33", "100.00", "108.0", "120.0", "1200.00", []),
    ],
)
def test_line_year_to_date(
    facts, month, plan_activity, actual_activity, plan_cost, actual_cost, activity_pct, cost_pct, forecast, missing
):
    pos = finance.line_position(facts, m(month))
    assert finance.money(pos.plan_activity) == Decimal(plan_activity)
    assert finance.money(pos.actual_activity) == Decimal(actual_activity)
    assert finance.money(pos.plan_cost) == Decimal(plan_cost)
    assert finance.money(pos.actual_cost) == Decimal(actual_cost)
    assert finance.percent(pos.activity_against_plan) == (None if activity_pct is None else Decimal(activity_pct))
    assert finance.percent(pos.cost_against_plan) == (None if cost_pct is None else Decimal(cost_pct))
    assert finance.money(pos.forecast_outturn_cost) == Decimal(forecast)
    assert [month for _key, month in pos.missing] == [m(text) for text in missing]


def test_variances_in_units_pounds_and_percent():
    pos = finance.line_position(FULL_YEAR, m("2026-05"))
    assert finance.money(pos.activity_variance) == Decimal("10.00")
    assert finance.money(pos.cost_variance) == Decimal("2000.00")
    assert finance.percent(pos.activity_variance_percent) == Decimal("5.0")
    assert finance.percent(pos.cost_variance_percent) == Decimal("10.0")
    under = finance.line_position(FULL_YEAR, m("2026-06"))
    assert finance.money(under.cost_variance) == Decimal("-8000.00")
    assert finance.percent(under.cost_variance_percent) == Decimal("-26.7")


def test_provider_sums_lines_exactly_before_rounding():
    # Three lines of £1,000 a year: each month's plan is £83.333...; rounded per line and then summed
    # it would be £249.99, summed exactly it is £250.00.
    lines = [line(key=k, activity=1, cost="1000", actuals={"2026-04": (0, "0")}) for k in "ABC"]
    pos = finance.position(lines, m("2026-04"))
    assert finance.money(pos.plan_cost) == Decimal("250.00")
    assert pos.lines == 3


def test_provider_counts_lines_live_in_any_month_of_the_year_so_far():
    ended = line(key="ended", first="2025-01", last="2026-05", actuals={"2026-04": (100, "10000")})
    later = line(key="later", first="2026-10", last="2027-03", actuals={})
    pos = finance.position([ended, FULL_YEAR, later], m("2026-08"))
    assert pos.lines == 2  # `later` is not live yet
    # ended: plan 2 months (200, £20,000), actual 100/£10,000, May missing; forecast £10,000 / 2 x 2
    # full year: plan 5 months (500, £50,000), actual 210/£22,000; forecast £22,000 / 5 x 12 = £52,800
    assert finance.money(pos.plan_cost) == Decimal("70000.00")
    assert finance.money(pos.actual_cost) == Decimal("32000.00")
    assert finance.percent(pos.cost_against_plan) == Decimal("45.7")
    assert finance.money(pos.forecast_outturn_cost) == Decimal("62800.00")
    assert len(pos.missing) == 1 + 3


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("0.125", 2, "0.13"),
        ("0.124999", 2, "0.12"),
        ("12.25", 1, "12.3"),
        ("12.35", 1, "12.4"),
        ("-2.345", 2, "-2.35"),
        ("-2.344", 2, "-2.34"),
        ("100", 1, "100.0"),
    ],
)
def test_results_are_rounded_half_up(value, places, expected):
    assert finance.round_half_up(Decimal(value), places) == Decimal(expected)
    assert str(finance.round_half_up(Decimal(value), places)) == expected


@pytest.mark.parametrize(
    ("source", "facts", "month", "status", "value"),
    [
        (finance.ACTIVITY_AGAINST_PLAN, FULL_YEAR, "2026-05", "reported", "105.0"),
        (finance.COST_AGAINST_PLAN, FULL_YEAR, "2026-05", "reported", "110.0"),
        # no actual recorded in the month itself: missing, whatever the year to date holds
        (finance.COST_AGAINST_PLAN, FULL_YEAR, "2026-06", "missing", None),
        (finance.COST_AGAINST_PLAN, PART_YEAR, "2026-08", "missing", None),
        (finance.COST_AGAINST_PLAN, PART_YEAR, "2026-09", "reported", "66.7"),
        # nothing planned: the percentage is blank, so there is no value to rate
        (finance.COST_AGAINST_PLAN, NO_PLAN, "2026-04", "missing", None),
    ],
)
def test_derived_indicator_value(source, facts, month, status, value):
    pos = finance.position([facts], m(month))
    assert finance.derived_value(source, pos) == (status, None if value is None else Decimal(value))


def test_cumulative_series_ends_at_the_forecast_outturn():
    rows = finance.cumulative([FULL_YEAR], m("2026-05"))
    assert [row[0] for row in rows] == financial_year_months(m("2026-05"))
    assert rows[1][1:] == (20000, 22000, 22000)
    assert rows[2][2] is None
    assert finance.money(rows[-1][3]) == Decimal("132000.00")
    assert finance.money(rows[-1][1]) == Decimal("120000.00")


@pytest.mark.parametrize(
    ("month", "start", "label", "so_far"),
    [
        ("2026-04", "2026-04", "2026/27", 1),
        ("2027-03", "2026-04", "2026/27", 12),
        ("2027-01", "2026-04", "2026/27", 10),
        ("2099-12", "2099-04", "2099/00", 9),
    ],
)
def test_financial_year_runs_april_to_march(month, start, label, so_far):
    assert financial_year_start(m(month)) == m(start)
    assert financial_year_label(m(month)) == label
    assert len(financial_year_to(m(month))) == so_far
    assert len(financial_year_months(m(month))) == 12
