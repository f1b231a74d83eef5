"""METHODOLOGY 8 (data quality) rules, table-driven."""

from datetime import date
from decimal import Decimal

import pytest

from assurance import rules


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("95", Decimal("95")),
        (" 95.5% ", Decimal("95.5")),
        ("£1,200.50", Decimal("1200.50")),
        ("", None),
        (None, None),
        (12, Decimal(12)),
        (1.5, Decimal("1.5")),
    ],
)
def test_numbers_are_read_as_spreadsheets_write_them(text, number):
    assert rules.parse_number(text) == number


@pytest.mark.parametrize("text", ["ninety", "1.2.3", "NaN", "inf", "12a"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match="not a number"):
        rules.parse_number(text)


@pytest.mark.parametrize(
    ("unit", "value", "ok"),
    [
        ("count", "0", True),
        ("count", "12", True),
        ("count", "-1", False),
        ("count", "2.5", False),
        ("count", "3.0", True),
        ("percent", "0", True),
        ("percent", "100", True),
        ("percent", "100.01", False),
        ("percent", "-0.1", False),
        ("gbp", "0", True),
        ("gbp", "1500000.25", True),
        ("gbp", "-1", False),
        ("rate", "-2", False),
        ("rate", "25.5", True),
        ("days", "-1", False),
        ("ratio", "-0.5", False),
        ("ratio", "1.07", True),
        ("percent", "95.12345", False),  # more than four decimal places
    ],
)
def test_validity_by_unit(unit, value, ok):
    assert (rules.value_problem(unit, Decimal(value)) is None) is ok


def test_process_limits_of_the_published_worked_example():
    centre, lower, upper = rules.process_limits(range(1, 11))
    assert centre == Decimal("5.5")
    assert lower == Decimal("2.84")
    assert upper == Decimal("8.16")


@pytest.mark.parametrize(
    ("history", "value", "flagged"),
    [
        ([90, 91, 92, 91, 90, 92, 91, 90, 91, 92, 91, 90], Decimal("91"), False),
        ([90, 91, 92, 91, 90, 92, 91, 90, 91, 92, 91, 90], Decimal("70"), True),
        ([90, 91, 92, 91, 90, 92, 91, 90, 91, 92, 91, 90], Decimal("99"), True),
        ([], Decimal("70"), False),  # no history: nothing to compare with
        ([90], Decimal("70"), False),
        ([5, 5, 5], Decimal("5"), False),  # flat history: the same value is fine
        ([5, 5, 5], Decimal("6"), True),  # ... any other value is outside it
        ([90, None, 91], Decimal("91"), False),
    ],
)
def test_values_outside_the_recent_process_limits_are_flagged(history, value, flagged):
    assert rules.outside_recent_range(history, value) is flagged


@pytest.mark.parametrize(
    ("judgement", "unit", "status", "value", "rag", "fields"),
    [
        (False, "percent", "reported", "96", "", []),
        (False, "percent", "reported", None, "", ["value"]),
        (False, "percent", "reported", "101", "", ["value"]),
        (False, "percent", "reported", "96", "G", ["rag"]),
        (False, "count", "missing", None, "", []),
        (False, "count", "missing", "3", "", ["value"]),
        (False, "count", "development_plan", None, "", []),
        (False, "count", "not_applicable", None, "A", ["rag"]),
        (True, "count", "reported", None, "A", []),
        (True, "count", "reported", None, "", ["rag"]),
        (True, "count", "reported", None, "X", ["rag"]),
        (True, "count", "reported", "2", "G", ["value"]),
        (True, "count", "missing", None, "", []),
    ],
)
def test_what_a_result_must_carry(judgement, unit, status, value, rag, fields):
    number = None if value is None else Decimal(value)
    problems = rules.result_problems(judgement=judgement, unit=unit, status=status, value=number, rag=rag)
    assert [field for field, _message in problems] == fields


@pytest.mark.parametrize(
    ("values", "centre", "mean_moving_range", "lower", "upper"),
    [
        (range(1, 11), "5.5", "1", "2.84", "8.16"),  # the published worked example
        ([10, 12, 11, 13, 12], "11.6", "1.5", "7.61", "15.59"),
        ([5, 5, 5], "5", "0", "5", "5"),  # flat: the limits close on the mean
        ([90, None, 91], "90.5", "1", "87.84", "93.16"),  # a blank month is skipped
    ],
)
def test_xmr_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges(values, centre, mean_moving_range, lower, upper):
    limits = rules.xmr_limits(values)
    assert (limits.centre, limits.mean_moving_range, limits.lower, limits.upper) == (
        Decimal(centre),
        Decimal(mean_moving_range),
        Decimal(lower),
        Decimal(upper),
    )
    assert rules.process_limits(values) == (limits.centre, limits.lower, limits.upper)


@pytest.mark.parametrize("values", [[], [7], [None, 7], [None]])
def test_xmr_limits_need_two_points(values):
    assert rules.xmr_limits(values) is None
    assert rules.process_limits(values) is None


DEADLINE = date(2026, 10, 15)


@pytest.mark.parametrize(
    ("status", "submitted_on", "today", "period_locked", "state"),
    [
        (None, None, date(2026, 10, 1), False, rules.NOT_STARTED),
        (None, None, DEADLINE, False, rules.NOT_STARTED),  # the deadline day is still on time
        (None, None, date(2026, 10, 16), False, rules.OVERDUE),
        ("draft", None, date(2026, 10, 1), False, rules.DRAFT),
        ("draft", None, date(2026, 10, 16), False, rules.OVERDUE),  # a draft is overdue too
        ("submitted", date(2026, 10, 2), date(2026, 10, 20), False, rules.SUBMITTED),
        ("submitted", DEADLINE, date(2026, 10, 20), False, rules.SUBMITTED),  # on the day: on time
        ("submitted", date(2026, 10, 16), date(2026, 10, 20), False, rules.LATE),
        ("submitted", date(2026, 10, 16), date(2026, 10, 16), False, rules.LATE),
        ("locked", date(2026, 10, 2), date(2026, 10, 20), False, rules.LOCKED),
        ("submitted", date(2026, 10, 16), date(2026, 10, 20), True, rules.LOCKED),  # the month is locked
        (None, None, date(2026, 10, 20), True, rules.LOCKED),
        ("draft", None, date(2026, 10, 20), True, rules.LOCKED),
    ],
)
def test_where_a_return_stands(status, submitted_on, today, period_locked, state):
    assert (
        rules.return_state(
            status=status, submitted_on=submitted_on, deadline=DEADLINE, today=today, period_locked=period_locked
        )
        == state
    )
