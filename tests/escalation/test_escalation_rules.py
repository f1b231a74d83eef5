"""METHODOLOGY 4, second edition, as tables: withdrawal, and when a step-down run may start.

Months are written 'YYYY-MM'; `run_start` is the first of the three months looked back over.
"""

import pytest

from assurance import rules

WITHDRAW, STEP_UP, PROPOSE = rules.WITHDRAW_PROPOSAL, rules.RULES_STEP_UP, rules.PROPOSE_STEP_DOWN


@pytest.mark.parametrize(
    ("case", "kwargs", "actions"),
    [
        (
            "a pending step-down is withdrawn when the newer month is back at the current level",
            {"current": 3, "recommended": 3, "last_three": [1, 1, 3], "pending": 1},
            [(WITHDRAW, 1)],
        ),
        (
            "... and when it is above it, the level then rises by rule",
            {"current": 3, "recommended": 4, "last_three": [1, 1, 4], "pending": 1},
            [(WITHDRAW, 1), (STEP_UP, 4)],
        ),
        (
            "a newer month still below the current level keeps the proposal waiting",
            {"current": 3, "recommended": 2, "last_three": [1, 1, 2], "pending": 1},
            [],
        ),
        (
            "a month not rated (no return) withdraws nothing and proposes nothing",
            {"current": 3, "recommended": None, "last_three": [1, 1, None], "pending": 1},
            [],
        ),
        ("no proposal is pending: nothing to withdraw", {"current": 3, "recommended": 3, "last_three": [1, 1, 3]}, []),
    ],
)
def test_a_pending_step_down_is_withdrawn_when_the_improvement_does_not_hold(case, kwargs, actions):
    assert rules.escalation_actions(**kwargs) == actions


# A provider at level 3, recommended level 1 in each of the three months from run_start.
BELOW = {"current": 3, "recommended": 1, "last_three": [1, 1, 1]}


@pytest.mark.parametrize(
    ("case", "months", "actions"),
    [
        ("never changed, never gated: proposed", {"run_start": "2026-04"}, [(PROPOSE, 1)]),
        (
            "stepped up in March: April, May and June all after it, proposed in June",
            {"run_start": "2026-04", "last_change": "2026-03"},
            [(PROPOSE, 1)],
        ),
        (
            "stepped up in March: not yet in May (March, April, May)",
            {"run_start": "2026-03", "last_change": "2026-03"},
            [],
        ),
        (
            "escalated by hand with April the newest month: not proposed in May",
            {"run_start": "2026-03", "last_change": "2026-04"},
            [],
        ),
        ("... nor in June", {"run_start": "2026-04", "last_change": "2026-04"}, []),
        (
            "... but in July, three months after April",
            {"run_start": "2026-05", "last_change": "2026-04"},
            [(PROPOSE, 1)],
        ),
        (
            "a proposal for May rejected: the run May to July is not after it (not in July)",
            {"run_start": "2026-05", "last_change": "2026-01", "last_gate": "2026-05"},
            [],
        ),
        (
            "... the run June to August is: proposed in August, however soon anyone clicked",
            {"run_start": "2026-06", "last_change": "2026-01", "last_gate": "2026-05"},
            [(PROPOSE, 1)],
        ),
        (
            "a proposal for May withdrawn in June gates like a rejection",
            {"run_start": "2026-04", "last_gate": "2026-05"},
            [],
        ),
        (
            "after the gate but not after the change of level: not proposed",
            {"run_start": "2026-06", "last_change": "2026-07", "last_gate": "2026-05"},
            [],
        ),
        (
            "after the change of level but not after the gate: not proposed",
            {"run_start": "2026-06", "last_change": "2026-02", "last_gate": "2026-06"},
            [],
        ),
        (
            "an approved step-down for May is the change of level: the next at August",
            {"run_start": "2026-06", "last_change": "2026-05"},
            [(PROPOSE, 1)],
        ),
    ],
)
def test_a_step_down_run_falls_after_the_latest_change_of_level_and_the_latest_gate(case, months, actions):
    assert rules.escalation_actions(**BELOW, **months) == actions


@pytest.mark.parametrize(
    ("case", "kwargs", "actions"),
    [
        (
            "the run needs all three months below the current level",
            {"current": 3, "recommended": 1, "last_three": [3, 1, 1], "run_start": "2026-04"},
            [],
        ),
        (
            "a month not rated in the run breaks it",
            {"current": 3, "recommended": 1, "last_three": [1, None, 1], "run_start": "2026-04"},
            [],
        ),
        (
            "it proposes the highest recommended level of the three",
            {"current": 4, "recommended": 1, "last_three": [1, 3, 2], "run_start": "2026-04"},
            [(PROPOSE, 3)],
        ),
        (
            "no second proposal while one is pending",
            {"current": 3, "recommended": 1, "last_three": [1, 1, 1], "pending": 2, "run_start": "2026-04"},
            [],
        ),
    ],
)
def test_a_step_down_run(case, kwargs, actions):
    assert rules.escalation_actions(**kwargs) == actions


@pytest.mark.parametrize(
    ("level", "concerns", "areas"),
    [
        (3, [("access", "A"), ("governance", "R")], [("governance", "R")]),
        (4, [("access", "R"), ("governance", "R"), ("finance_activity", "A")], [("access", "R"), ("governance", "R")]),
        (2, [("access", "A"), ("governance", "A")], [("access", "A"), ("governance", "A")]),
        (1, [("access", "A")], []),
    ],
)
def test_the_areas_that_triggered_a_level_by_rule(level, concerns, areas):
    assert rules.triggering_areas(level, concerns) == areas
