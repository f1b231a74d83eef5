"""The methodology (../shared/METHODOLOGY.md) as pure functions on plain values.

No ORM and no Django: plain numbers and codes in, a small result out, so the rules are
tested like the methodology's tables. Sections 1 to 4 (indicator RAG, area RAG,
recommended level and arrows, escalation) and 7 (risk) and 8 (data quality).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from statistics import mean

# Unit codes (DESIGN.md indicators.csv). Kept as plain strings: this module imports nothing of Django.
COUNT, PERCENT, RATE, DAYS, GBP, RATIO = "count", "percent", "rate", "days", "gbp", "ratio"
PERCENT_OF_PLAN = "percent_of_plan"  # cost or activity against plan: may exceed 100
XMR_CONSTANT = Decimal("2.66")


def gettext_noop(message):
    """Marks a message for translation without importing Django: makemessages extracts it,
    and the form or importer that shows it translates it (`_(message)`)."""
    return message



def parse_number(text):
    """A cell or form value as a Decimal, tolerating £, % and thousands separators; None if blank.

    Raises ValueError when the text is not a number.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    cleaned = str(text).strip().replace(",", "").replace("£", "").rstrip("%").strip()
    if cleaned == "":
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"“{text}” is not a number.") from exc
    if not number.is_finite():
        raise ValueError(f"“{text}” is not a number.")
    return number


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


def process_limits(values):
    """XmR process limits of a series: (mean, lower, upper), or None with fewer than two points.

    Upper and lower limits are the mean plus or minus 2.66 times the mean moving range
    (NHS "Making Data Count"). The series 1..10 gives 5.5, 2.84 and 8.16.
    """
    points = [Decimal(v) for v in values if v is not None]
    if len(points) < 2:
        return None
    centre = Decimal(mean(points))
    moving_range = Decimal(mean(abs(b - a) for a, b in zip(points, points[1:], strict=False)))
    spread = XMR_CONSTANT * moving_range
    return centre, centre - spread, centre + spread


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


REPORTED = "reported"
RAGS = ("G", "A", "R")


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
            problems.append(("rag", gettext_noop("Choose Green, Amber or Red (G, A or R) for this judgement indicator.")))
        return problems
    if rag:
        problems.append(("rag", gettext_noop("This indicator is measured by its value; leave the RAG blank.")))
    if value is None:
        problems.append(("value", gettext_noop("Enter the value, or say why there is none (missing, development plan or not applicable).")))
    else:
        problem = value_problem(unit, value)
        if problem:
            problems.append(("value", problem))
    return problems


# 1. Indicator RAG ----------------------------------------------------------------------

G, A, R = "G", "A", "R"
MISSING, DEVELOPMENT_PLAN, NOT_APPLICABLE = "missing", "development_plan", "not_applicable"
HIGHER_BETTER = "higher_better"


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's RAG for a month (None when not applicable) and the rule that gave it."""

    rag: str | None
    reason: str


def exact(number):
    """A number as an exact Decimal, whatever the database driver handed back.

    SQLite returns a stored 91.7 as the float 91.70000000000000284..., which is not equal
    to the Decimal 91.7; the float's shortest representation ("91.7") is the value that
    was stored, so it is read back through text. None stays None.
    """
    if number is None or isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(str(number))


def meets(value, threshold, polarity):
    """Does the value meet a target, trajectory or threshold, given the indicator's polarity?

    Compared as exact decimals (a value exactly on its target meets it on any database).
    """
    value, threshold = exact(value), exact(threshold)
    return value >= threshold if polarity == HIGHER_BETTER else value <= threshold


def is_green(*, status, judgement, value, rag, target, polarity):
    """Whether a month's result is Green: only rules 4 (judgement G) and 5 (target met) give G.

    Used for the persistence rule, which looks back at whether the two preceding months
    were Green: that does not depend on their own persistence, so no recursion is needed.
    """
    if status in (NOT_APPLICABLE, MISSING, DEVELOPMENT_PLAN) or status is None:
        return False
    if judgement:
        return rag == G
    return value is not None and target is not None and meets(value, target, polarity)


def indicator_rag(*, status, judgement, value=None, rag="", target=None, amber_threshold=None,
                  polarity=HIGHER_BETTER, trajectory=None, previous_two_not_green=False):
    """METHODOLOGY 1: the first rule that fires gives the RAG and its reason.

    `status` is None when the provider has no row for an applicable indicator.
    `previous_two_not_green` is True when the indicator was rated and not Green in each of
    the two preceding months (a month with no rating, or rated not_applicable, breaks it).
    """
    if status == NOT_APPLICABLE:
        return IndicatorResult(None, "not_applicable")                    # 1
    if status is None or status == MISSING:
        return IndicatorResult(R, "missing")                              # 2
    if status == DEVELOPMENT_PLAN:
        return IndicatorResult(A, "development_plan")                     # 3
    if judgement:
        return IndicatorResult(rag if rag in (G, A, R) else R, "judgement")  # 4
    if value is None:
        return IndicatorResult(R, "missing")  # a reported number with no value is not data
    if meets(value, target, polarity):
        return IndicatorResult(G, "target_met")                           # 5
    if trajectory is not None and meets(value, trajectory, polarity):
        return IndicatorResult(A, "on_trajectory")                        # 6
    if previous_two_not_green:
        return IndicatorResult(R, "persistent")                           # 7
    if amber_threshold is not None and meets(value, amber_threshold, polarity):
        return IndicatorResult(A, "within_tolerance")                     # 8
    return IndicatorResult(R, "off_target")                               # 9


# 2. Area RAG ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaResult:
    rag: str | None
    greens: int
    ambers: int
    reds: int


def area_rag(ratings):
    """METHODOLOGY 2 from [(rag, critical)] of the area's indicators (None rags excluded).

    Red if reds outnumber greens or a critical indicator is Red; Green if greens outnumber
    ambers and reds together; Amber otherwise; not rated when nothing is rated.
    """
    rated = [(rag, critical) for rag, critical in ratings if rag is not None]
    g = sum(1 for rag, _c in rated if rag == G)
    a = sum(1 for rag, _c in rated if rag == A)
    r = sum(1 for rag, _c in rated if rag == R)
    if not rated:
        return AreaResult(None, 0, 0, 0)
    if r > g or any(rag == R and critical for rag, critical in rated):
        return AreaResult(R, g, a, r)
    if g > a + r:
        return AreaResult(G, g, a, r)
    return AreaResult(A, g, a, r)


# 3. Recommended escalation level and arrows ---------------------------------------------

def count_reds_ambers(area_rags):
    rags = [rag for rag in area_rags if rag is not None]
    return sum(1 for rag in rags if rag == R), sum(1 for rag in rags if rag == A)


def recommended_level(area_rags, previous_two_reds=(None, None)):
    """METHODOLOGY 3 from this month's five area ratings (after overrides).

    `previous_two_reds` holds the count of Red areas in each of the two preceding months
    (None when that month is not a collection period or the provider was not rated).
    Returns None when no area is rated.
    """
    if all(rag is None for rag in area_rags):
        return None
    reds, ambers = count_reds_ambers(area_rags)
    if reds >= 2 and all(previous is not None and previous >= 2 for previous in previous_two_reds):
        return 4
    if reds >= 1:
        return 3
    if ambers >= 2:
        return 2
    return 1


IMPROVED, UNCHANGED, WORSENED = "improved", "unchanged", "worsened"
RAG_ORDER = {G: 0, A: 1, R: 2}


def direction(previous, current, order=RAG_ORDER):
    """The arrow against last month: improved, unchanged or worsened; None if either is not rated.

    For RAGs, Green is best; for levels pass `order=None`: a lower level is better.
    """
    if previous is None or current is None:
        return None
    rank = (lambda x: x) if order is None else order.get
    before, now = rank(previous), rank(current)
    if now < before:
        return IMPROVED
    if now > before:
        return WORSENED
    return UNCHANGED


# 4. Escalation: step-up and step-down ---------------------------------------------------

INITIAL, RULES_STEP_UP, PROPOSE_STEP_DOWN, WITHDRAW_PROPOSAL = (
    "initial", "rules_step_up", "propose_step_down", "withdraw_proposal")


def escalation_actions(*, current, recommended, last_three, pending=None, run_start=None,
                       last_change=None, last_gate=None, months_after_gate=True):
    """METHODOLOGY 4 for one provider and month, as the newest month with data.

    current: the provider's escalation level, or None before its first rating.
    recommended: this month's recommended level, or None (the month is not rated).
    last_three: recommended levels of the two preceding months and this one, oldest first,
        None where the month is not a collection period or the provider was not rated.
    pending: the level of a pending step-down proposal, or None.
    run_start: the first of the three months (any comparable month value, such as a date or
        'YYYY-MM'); with last_change (the month of the latest change of level) and last_gate
        (the month of the latest rejected or withdrawn proposal), a step-down is proposed only
        when all three months fall after both. None: that month is not known or there is none.
    months_after_gate: False blocks a proposal as a gate not yet passed does (for callers
        that work the gate out themselves).
    Returns [(action, level)], in the order to apply them.
    """
    if recommended is None:
        return []
    if current is None:
        return [(INITIAL, recommended)]
    actions = []
    if pending is not None and recommended >= current:
        # The improvement did not hold (or the level rises by rule): the proposal is withdrawn.
        actions.append((WITHDRAW_PROPOSAL, pending))
        pending = None
    if recommended > current:
        return [*actions, (RULES_STEP_UP, recommended)]
    if actions:
        return actions
    below = all(level is not None and level < current for level in last_three)
    if below and pending is None and months_after_gate and run_after(run_start, last_change, last_gate):
        return [(PROPOSE_STEP_DOWN, max(last_three))]
    return []


def run_after(run_start, *months):
    """Whether a run of months starting at `run_start` falls wholly after each of `months`
    (None among them: nothing to be after). An unknown start is after nothing but None."""
    known = [month for month in months if month is not None]
    if not known:
        return True
    return run_start is not None and all(run_start > month for month in known)


def triggering_areas(level, concerns):
    """The areas that triggered a level by rule (METHODOLOGY 3): the Red areas for level 3 or
    4, the Amber areas for level 2, none for level 1. `concerns` is [(area, rag)]."""
    wanted = R if level >= 3 else A if level == 2 else None
    return [(area, rag) for area, rag in concerns if rag == wanted]


# Who is informed, and who approves a step-down from each level (METHODOLOGY 4).
LEVEL_OWNER = {2: "service_director", 3: "executive_director", 4: "chief_executive"}


# 7. Risk scores --------------------------------------------------------------------------

def risk_register_level(likelihood, consequence):
    """Score = likelihood x consequence (each 1 to 5) and the register it belongs on."""
    if not (1 <= likelihood <= 5 and 1 <= consequence <= 5):
        raise ValueError("Likelihood and consequence are each scored 1 to 5.")
    score = likelihood * consequence
    if score >= 15:
        return score, "corporate"
    if score >= 8:
        return score, "team"
    return score, "local"


# 5. Meeting cadence ----------------------------------------------------------------------

SLA, CQPRM, EXEC_TO_EXEC, PROVIDER_SUMMIT = "sla", "cqprm", "exec_to_exec", "provider_summit"
ROUTINE_SLA_MONTHS = {1: 2, 2: 6, 3: 12}


def meeting_cadence(tier, level):
    """METHODOLOGY 5: {meeting kind: months between meetings} for a provider.

    Routine SLA meetings follow the tier of the provider's largest active contract (tier 1
    also an annual Exec-to-Exec); escalation sets a minimum on top: a CQPRM at least every
    two months at level 2, monthly at levels 3 and 4.
    """
    cadence = {}
    if tier in ROUTINE_SLA_MONTHS:
        cadence[SLA] = ROUTINE_SLA_MONTHS[tier]
    if tier == 1:
        cadence[EXEC_TO_EXEC] = 12
    if level == 2:
        cadence[CQPRM] = 2
    elif level in (3, 4):
        cadence[CQPRM] = 1
    return cadence
