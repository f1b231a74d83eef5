"""What a Red needs (seed 003, section 8; issue 18), and the government intervention rule.

Seed 003: a Red needs "an action plan with a trajectory for improvement and designated review
points" and "a risk assessment of the impact of under-performance". So every Red area, every Red
indicator and every provider at level 3 or 4 needs an open action plan, an agreed trajectory and a
risk assessment (an open risk on the register for the area). What is missing is flagged, as are
dates gone by: review dates, actions due, meetings due.

Pure functions on plain values: booleans, codes and dates in, a tuple of what is missing out.
"""

from dataclasses import replace

from .indicator import INTERVENTION, A, G, IndicatorResult, R

ACTION_PLAN, TRAJECTORY, RISK_ASSESSMENT = "action_plan", "trajectory", "risk_assessment"
NEEDS = (ACTION_PLAN, TRAJECTORY, RISK_ASSESSMENT)
FOLLOW_THROUGH_LEVEL = 3  # a provider at level 3 or 4 needs the three, whatever its areas


def missing_for_red(*, has_action_plan, has_trajectory, has_risk_assessment):
    """What a Red (area or indicator) lacks, in the order of NEEDS.

    Each argument is True (it has one), False (it lacks one) or None (not asked of it: a
    judgement indicator has no numeric trajectory; an indicator's risk is its area's).
    """
    found = {ACTION_PLAN: has_action_plan, TRAJECTORY: has_trajectory, RISK_ASSESSMENT: has_risk_assessment}
    return tuple(need for need in NEEDS if found[need] is False)


def needs_follow_through(*, escalation_level=None, rag=None):
    """Whether a provider (by its level) or an area or indicator (by its RAG) needs the three:
    level 3 or 4, or Red."""
    return (escalation_level or 0) >= FOLLOW_THROUGH_LEVEL or rag == R


def is_overdue(due, today, *, done=False):
    """A date gone by: a review date, an action's due date or a meeting's due date before today,
    unless the thing is done (an action completed, a plan or risk closed). No date: not overdue."""
    return not done and due is not None and due < today


# Government intervention and the governance area -------------------------------------------

# Issue 18: "a provider in special measures can never show Green there" (the governance area).
# METHODOLOGY.md does not state this rule; it is the issue's. Read with the NHS Wales escalation
# and intervention arrangements (providers.choices.InterventionLevel codes):
# - the intervention indicator shows at best the RAG of the provider's level: special measures
#   Red, targeted intervention Amber, the others what was entered;
# - the governance area of a provider in special measures is at best Amber, never Green.
INDICATOR_CEILING = {"special_measures": R, "targeted_intervention": A}
AREA_CEILING = {"special_measures": A}
INTERVENTION_INDICATOR = "intervention_level"  # its code in the catalogue (fixtures/indicators.csv)
_WORSE = {G: 0, A: 1, R: 2}


def capped(rag, ceiling):
    """`rag`, or `ceiling` when `rag` is better than it. Not rated (None or blank) stays not rated."""
    if not rag or ceiling is None:
        return rag
    return rag if _WORSE[rag] >= _WORSE[ceiling] else ceiling


def intervention_indicator_rag(result, intervention_level):
    """The intervention indicator's result (an IndicatorResult) given the provider's government
    intervention level: capped at the level's RAG, with the reason `intervention` when capped."""
    rag = capped(result.rag, INDICATOR_CEILING.get(intervention_level))
    return result if rag == result.rag else IndicatorResult(rag, INTERVENTION)


def governance_area_rag(rag, intervention_level):
    """The governance area's RAG given the provider's government intervention level."""
    return capped(rag, AREA_CEILING.get(intervention_level))


def governance_area_result(result, intervention_level):
    """`governance_area_rag` on an AreaResult (its counts kept)."""
    rag = governance_area_rag(result.rag, intervention_level)
    return result if rag == result.rag else replace(result, rag=rag)
