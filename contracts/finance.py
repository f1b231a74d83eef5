"""Finance and activity against contract (METHODOLOGY 9): pure functions, no ORM.

A contract line's monthly plan is its planned annual activity and cost divided by 12, for each
month of the financial year (April to March) in which its contract is live. Year to date (YTD)
at month m sums the monthly plans and the recorded actuals over the live months of m's
financial year up to m; a live month with no actual counts as zero and is listed as missing.

Sums are exact: money and activity are Decimals and a YTD plan is kept as a Fraction (annual
x live months / 12), so nothing is rounded until a result is shown. Results are rounded half up
(away from zero), percentages to one decimal place, activity and money to two.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from providers.periods import financial_year_months

ZERO = Fraction(0)
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class LineFacts:
    """What the rules need of one contract line: its planned annual figures (None: not
    planned, counted as zero), the months its contract is live and its recorded actuals."""

    key: object  # the line's id, or anything that names it
    planned_activity: object = None
    planned_cost: object = None
    live_months: frozenset = frozenset()
    actuals: dict = field(default_factory=dict)  # {month: (activity, cost)}


@dataclass(frozen=True)
class Position:
    """Year-to-date figures at a month, exact (Fractions): for one line or summed over lines."""

    plan_activity: Fraction = ZERO
    actual_activity: Fraction = ZERO
    plan_cost: Fraction = ZERO
    actual_cost: Fraction = ZERO
    forecast_outturn_cost: Fraction = ZERO
    plan_cost_year: Fraction = ZERO  # the plan for the whole financial year (live months)
    lines: int = 0  # lines live in any month of the financial year up to the month
    missing: tuple = ()  # (line key, month) of live months so far with no actual recorded
    recorded_in_month: bool = False  # an actual is recorded in the month itself for a line live then

    # Derived results (METHODOLOGY 9), exact; None where the methodology says blank.
    @property
    def activity_variance(self):
        return self.actual_activity - self.plan_activity

    @property
    def cost_variance(self):
        return self.actual_cost - self.plan_cost

    @property
    def activity_against_plan(self):
        return against_plan(self.actual_activity, self.plan_activity)

    @property
    def cost_against_plan(self):
        return against_plan(self.actual_cost, self.plan_cost)

    @property
    def activity_variance_percent(self):
        return variance_percent(self.actual_activity, self.plan_activity)

    @property
    def cost_variance_percent(self):
        return variance_percent(self.actual_cost, self.plan_cost)

    @property
    def forecast_variance(self):
        """Forecast outturn less the year's plan (positive: heading for an overspend)."""
        return self.forecast_outturn_cost - self.plan_cost_year


def against_plan(actual, plan):
    """100 x actual / plan, exact; None (blank) when the plan is zero."""
    if not plan:
        return None
    return HUNDRED * Fraction(actual) / Fraction(plan)


def variance_percent(actual, plan):
    """100 x (actual - plan) / plan, exact; None (blank) when the plan is zero."""
    if not plan:
        return None
    return HUNDRED * (Fraction(actual) - Fraction(plan)) / Fraction(plan)


def round_half_up(value, places):
    """A Decimal with `places` decimal places, halves rounded away from zero; None stays None."""
    if value is None:
        return None
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    whole = int(scaled + Fraction(1, 2))  # floor(x + 1/2) for x >= 0: half up
    if exact < 0:
        whole = -whole
    return (Decimal(whole) / Decimal(10**places)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value):
    """Activity and money: two decimal places, half up."""
    return round_half_up(value, 2)


def percent(value):
    """Percentages: one decimal place, half up."""
    return round_half_up(value, 1)


def line_position(line: LineFacts, month) -> Position:
    """One line's year to date at `month` (METHODOLOGY 9)."""
    year = financial_year_months(month)
    live_year = [m for m in year if m in line.live_months]
    live_so_far = [m for m in live_year if m <= month]
    if not live_so_far:
        return Position()
    annual_activity = Fraction(line.planned_activity or 0)
    annual_cost = Fraction(line.planned_cost or 0)
    actual_activity, actual_cost, missing = ZERO, ZERO, []
    for m in live_so_far:
        recorded = line.actuals.get(m)
        if recorded is None:
            missing.append((line.key, m))
            continue
        actual_activity += Fraction(recorded[0])
        actual_cost += Fraction(recorded[1])
    return Position(
        plan_activity=annual_activity * len(live_so_far) / 12,
        actual_activity=actual_activity,
        plan_cost=annual_cost * len(live_so_far) / 12,
        actual_cost=actual_cost,
        # Straight line: YTD actual cost / live months so far x live months in the year.
        forecast_outturn_cost=actual_cost / len(live_so_far) * len(live_year),
        plan_cost_year=annual_cost * len(live_year) / 12,
        lines=1,
        missing=tuple(missing),
        recorded_in_month=month in line.live_months and month in line.actuals,
    )


def combine(positions) -> Position:
    """Positions summed exactly (a contract, provider, team or the estate: its lines)."""
    total = Position()
    for p in positions:
        total = Position(
            plan_activity=total.plan_activity + p.plan_activity,
            actual_activity=total.actual_activity + p.actual_activity,
            plan_cost=total.plan_cost + p.plan_cost,
            actual_cost=total.actual_cost + p.actual_cost,
            forecast_outturn_cost=total.forecast_outturn_cost + p.forecast_outturn_cost,
            plan_cost_year=total.plan_cost_year + p.plan_cost_year,
            lines=total.lines + p.lines,
            missing=total.missing + p.missing,
            recorded_in_month=total.recorded_in_month or p.recorded_in_month,
        )
    return total


def position(lines, month) -> Position:
    """The year to date at `month` over `lines` (LineFacts)."""
    return combine(line_position(line, month) for line in lines)


def derived_value(source, pos: Position):
    """METHODOLOGY 9 for an indicator with a `source`: (status, value) for a rated month.

    No actual recorded that month for any live line: `missing`. A blank result (the YTD plan is
    zero) has no value to rate, so it is `missing` too (section 1: no value counts as missing)."""
    if not pos.recorded_in_month:
        return "missing", None
    exact = pos.activity_against_plan if source == ACTIVITY_AGAINST_PLAN else pos.cost_against_plan
    if exact is None:
        return "missing", None
    return "reported", percent(exact)


def cumulative(lines, month):
    """Month by month over `month`'s financial year: (month, cumulative plan cost, cumulative actual
    cost or None after `month`, straight-line forecast or None before `month`), exact. From `month`
    on, each line's run rate (YTD actual cost / live months so far) is carried over its remaining
    live months, so the forecast ends at the forecast outturn. One pass over the lines."""
    year = financial_year_months(month)
    index = {m: n for n, m in enumerate(year)}
    plan = [ZERO] * 12  # each month's plan, summed over the lines live in it
    actual = [ZERO] * 12
    carried = [ZERO] * 12  # each later month's run rates
    for line in lines:
        live_year = [m for m in year if m in line.live_months]
        if not live_year:
            continue
        monthly = Fraction(line.planned_cost or 0) / 12
        so_far = [m for m in live_year if m <= month]
        cost_so_far = ZERO
        for m in live_year:
            plan[index[m]] += monthly
        for m in so_far:
            recorded = line.actuals.get(m)
            if recorded is not None:
                cost = Fraction(recorded[1])
                actual[index[m]] += cost
                cost_so_far += cost
        if so_far:
            rate = cost_so_far / len(so_far)
            for m in live_year:
                if m > month:
                    carried[index[m]] += rate
    rows, plan_total, actual_total, forecast = [], ZERO, ZERO, None
    for n, m in enumerate(year):
        plan_total += plan[n]
        if m <= month:
            actual_total += actual[n]
        if m == month:
            forecast = actual_total
        elif m > month:
            forecast += carried[n]
        rows.append((m, plan_total, actual_total if m <= month else None, forecast if m >= month else None))
    return rows


ACTIVITY_AGAINST_PLAN = "activity_against_plan"
COST_AGAINST_PLAN = "cost_against_plan"
SOURCES = (ACTIVITY_AGAINST_PLAN, COST_AGAINST_PLAN)
