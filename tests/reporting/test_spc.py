"""SPC against worked examples and each special-cause rule."""

import pytest

from reporting import spc


def test_the_series_one_to_ten():
    chart = spc.xmr(range(1, 11))
    assert chart.centre == pytest.approx(5.5)
    assert chart.mean_moving_range == pytest.approx(1)
    assert (chart.lower, chart.upper) == (pytest.approx(2.84), pytest.approx(8.16))


def test_limits_are_2_66_times_the_mean_moving_range():
    chart = spc.xmr([10, 12, 11, 13, 12])
    mr = (2 + 1 + 2 + 1) / 4
    assert chart.centre == pytest.approx(11.6)
    assert chart.upper == pytest.approx(11.6 + 2.66 * mr)
    assert chart.lower == pytest.approx(11.6 - 2.66 * mr)


def test_fewer_than_two_points_have_no_limits():
    assert not spc.xmr([5]).has_limits
    assert spc.variation(spc.xmr([5]), True) == spc.COMMON_CAUSE


def test_a_point_outside_the_limits_is_special_cause():
    values = [50, 51, 49, 50, 51, 49, 80, 50, 51, 49, 50, 51]
    chart = spc.xmr(values)
    assert chart.upper < 80
    assert [i for i, s in enumerate(chart.special) if s] == [6]


def test_seven_in_a_row_on_one_side_of_the_mean():
    values = [10, 20, 10, 20, 10, 20, 21, 22, 21, 22, 21, 22, 21, 10, 20, 10]
    chart = spc.xmr(values)
    above = [i for i, p in enumerate(values) if p > chart.centre]
    run = list(range(5, 13))
    assert set(run) <= set(above)
    assert all(chart.special[i] for i in run)
    assert not any(chart.special[i] for i in (0, 1, 2, 3, 14))


def test_six_in_a_row_is_not_enough():
    values = [10, 20, 10, 21, 22, 21, 22, 21, 22, 10, 20, 10, 20]
    chart = spc.xmr(values)
    assert not chart.special[3]


def test_seven_rising_is_special_cause():
    values = [6, 8, 6, 8, 3, 4, 5, 6, 7, 8, 9, 6, 8, 6]
    chart = spc.xmr(values)
    assert [i for i, s in enumerate(chart.special) if s] == list(range(4, 11))  # 3 to 9: seven rising


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    values = [50, 50.5, 50, 50.5, 50, 50.5, 50, 50.5, 50, 50.5, 50, 50.5, 52, 50, 52, 50.5, 50]
    chart = spc.xmr(values)
    assert chart.upper_two_sigma < 52 < chart.upper  # beyond two sigma, inside the limits
    assert [i for i, s in enumerate(chart.special) if s] == [12, 14]


@pytest.mark.parametrize(
    ("values", "higher_is_better", "icon"),
    [
        ([50, 51, 49, 50, 51, 49, 50, 51, 49, 80], True, spc.IMPROVING_HIGH),
        ([50, 51, 49, 50, 51, 49, 50, 51, 49, 80], False, spc.CONCERN_HIGH),
        ([50, 51, 49, 50, 51, 49, 50, 51, 49, 20], True, spc.CONCERN_LOW),
        ([50, 51, 49, 50, 51, 49, 50, 51, 49, 20], False, spc.IMPROVING_LOW),
        ([50, 51, 49, 50, 52, 48, 50, 51, 49, 50], True, spc.COMMON_CAUSE),
    ],
)
def test_variation_icon(values, higher_is_better, icon):
    assert spc.variation(spc.xmr(values), higher_is_better) == icon


@pytest.mark.parametrize(
    ("target", "higher_is_better", "icon"),
    [
        (40, True, spc.PASSING),  # lower limit above a higher-is-better target
        (60, True, spc.FAILING),
        (50, True, spc.HIT_AND_MISS),
        (60, False, spc.PASSING),  # upper limit below a lower-is-better target
        (40, False, spc.FAILING),
        (None, True, None),
    ],
)
def test_assurance_icon(target, higher_is_better, icon):
    chart = spc.xmr([50, 51, 49, 50, 52, 48, 50, 51, 49, 50])
    assert spc.assurance(chart, target, higher_is_better) == icon


def test_every_icon_has_its_meaning():
    assert set(spc.VARIATION_MEANING) == {
        spc.COMMON_CAUSE,
        spc.IMPROVING_HIGH,
        spc.IMPROVING_LOW,
        spc.CONCERN_HIGH,
        spc.CONCERN_LOW,
    }
    assert set(spc.ASSURANCE_MEANING) == {spc.PASSING, spc.FAILING, spc.HIT_AND_MISS}


@pytest.mark.parametrize("values", [range(1, 11), [10, 12, 11, 13, 12], [91.7, 92.3, 90.1, 93.8, 91.7], [5, 5, 5]])
def test_the_chart_draws_the_limits_the_rules_compute(values):
    """One computation of the XmR limits: the chart's are those the outlier test (METHODOLOGY 8) uses."""
    from assurance import rules

    chart, limits = spc.xmr(values), rules.xmr_limits(values)
    assert (chart.centre, chart.mean_moving_range, chart.lower, chart.upper) == (
        float(limits.centre),
        float(limits.mean_moving_range),
        float(limits.lower),
        float(limits.upper),
    )
    assert spc.LIMIT == float(rules.XMR_CONSTANT)


def test_the_icons_are_the_spc_vocabulary_with_their_meanings():
    from reporting.choices import SpcAssurance, SpcVariation

    assert set(spc.VARIATION_MEANING) == set(SpcVariation) and set(spc.ASSURANCE_MEANING) == set(SpcAssurance)
    assert all(spc.VARIATION_MEANING[icon] == icon.label for icon in SpcVariation)
