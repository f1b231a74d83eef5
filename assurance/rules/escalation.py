"""METHODOLOGY 4, escalation: step-up, step-down proposals, withdrawal, who owns each level."""

from .indicator import A, R

INITIAL, RULES_STEP_UP, PROPOSE_STEP_DOWN, WITHDRAW_PROPOSAL = (
    "initial",
    "rules_step_up",
    "propose_step_down",
    "withdraw_proposal",
)


def escalation_actions(
    *,
    current,
    recommended,
    last_three,
    pending=None,
    run_start=None,
    last_change=None,
    last_gate=None,
    months_after_gate=True,
):
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
