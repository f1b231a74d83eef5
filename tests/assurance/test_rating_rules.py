"""METHODOLOGY sections 1 to 4 and 7, table by table."""

from decimal import Decimal as D

import pytest

from assurance import rules
from assurance.rules import A, G, R


def rate(**kwargs):
    defaults = {
        "status": "reported",
        "judgement": False,
        "target": D(95),
        "amber_threshold": D(90),
        "polarity": "higher_better",
    }
    result = rules.indicator_rag(**{**defaults, **kwargs})
    return result.rag, result.reason


# Section 1: every row of the indicator table, in order, and the edges.
@pytest.mark.parametrize(
    ("case", "kwargs", "expected"),
    [
        ("1 not applicable", {"status": "not_applicable", "value": D(50)}, (None, "not_applicable")),
        ("2 missing", {"status": "missing"}, (R, "missing")),
        ("2 no row at all", {"status": None}, (R, "missing")),
        ("3 development plan", {"status": "development_plan"}, (A, "development_plan")),
        (
            "4 judgement green",
            {"judgement": True, "rag": "G", "target": None, "amber_threshold": None},
            (G, "judgement"),
        ),
        ("4 judgement red", {"judgement": True, "rag": "R", "target": None, "amber_threshold": None}, (R, "judgement")),
        ("5 above target", {"value": D(97)}, (G, "target_met")),
        ("5 exactly the target is met", {"value": D(95)}, (G, "target_met")),
        (
            "5 lower is better, exactly the target",
            {"value": D(0), "target": D(0), "amber_threshold": None, "polarity": "lower_better"},
            (G, "target_met"),
        ),
        ("6 on trajectory", {"value": D(88), "trajectory": D(87)}, (A, "on_trajectory")),
        ("6 exactly on trajectory", {"value": D(87), "trajectory": D(87)}, (A, "on_trajectory")),
        (
            "6 trajectory beats persistence",
            {"value": D(88), "trajectory": D(87), "previous_two_not_green": True},
            (A, "on_trajectory"),
        ),
        ("6 below trajectory falls through", {"value": D(86), "trajectory": D(87)}, (R, "off_target")),
        ("7 persistent", {"value": D(92), "previous_two_not_green": True}, (R, "persistent")),
        ("7 persistence beats tolerance", {"value": D(94.9), "previous_two_not_green": True}, (R, "persistent")),
        ("8 within tolerance", {"value": D(92)}, (A, "within_tolerance")),
        ("8 exactly the amber threshold", {"value": D(90)}, (A, "within_tolerance")),
        (
            "8 lower is better within tolerance",
            {"value": D(106), "target": D(100), "amber_threshold": D(110), "polarity": "lower_better"},
            (A, "within_tolerance"),
        ),
        ("9 beyond the amber threshold", {"value": D("89.99")}, (R, "off_target")),
        ("9 no amber threshold: any miss is red", {"value": D(94), "amber_threshold": None}, (R, "off_target")),
        (
            "9 never events: one is red",
            {"value": D(1), "target": D(0), "amber_threshold": None, "polarity": "lower_better"},
            (R, "off_target"),
        ),
    ],
)
def test_indicator_rag(case, kwargs, expected):
    assert rate(**kwargs) == expected


@pytest.mark.parametrize(
    ("kwargs", "green"),
    [
        ({"status": "reported", "judgement": False, "value": D(95), "rag": "", "target": D(95)}, True),
        ({"status": "reported", "judgement": False, "value": D(94), "rag": "", "target": D(95)}, False),
        ({"status": "reported", "judgement": True, "value": None, "rag": "G", "target": None}, True),
        ({"status": "reported", "judgement": True, "value": None, "rag": "A", "target": None}, False),
        ({"status": "missing", "judgement": False, "value": None, "rag": "", "target": D(95)}, False),
        ({"status": None, "judgement": False, "value": None, "rag": "", "target": D(95)}, False),
    ],
)
def test_is_green_is_rules_4_and_5_only(kwargs, green):
    assert rules.is_green(polarity="higher_better", **kwargs) is green


# Section 2: the area table.
@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], None),  # no rated indicator: not rated
        ([(None, False), (None, True)], None),  # all not applicable
        ([(G, False), (G, False), (A, False)], G),  # g > a + r
        ([(G, False), (A, False)], A),  # met equals not met
        ([(G, False), (R, False)], A),  # r = g: not red, not green
        ([(G, False), (R, False), (R, False)], R),  # r > g
        ([(G, False), (G, False), (G, False), (R, True)], R),  # a critical red turns the area red
        ([(G, False), (G, False), (G, False), (A, True)], G),  # a critical amber does not
        ([(A, False), (A, False)], A),
        ([(R, False)], R),
        ([(G, False), (None, False)], G),  # not applicable excluded from counts
    ],
)
def test_area_rag(ratings, expected):
    assert rules.area_rag(ratings).rag == expected


def test_area_counts_exclude_not_applicable():
    result = rules.area_rag([(G, False), (A, False), (R, False), (None, False), (G, True)])
    assert (result.greens, result.ambers, result.reds) == (2, 1, 1)


# Section 3: the level table and Table 2 of seed 002 exactly.
@pytest.mark.parametrize(
    ("areas", "previous", "level"),
    [
        ((G, G, G, G, None), (None, None), 1),  # Table 2 row 1
        ((A, G, G, G, None), (None, None), 1),  # Table 2 row 2
        ((A, A, A, G, None), (None, None), 2),  # Table 2 row 3
        ((A, R, A, A, None), (None, None), 3),  # Table 2 row 4
        ((R, R, A, G, None), (2, 2), 4),  # Table 2 row 5, sustained three months
        ((R, R, A, G, None), (None, None), 3),  # ... not sustained
        ((R, R, A, G, None), (2, 1), 3),  # one preceding month had one red only
        ((R, R, A, G, None), (None, 2), 3),  # a break in the run
        ((R, R, R, G, G), (3, 2), 4),
        ((A, A, G, G, G), (None, None), 2),  # ambers >= 2
        ((A, G, G, G, G), (None, None), 1),
        ((None, None, None, None, None), (2, 2), None),  # no rated area: no level
        ((None, None, None, None, A), (None, None), 1),
    ],
)
def test_recommended_level(areas, previous, level):
    assert rules.recommended_level(areas, previous) == level


@pytest.mark.parametrize(
    ("previous", "current", "order", "arrow"),
    [
        (A, G, rules.RAG_ORDER, "improved"),
        (G, R, rules.RAG_ORDER, "worsened"),
        (A, A, rules.RAG_ORDER, "unchanged"),
        (None, G, rules.RAG_ORDER, None),
        (G, None, rules.RAG_ORDER, None),
        (3, 2, None, "improved"),
        (1, 4, None, "worsened"),
        (2, 2, None, "unchanged"),
        (None, 2, None, None),
    ],
)
def test_direction_arrows(previous, current, order, arrow):
    assert rules.direction(previous, current, order) == arrow


# Section 4: escalation.
@pytest.mark.parametrize(
    ("case", "kwargs", "actions"),
    [
        (
            "first rating starts at the recommended level",
            {"current": None, "recommended": 3, "last_three": [None, None, 3]},
            [("initial", 3)],
        ),
        ("no recommendation, nothing happens", {"current": 2, "recommended": None, "last_three": [2, 2, None]}, []),
        (
            "recommended above current steps up at once",
            {"current": 1, "recommended": 3, "last_three": [1, 1, 3]},
            [("rules_step_up", 3)],
        ),
        (
            "a step-up withdraws a pending step-down",
            {"current": 3, "recommended": 4, "last_three": [2, 2, 4], "pending": 2},
            [("withdraw_proposal", 2), ("rules_step_up", 4)],
        ),
        (
            "below for three months proposes the highest of the three",
            {"current": 3, "recommended": 1, "last_three": [2, 1, 1]},
            [("propose_step_down", 2)],
        ),
        ("below for only two months: nothing yet", {"current": 3, "recommended": 1, "last_three": [3, 1, 1]}, []),
        (
            "a break in the run (no rating) stops a proposal",
            {"current": 3, "recommended": 1, "last_three": [1, None, 1]},
            [],
        ),
        (
            "no second proposal while one is pending",
            {"current": 3, "recommended": 1, "last_three": [1, 1, 1], "pending": 1},
            [],
        ),
        (
            "after a rejection, not until three further qualifying months",
            {"current": 3, "recommended": 1, "last_three": [1, 1, 1], "months_after_gate": False},
            [],
        ),
        ("equal to current: nothing", {"current": 2, "recommended": 2, "last_three": [2, 2, 2]}, []),
        (
            "never automatic: step-down is only proposed",
            {"current": 4, "recommended": 1, "last_three": [1, 1, 1]},
            [("propose_step_down", 1)],
        ),
    ],
)
def test_escalation(case, kwargs, actions):
    assert rules.escalation_actions(**kwargs) == actions


def test_each_level_has_its_owner():
    assert rules.LEVEL_OWNER == {2: "service_director", 3: "executive_director", 4: "chief_executive"}


# Section 7: risk.
@pytest.mark.parametrize(
    ("likelihood", "consequence", "score", "register"),
    [
        (1, 1, 1, "local"),
        (2, 3, 6, "local"),
        (2, 4, 8, "team"),
        (3, 4, 12, "team"),
        (3, 5, 15, "corporate"),
        (5, 5, 25, "corporate"),
    ],
)
def test_risk_register_level(likelihood, consequence, score, register):
    assert rules.risk_register_level(likelihood, consequence) == (score, register)


def test_risk_scores_are_one_to_five():
    with pytest.raises(ValueError, match="1 to 5"):
        rules.risk_register_level(0, 3)


# Section 5: meeting cadence.
@pytest.mark.parametrize(
    ("tier", "level", "cadence"),
    [
        (1, 1, {"sla": 2, "exec_to_exec": 12}),
        (2, 1, {"sla": 6}),
        (3, 1, {"sla": 12}),
        (3, 2, {"sla": 12, "cqprm": 2}),
        (2, 3, {"sla": 6, "cqprm": 1}),
        (1, 4, {"sla": 2, "exec_to_exec": 12, "cqprm": 1}),
        (None, 3, {"cqprm": 1}),  # no active contract: escalation still sets a minimum
        (None, None, {}),
    ],
)
def test_meeting_cadence(tier, level, cadence):
    assert rules.meeting_cadence(tier, level) == cadence
