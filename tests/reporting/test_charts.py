import pandas as pd

from reporting import charts, spc


def frame(values, start="2025-01-01"):
    return pd.DataFrame({"period": pd.date_range(start, periods=len(values), freq="MS"), "value": values})


def test_an_xmr_chart_has_values_limits_target_threshold_and_trajectory():
    fig, chart, variation, assurance = charts.indicator_figure(
        frame([90, 91, 92, 91, 90, 92, 91, 90, 91, 92, 91, 70]),
        title="RTT 26 weeks",
        unit_label="%",
        target=95,
        amber=90,
        higher_is_better=True,
        trajectory=frame([92, 93, 94], start="2025-10-01"),
    )
    names = [trace.name for trace in fig.data]
    assert names == [
        "Value",
        "Mean",
        "Upper process limit",
        "Lower process limit",
        "Special cause",
        "Target",
        "Amber threshold",
        "Agreed trajectory",
    ]
    assert chart.special[-1] and variation == spc.CONCERN_LOW
    assert assurance == spc.HIT_AND_MISS  # 95 lies inside the process limits


def test_a_single_point_has_no_limits():
    fig, chart, variation, assurance = charts.indicator_figure(frame([5]), title="x", unit_label="count")
    assert [t.name for t in fig.data] == ["Value"]
    assert variation == spc.COMMON_CAUSE and assurance is None
