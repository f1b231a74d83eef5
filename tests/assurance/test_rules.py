"""METHODOLOGY 8 (data quality) rules, table-driven."""

from decimal import Decimal

import pytest

from assurance import rules


@pytest.mark.parametrize(
    ("text", "number"),
    [("95", Decimal("95")), (" 95.5% ", Decimal("95.5")), ("£1,200.50", Decimal("1200.50")),
     ("", None), (None, None), (12, Decimal(12)), (1.5, Decimal("1.5"))],
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
        ("count", "0", True), ("count", "12", True), ("count", "-1", False), ("count", "2.5", False),
        ("count", "3.0", True),
        ("percent", "0", True), ("percent", "100", True), ("percent", "100.01", False), ("percent", "-0.1", False),
        ("gbp", "0", True), ("gbp", "1500000.25", True), ("gbp", "-1", False),
        ("rate", "-2", False), ("rate", "25.5", True),
        ("days", "-1", False), ("ratio", "-0.5", False), ("ratio", "1.07", True),
        ("percent", "95.12345", False),   # more than four decimal places
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
        ([], Decimal("70"), False),          # no history: nothing to compare with
        ([90], Decimal("70"), False),
        ([5, 5, 5], Decimal("5"), False),    # flat history: the same value is fine
        ([5, 5, 5], Decimal("6"), True),     # ... any other value is outside it
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
