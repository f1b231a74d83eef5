"""The XmR limits' mean (assurance.rules.data_quality.exact_mean): the same decimals, to the last
digit and exponent, as statistics.mean gives, which the limits were first computed with."""

import random
import statistics
from decimal import Decimal, localcontext

import pytest

from assurance.rules.data_quality import exact_mean


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], "5.5"),
        (["10.0", "10.0"], "10"),  # the exact mean in lowest terms: no trailing zeros
        (["0.5", "0.75", "0.625", "0.375"], "0.5625"),
        (["1", "2", "2"], "1.666666666666666666666666667"),  # rounded once, to the context's 28 digits
        (["-3", "3"], "0"),
        (["0", "0.00"], "0"),
        (["9999999999999999.9999", "0.0001"], "5000000000000000"),  # sums beyond 28 digits stay exact
        (["1E+3", "2.5E-3"], "500.00125"),
    ],
)
def test_exact_mean_of_a_table_of_series(values, expected):
    points = [Decimal(v) for v in values]
    assert str(exact_mean(points)) == expected == str(statistics.mean(points))


def test_exact_mean_is_statistics_mean_to_the_last_digit():
    rng = random.Random(20)
    for _ in range(5000):
        scale = rng.randint(0, 6)
        points = [Decimal(rng.randint(-(10**17), 10**17)).scaleb(-scale) for _ in range(rng.randint(1, 13))]
        points += [Decimal(rng.random() * 1000) for _ in range(rng.randint(0, 2))]  # a float's exact expansion
        assert str(exact_mean(points)) == str(statistics.mean(points)), points


def test_exact_mean_rounds_in_the_current_context_as_statistics_mean_does():
    points = [Decimal("1"), Decimal("2"), Decimal("2")]
    with localcontext(prec=6):
        assert str(exact_mean(points)) == str(statistics.mean(points)) == "1.66667"


def test_exact_mean_of_nothing_is_refused_as_by_statistics_mean():
    with pytest.raises(statistics.StatisticsError):
        exact_mean([])
