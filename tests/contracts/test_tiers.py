"""METHODOLOGY 5: value tiers, and the date arithmetic behind the register's derived fields."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import tiers
from contracts.choices import ROUTINE_CADENCE
from providers import periods


@pytest.mark.parametrize(
    ("annual_value", "strategic", "tier"),
    [
        (Decimal("40000000"), False, 1),  # exactly £40m is tier 1
        (Decimal("39999999.99"), False, 2),
        (Decimal("152000000"), False, 1),
        (Decimal("10000000"), False, 2),  # exactly £10m is tier 2
        (Decimal("9999999.99"), False, 3),
        (Decimal("0"), False, 3),
        (Decimal("250000"), True, 1),  # strategic importance makes any contract tier 1
        (Decimal("15000000"), True, 1),
    ],
)
def test_value_tier_follows_the_methodology_table(annual_value, strategic, tier):
    assert tiers.value_tier(annual_value, strategic) == tier


def test_each_tier_has_its_routine_cadence():
    assert "Bi-monthly SLA" in str(ROUTINE_CADENCE[1])
    assert "Exec-to-Exec" in str(ROUTINE_CADENCE[1])
    assert str(ROUTINE_CADENCE[2]) == "Bi-annual SLA meeting"
    assert str(ROUTINE_CADENCE[3]) == "Annual SLA meeting"
    assert tiers.ROUTINE_CADENCE_MONTHS == {1: 2, 2: 6, 3: 12}


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 4, 1), date(2027, 3, 31), 36),
        (date(2024, 4, 1), date(2025, 3, 31), 12),
        (date(2026, 2, 1), date(2027, 1, 31), 12),
        (date(2024, 4, 1), date(2024, 4, 30), 1),
        (date(2024, 4, 1), date(2024, 4, 1), 0),  # a one-day contract is under a month
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # month ends, leap year
    ],
)
def test_contract_length_counts_the_last_day(start, end, months):
    assert tiers.contract_length_months(start, end) == months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 22), 6, date(2027, 5, 22)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # clamped to the month's end
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert periods.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("renewal", "due_soon"),
    [
        (date(2027, 5, 22), True),  # exactly six months ahead is within the window
        (date(2027, 5, 23), False),
        (date(2027, 3, 31), True),
        (date(2026, 1, 1), True),  # passed: still flagged
        (date(2028, 3, 31), False),
    ],
)
def test_renewal_due_within_six_months(renewal, due_soon):
    assert tiers.renewal_due_soon(renewal, date(2026, 11, 22)) is due_soon


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 11, 22), date(2027, 3, 31), 4),
        (date(2026, 11, 22), date(2026, 12, 21), 0),
        (date(2026, 11, 22), date(2026, 12, 22), 1),
        (date(2026, 11, 22), date(2026, 10, 31), 0),
        (date(2026, 11, 22), date(2026, 10, 22), -1),
    ],
)
def test_months_between(start, end, months):
    assert periods.months_between(start, end) == months
