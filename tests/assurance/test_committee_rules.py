"""METHODOLOGY 6 (committees and packs) rules, table-driven: which months a pack covers and
which providers get an exception page. No database."""

from datetime import date

import pytest

from assurance import rules
from assurance.rules import A, G, R

OCT, SEP, AUG = date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)


@pytest.mark.parametrize(
    ("period", "previous", "cadence", "first"),
    [
        (OCT, None, 2, SEP),  # a first Joint Committee pack: two months
        (OCT, None, 1, OCT),  # a first board pack: the month
        (OCT, AUG, 2, SEP),  # the two months since the August pack
        (OCT, SEP, 1, OCT),  # monthly, as planned
        (OCT, date(2026, 6, 1), 1, date(2026, 7, 1)),  # a board that skipped months: all of them
        (OCT, date(2024, 1, 1), 2, date(2025, 11, 1)),  # never more than a year
        (OCT, OCT, 2, SEP),  # a rebuild of the same month: as a first pack
        (OCT, date(2026, 11, 1), 1, OCT),  # a later pack exists: as a first pack
        (date(2026, 1, 1), date(2025, 11, 1), 2, date(2025, 12, 1)),  # across a new year
        (date(2026, 1, 1), None, 2, date(2025, 12, 1)),  # a first pack across a new year
    ],
)
def test_a_pack_covers_the_months_since_the_committees_previous_pack(period, previous, cadence, first):
    assert rules.covered_from(period, previous, cadence) == first


@pytest.mark.parametrize(
    ("max_months", "first"),
    [(12, date(2025, 11, 1)), (3, AUG), (1, OCT)],
)
def test_a_pack_never_reaches_back_further_than_its_limit(max_months, first):
    assert rules.covered_from(OCT, date(2020, 1, 1), 1, max_months) == first


def test_a_pack_reaches_back_a_year_at_most_by_default():
    assert rules.MAX_MONTHS_COVERED == 12
    assert rules.covered_from(OCT, date(2020, 1, 1), 1) == date(2025, 11, 1)


@pytest.mark.parametrize(
    ("level", "area_rags", "exception"),
    [
        (4, [G, G, G, G, G], True),  # level 4: always
        (3, [G, G, G, G, G], True),  # level 3 (held, whatever this month's areas say)
        (2, [A, A, G, G, G], False),
        (1, [G, G, G, G, G], False),
        (2, [A, R, G, G, G], True),  # a Red area at any level
        (1, [G, G, G, G, R], True),
        (1, ["", "", G, G, G], False),  # blank: not rated, not Red
        (1, [None, None], False),
        (None, [R], True),  # no level yet, a Red area
        (None, [], False),
        (None, ["", None], False),  # no return: nothing rated, no level
        (3, [], True),  # no return this month, still at level 3
    ],
)
def test_an_exception_page_is_for_level_3_or_4_or_a_red_area(level, area_rags, exception):
    assert rules.has_exception_page(level, area_rags) is exception


def test_the_exception_level_is_3():
    assert rules.EXCEPTION_LEVEL == 3
