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
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from providers.periods import financial_year_months

ZERO = Fraction(0)
HUNDRED = Fraction(100)
# Exact arithmetic in whole numbers: money in pence, monthly plans in twelfths (annual x live months,
# over 12) and forecasts over 27,720 (the least common multiple of 1 to 12, so actual x L / k is a
# whole number of 27,720ths of a penny for any k live months so far). Python's integers are exact and
# fast; a Fraction is made only for a result that is shown.
FORECAST_SCALE = 27720


def pence(value) -> int:
    """Pounds (Decimal, int or str with at most two decimal places) as whole pence, exactly."""
    scaled = Decimal(value) * 100
    whole = int(scaled)
    if whole != scaled:
        raise ValueError(f"{value} has more than two decimal places")
    return whole


@dataclass(frozen=True)
class LineFacts:
    """What the rules need of one contract line: its planned annual figures (None: not
    planned, counted as zero), the months its contract is live and its recorded actuals."""

    key: object  # the line's id, or anything that names it
    planned_activity: object = None
    planned_cost: object = None
    live_months: frozenset = frozenset()
    actuals: dict = field(default_factory=dict)  # {month: (activity, cost)}
    # True when planned_cost and the actuals' costs are already whole pence (ints), as the selector
    # reads them: a national estate's year is hundreds of thousands of actuals.
    in_pence: bool = False


@dataclass(frozen=True)
class Position:
    """Year-to-date figures at a month, exact, for one line or summed over lines. Held as whole
    numbers (see FORECAST_SCALE); read them through the properties, which are exact Fractions."""

    plan_activity_12: int = 0  # planned activity x 12
    actual_activity_n: int = 0
    plan_cost_12p: int = 0  # planned cost in pence x 12
    actual_cost_p: int = 0  # actual cost in pence
    forecast_scaled: int = 0  # forecast outturn in pence x FORECAST_SCALE
    plan_year_12p: int = 0  # the plan for the whole financial year (live months), pence x 12
    lines: int = 0  # lines live in any month of the financial year up to the month
    missing: tuple = ()  # (line key, month) of live months so far with no actual recorded
    recorded_in_month: bool = False  # an actual is recorded in the month itself for a line live then

    @property
    def plan_activity(self):
        return Fraction(self.plan_activity_12, 12)

    @property
    def actual_activity(self):
        return Fraction(self.actual_activity_n)

    @property
    def plan_cost(self):
        return Fraction(self.plan_cost_12p, 1200)

    @property
    def actual_cost(self):
        return Fraction(self.actual_cost_p, 100)

    @property
    def forecast_outturn_cost(self):
        return Fraction(self.forecast_scaled, 100 * FORECAST_SCALE)

    @property
    def plan_cost_year(self):
        return Fraction(self.plan_year_12p, 1200)

    # Derived results (METHODOLOGY 9), exact; None where the methodology says blank.
    @property
    def activity_variance(self):
        return self.actual_activity - self.plan_activity

    @property
    def cost_variance(self):
        return self.actual_cost - self.plan_cost

    @property
    def cost_variance_12p(self):
        """The cost variance in pence x 12, a whole number: for sorting without Fractions."""
        return self.actual_cost_p * 12 - self.plan_cost_12p

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
    """A Decimal with `places` decimal places, halves rounded away from zero; None stays None.
    Whole-number arithmetic on the exact value's numerator and denominator: nothing is lost."""
    if value is None:
        return None
    exact = value if isinstance(value, Fraction) else Fraction(value)
    numerator, denominator = exact.numerator, exact.denominator
    whole = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)  # floor(x + 1/2)
    return Decimal(-whole if numerator < 0 else whole).scaleb(-places)


def money(value):
    """Activity and money: two decimal places, half up."""
    return round_half_up(value, 2)


def percent(value):
    """Percentages: one decimal place, half up."""
    return round_half_up(value, 1)


@lru_cache(maxsize=64)
def _year(month):
    return tuple(financial_year_months(month))


def line_position(line: LineFacts, month) -> Position:
    """One line's year to date at `month` (METHODOLOGY 9)."""
    year = _year(month)
    live_year = [m for m in year if m in line.live_months]
    live_so_far = [m for m in live_year if m <= month]
    if not live_so_far:
        return Position()
    k, total = len(live_so_far), len(live_year)
    to_pence = int if line.in_pence else pence
    annual_activity = int(line.planned_activity or 0)
    annual_pence = to_pence(line.planned_cost or 0)
    actual_activity, actual_pence, missing = 0, 0, []
    for m in live_so_far:
        recorded = line.actuals.get(m)
        if recorded is None:
            missing.append((line.key, m))
            continue
        actual_activity += int(recorded[0])
        actual_pence += to_pence(recorded[1])
    return Position(
        plan_activity_12=annual_activity * k,
        actual_activity_n=actual_activity,
        plan_cost_12p=annual_pence * k,
        actual_cost_p=actual_pence,
        # Straight line: YTD actual cost / live months so far x live months in the year.
        forecast_scaled=actual_pence * total * (FORECAST_SCALE // k),
        plan_year_12p=annual_pence * total,
        lines=1,
        missing=tuple(missing),
        recorded_in_month=month in line.live_months and month in line.actuals,
    )


def combine(positions) -> Position:
    """Positions summed exactly (a contract, provider, team or the estate: its lines)."""
    sums = [0] * 7
    missing, recorded = [], False
    for p in positions:
        sums[0] += p.plan_activity_12
        sums[1] += p.actual_activity_n
        sums[2] += p.plan_cost_12p
        sums[3] += p.actual_cost_p
        sums[4] += p.forecast_scaled
        sums[5] += p.plan_year_12p
        sums[6] += p.lines
        missing.extend(p.missing)
        recorded = recorded or p.recorded_in_month
    return Position(*sums, missing=tuple(missing), recorded_in_month=recorded)


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
    cost or None after `month`, straight-line forecast or None before `month`), exact Fractions. From
    `month` on, each line's run rate (YTD actual cost / live months so far) is carried over its
    remaining live months, so the forecast ends at the forecast outturn. One pass over the lines."""
    year = _year(month)
    index = {m: n for n, m in enumerate(year)}
    plan = [0] * 12  # each month's plan in pence x 12, over the lines live in it
    actual = [0] * 12  # pence
    carried = [0] * 12  # each later month's run rates, pence x FORECAST_SCALE
    for line in lines:
        live_year = [m for m in year if m in line.live_months]
        if not live_year:
            continue
        to_pence = int if line.in_pence else pence
        annual = to_pence(line.planned_cost or 0)
        so_far = [m for m in live_year if m <= month]
        cost_so_far = 0
        for m in live_year:
            plan[index[m]] += annual
        for m in so_far:
            recorded = line.actuals.get(m)
            if recorded is not None:
                cost = to_pence(recorded[1])
                actual[index[m]] += cost
                cost_so_far += cost
        if so_far:
            rate = cost_so_far * (FORECAST_SCALE // len(so_far))
            for m in live_year:
                if m > month:
                    carried[index[m]] += rate
    rows, plan_total, actual_total, forecast = [], 0, 0, None
    for n, m in enumerate(year):
        plan_total += plan[n]
        if m <= month:
            actual_total += actual[n]
        if m == month:
            forecast = actual_total * FORECAST_SCALE
        elif m > month:
            forecast += carried[n]
        rows.append(
            (
                m,
                Fraction(plan_total, 1200),
                Fraction(actual_total, 100) if m <= month else None,
                Fraction(forecast, 100 * FORECAST_SCALE) if m >= month else None,
            )
        )
    return rows


ACTIVITY_AGAINST_PLAN = "activity_against_plan"
COST_AGAINST_PLAN = "cost_against_plan"
SOURCES = (ACTIVITY_AGAINST_PLAN, COST_AGAINST_PLAN)
