"""Statistical process control in the NHS "Making Data Count" style, as pure functions.

XmR charts: the process limits are the mean plus or minus 2.66 times the mean moving range
(three sigma, sigma being the mean moving range over 1.128), computed once, by the methodology's
rules (assurance.rules.xmr_limits, which the outlier test of METHODOLOGY 8 uses too), so a chart's
limits are the ones a value is checked against. What reporting adds is Making Data Count's reading
of the chart: a point is special cause when:
it is outside the limits; it is one of seven or more in a row on the same side of the
mean; it is one of seven or more rising (or falling) in a row; or it is one of two out of
three in a row beyond two sigma on the same side of the mean.
"""

from dataclasses import dataclass, field

from assurance.rules import XMR_CONSTANT, xmr_limits

from .choices import SpcAssurance, SpcVariation

LIMIT = float(XMR_CONSTANT)  # 3 sigma in moving-range units
TWO_SIGMA = LIMIT * 2 / 3  # 2 sigma in moving-range units
RUN = 7

# The icons' codes, labels and colours are reporting.choices.SpcVariation and SpcAssurance.
COMMON_CAUSE = SpcVariation.COMMON_CAUSE
IMPROVING_HIGH, IMPROVING_LOW = SpcVariation.IMPROVEMENT_HIGH, SpcVariation.IMPROVEMENT_LOW
CONCERN_HIGH, CONCERN_LOW = SpcVariation.CONCERN_HIGH, SpcVariation.CONCERN_LOW
PASSING, FAILING, HIT_AND_MISS = SpcAssurance.PASSING, SpcAssurance.FAILING, SpcAssurance.HIT_AND_MISS

VARIATION_MEANING = {icon: icon.label for icon in SpcVariation}
ASSURANCE_MEANING = {icon: icon.label for icon in SpcAssurance}


@dataclass
class XmR:
    values: list
    centre: float | None = None
    mean_moving_range: float | None = None
    upper: float | None = None
    lower: float | None = None
    upper_two_sigma: float | None = None
    lower_two_sigma: float | None = None
    special: list = field(default_factory=list)  # one bool per point
    high: list = field(default_factory=list)  # per point: True above the mean, False below

    @property
    def has_limits(self):
        return self.upper is not None


def xmr(values):
    """The XmR statistics of a series of numbers (at least two for limits)."""
    points = [float(v) for v in values]
    chart = XmR(values=points, special=[False] * len(points), high=[False] * len(points))
    limits = xmr_limits(points)
    if limits is None:
        return chart
    centre, mr = float(limits.centre), float(limits.mean_moving_range)
    chart.centre, chart.mean_moving_range = centre, mr
    chart.upper, chart.lower = float(limits.upper), float(limits.lower)
    chart.upper_two_sigma, chart.lower_two_sigma = centre + TWO_SIGMA * mr, centre - TWO_SIGMA * mr
    chart.high = [p > centre for p in points]
    special = chart.special
    for i, p in enumerate(points):  # outside the process limits
        if p > chart.upper or p < chart.lower:
            special[i] = True
    _runs(points, lambda p: p > centre, special)  # seven above the mean
    _runs(points, lambda p: p < centre, special)  # seven below the mean
    _trends(points, special)  # seven rising or falling
    _two_of_three(points, chart.upper_two_sigma, chart.lower_two_sigma, special)
    return chart


def _runs(points, side, special):
    start = 0
    for i in range(len(points) + 1):
        if i == len(points) or not side(points[i]):
            if i - start >= RUN:
                for j in range(start, i):
                    special[j] = True
            start = i + 1


def _trends(points, special):
    """Seven points in a row each higher (or each lower) than the one before."""
    for direction in (1, -1):
        start = 0
        for i in range(1, len(points) + 1):
            if i == len(points) or (points[i] - points[i - 1]) * direction <= 0:
                if i - start >= RUN:
                    for j in range(start, i):
                        special[j] = True
                start = i


def _two_of_three(points, upper2, lower2, special):
    for i in range(len(points) - 2):
        window = range(i, i + 3)
        for beyond in (lambda p: p > upper2, lambda p: p < lower2):
            hits = [j for j in window if beyond(points[j])]
            if len(hits) >= 2:
                for j in hits:
                    special[j] = True


def variation(chart, higher_is_better):
    """The variation icon for the latest point: common cause, or improving / concerning, high / low."""
    if not chart.values or not chart.has_limits or not chart.special[-1]:
        return COMMON_CAUSE
    high = chart.high[-1]
    if high == higher_is_better:
        return IMPROVING_HIGH if high else IMPROVING_LOW
    return CONCERN_HIGH if high else CONCERN_LOW


def assurance(chart, target, higher_is_better):
    """The assurance icon: where the target sits against the process limits (None without one)."""
    if target is None or not chart.has_limits:
        return None
    target = float(target)
    if chart.lower <= target <= chart.upper:
        return HIT_AND_MISS
    limits_above_target = chart.lower > target
    return PASSING if limits_above_target == higher_is_better else FAILING
