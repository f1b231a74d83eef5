"""METHODOLOGY 1, the indicator RAG: the first rule that fires gives the RAG and its reason."""

from dataclasses import dataclass

from .numbers import exact

G, A, R = "G", "A", "R"
MISSING, DEVELOPMENT_PLAN, NOT_APPLICABLE = "missing", "development_plan", "not_applicable"
HIGHER_BETTER = "higher_better"
# The reason codes, one per rule of the table (rules 1 to 3 share their status's code).
JUDGEMENT, TARGET_MET, ON_TRAJECTORY = "judgement", "target_met", "on_trajectory"
PERSISTENT, WITHIN_TOLERANCE, OFF_TARGET = "persistent", "within_tolerance", "off_target"
# Not a rule of METHODOLOGY 1: the intervention indicator capped by the provider's government
# intervention level (issue 18, rules.follow_through).
INTERVENTION = "intervention"
REASONS = (
    NOT_APPLICABLE,
    MISSING,
    DEVELOPMENT_PLAN,
    JUDGEMENT,
    TARGET_MET,
    ON_TRAJECTORY,
    PERSISTENT,
    WITHIN_TOLERANCE,
    OFF_TARGET,
    INTERVENTION,
)


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's RAG for a month (None when not applicable) and the rule that gave it."""

    rag: str | None
    reason: str


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


def indicator_rag(
    *,
    status,
    judgement,
    value=None,
    rag="",
    target=None,
    amber_threshold=None,
    polarity=HIGHER_BETTER,
    trajectory=None,
    previous_two_not_green=False,
):
    """METHODOLOGY 1: the first rule that fires gives the RAG and its reason.

    `status` is None when the provider has no row for an applicable indicator.
    `previous_two_not_green` is True when the indicator was rated and not Green in each of
    the two preceding months (a month with no rating, or rated not_applicable, breaks it).
    """
    if status == NOT_APPLICABLE:
        return IndicatorResult(None, NOT_APPLICABLE)  # 1
    if status is None or status == MISSING:
        return IndicatorResult(R, MISSING)  # 2
    if status == DEVELOPMENT_PLAN:
        return IndicatorResult(A, DEVELOPMENT_PLAN)  # 3
    if judgement:
        return IndicatorResult(rag if rag in (G, A, R) else R, JUDGEMENT)  # 4
    if value is None:
        return IndicatorResult(R, MISSING)  # a reported number with no value is not data
    if meets(value, target, polarity):
        return IndicatorResult(G, TARGET_MET)  # 5
    if trajectory is not None and meets(value, trajectory, polarity):
        return IndicatorResult(A, ON_TRAJECTORY)  # 6
    if previous_two_not_green:
        return IndicatorResult(R, PERSISTENT)  # 7
    if amber_threshold is not None and meets(value, amber_threshold, polarity):
        return IndicatorResult(A, WITHIN_TOLERANCE)  # 8
    return IndicatorResult(R, OFF_TARGET)  # 9
