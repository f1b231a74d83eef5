"""METHODOLOGY 8, data quality: validity of a value for its unit, the reliability (outlier) test
over the XmR process limits (the one computation of them: the SPC charts of reporting.spc use it
too), timeliness (where a return stands), and what is wrong with a result."""

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from math import gcd
from statistics import mean

from .indicator import A, G, R
from .numbers import gettext_noop

# Unit codes (DESIGN.md indicators.csv). Kept as plain strings: this module imports nothing of Django.
COUNT, PERCENT, RATE, DAYS, GBP, RATIO = "count", "percent", "rate", "days", "gbp", "ratio"
PERCENT_OF_PLAN = "percent_of_plan"  # cost or activity against plan: may exceed 100
XMR_CONSTANT = Decimal("2.66")


def value_problem(unit, value):
    """METHODOLOGY 8, validity: why a value cannot be right for its unit, or None.

    Counts are non-negative whole numbers, percentages 0 to 100, a percentage of a plan
    0 or more with no upper limit (an overspend is over 100), money non-negative; rates,
    days and ratios cannot be negative either.
    """
    if value is None:
        return None
    if value.as_tuple().exponent < -4 or abs(value) >= Decimal("1e12"):
        return gettext_noop("Enter a number with no more than 4 decimal places and under a trillion.")
    if unit == COUNT:
        if value < 0 or value != value.to_integral_value():
            return gettext_noop("A count must be a whole number, 0 or more.")
    elif unit == PERCENT:
        if not Decimal(0) <= value <= Decimal(100):
            return gettext_noop("A percentage must be between 0 and 100.")
    elif unit == PERCENT_OF_PLAN:
        if value < 0:  # no upper limit: spending or doing more than planned is over 100
            return gettext_noop("A percentage of plan cannot be negative (it may be over 100).")
    elif value < 0:
        return {
            GBP: gettext_noop("An amount of money cannot be negative."),
            RATE: gettext_noop("A rate cannot be negative."),
            DAYS: gettext_noop("A number of days cannot be negative."),
            RATIO: gettext_noop("A ratio cannot be negative."),
        }.get(unit, gettext_noop("The value cannot be negative."))
    return None


@dataclass(frozen=True)
class XmRLimits:
    """An XmR chart's centre line, mean moving range and process limits, as exact decimals."""

    centre: Decimal
    mean_moving_range: Decimal
    lower: Decimal
    upper: Decimal


_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # sums of decimals, never rounded


def exact_mean(points):
    """The mean of decimals, exactly as statistics.mean gives it (the exact sum over the count,
    in lowest terms, divided once in the current context), by integer arithmetic: statistics.mean
    sums through Fractions, which was a fifth of a month's upload (the outlier test of each row)."""
    points = list(points)
    if not points or not all(point.is_finite() for point in points):
        return mean(points)  # its error, or its way with infinities
    total = _EXACT.create_decimal(0)
    for point in points:
        total = _EXACT.add(total, point)
    numerator, denominator = total.as_integer_ratio()
    denominator *= len(points)
    common = gcd(numerator, denominator)
    return Decimal(numerator // common) / Decimal(denominator // common)


def xmr_limits(values):
    """The XmR statistics of a series (blanks skipped), or None with fewer than two points.

    Upper and lower limits are the mean plus or minus 2.66 times the mean moving range
    (NHS "Making Data Count"). The series 1..10 gives 5.5, 2.84 and 8.16.
    """
    points = [Decimal(v) for v in values if v is not None]
    if len(points) < 2:
        return None
    centre = exact_mean(points)
    moving_range = exact_mean([abs(b - a) for a, b in zip(points, points[1:], strict=False)])
    spread = XMR_CONSTANT * moving_range
    return XmRLimits(centre, moving_range, centre - spread, centre + spread)


def process_limits(values):
    """XmR process limits of a series: (mean, lower, upper), or None with fewer than two points
    (see xmr_limits)."""
    limits = xmr_limits(values)
    return None if limits is None else (limits.centre, limits.lower, limits.upper)


def outside_recent_range(history, value):
    """METHODOLOGY 8, reliability: is the value outside the process limits of the history?

    `history` is the indicator's values over the previous twelve months for the provider,
    oldest first, from received returns only (submitted or locked: a draft never shapes the
    usual range). A flat history (no variation) flags any different value. The one outlier
    test: the return form and the imports all call it.
    """
    if value is None:
        return False
    limits = process_limits(history)
    if limits is None:
        return False
    _centre, lower, upper = limits
    return value < lower or value > upper


# Where a provider's return for a month stands (METHODOLOGY 8, timeliness): assurance.choices.ReturnState.
NOT_STARTED, DRAFT, SUBMITTED, LATE, OVERDUE, LOCKED = (
    "not_started",
    "draft",
    "submitted",
    "late",
    "overdue",
    "locked",
)
RETURN_STATES = (NOT_STARTED, DRAFT, SUBMITTED, LATE, OVERDUE, LOCKED)


def return_state(*, status, submitted_on, deadline, today, period_locked):
    """METHODOLOGY 8, timeliness: where a provider's return for a month stands.

    status: the return's status ("draft", "submitted" or "locked"), or None when there is no
        return at all.
    submitted_on: the (London) date it was submitted, or None if it has not been.
    deadline: the month's collection deadline; today: the date it is judged on;
    period_locked: whether the whole month is locked.

    A locked month or return is "locked"; submitted by the deadline "submitted", after it
    "late"; not submitted once the deadline has passed "overdue" (whether a draft exists or
    not); before then "draft" or "not_started".
    """
    if period_locked or status == LOCKED:
        return LOCKED
    if submitted_on is not None:
        return LATE if submitted_on > deadline else SUBMITTED
    if today > deadline:
        return OVERDUE
    return DRAFT if status is not None else NOT_STARTED


REPORTED = "reported"
RAGS = (G, A, R)


def result_problems(*, judgement, unit, status, value, rag):
    """What is wrong with one indicator's result for a month: [(field, message)].

    A reported numeric indicator needs a valid value and no RAG; a reported judgement
    indicator needs a RAG (G, A or R) and no value; any other status (missing,
    development plan, not applicable) carries neither.
    """
    problems = []
    if status != REPORTED:
        if value is not None:
            problems.append(("value", gettext_noop("Leave the value blank unless the result is reported.")))
        if rag:
            problems.append(("rag", gettext_noop("Leave the RAG blank unless the result is reported.")))
        return problems
    if judgement:
        if value is not None:
            problems.append(("value", gettext_noop("This is a judgement indicator: choose a RAG, not a value.")))
        if rag not in RAGS:
            problems.append(
                ("rag", gettext_noop("Choose Green, Amber or Red (G, A or R) for this judgement indicator."))
            )
        return problems
    if rag:
        problems.append(("rag", gettext_noop("This indicator is measured by its value; leave the RAG blank.")))
    if value is None:
        problems.append(
            (
                "value",
                gettext_noop(
                    "Enter the value, or say why there is none (missing, development plan or not applicable)."
                ),
            )
        )
    else:
        problem = value_problem(unit, value)
        if problem:
            problems.append(("value", problem))
    return problems
