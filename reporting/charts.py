"""Charts as pure functions from data frames to plotly figures (STYLE.md 7): no request, no ORM."""

import pandas as pd
import plotly.graph_objects as go

from . import spc

NHS_BLUE, GREY, ORANGE, IMPROVE = "#005eb8", "#768692", "#ed8b00", "#41b6e6"


def indicator_figure(frame: pd.DataFrame, *, title, unit_label, target=None, amber=None, higher_is_better=True,
                     trajectory: pd.DataFrame | None = None):
    """An XmR chart of one indicator for one provider.

    `frame` has columns period (datetime) and value (float), oldest first; `trajectory`
    the same columns for the agreed trajectory. Special-cause points are marked orange
    when concerning and light blue when improving, as in "Making Data Count".
    Returns (figure, chart statistics, variation icon, assurance icon).
    """
    chart = spc.xmr(frame["value"].tolist())
    periods = frame["period"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=periods, y=frame["value"], mode="lines+markers", name="Value",
                             line={"color": GREY}, marker={"color": GREY, "size": 7}))
    if chart.has_limits:
        for name, level, dash in (("Mean", chart.centre, "solid"), ("Upper process limit", chart.upper, "dash"),
                                  ("Lower process limit", chart.lower, "dash")):
            fig.add_trace(go.Scatter(x=periods, y=[level] * len(periods), mode="lines", name=name,
                                     line={"color": "#425563", "dash": dash, "width": 1}))
        special = [(p, v, high) for p, v, s, high in zip(periods, chart.values, chart.special, chart.high, strict=True) if s]
        if special:
            colours = [IMPROVE if high == higher_is_better else ORANGE for _p, _v, high in special]
            fig.add_trace(go.Scatter(x=[p for p, _v, _h in special], y=[v for _p, v, _h in special], mode="markers",
                                     name="Special cause", marker={"color": colours, "size": 11, "symbol": "circle"}))
    if target is not None:
        fig.add_trace(go.Scatter(x=periods, y=[float(target)] * len(periods), mode="lines", name="Target",
                                 line={"color": "#da291c", "dash": "dot", "width": 2}))
    if amber is not None:
        fig.add_trace(go.Scatter(x=periods, y=[float(amber)] * len(periods), mode="lines", name="Amber threshold",
                                 line={"color": ORANGE, "dash": "dot", "width": 1}))
    if trajectory is not None and not trajectory.empty:
        fig.add_trace(go.Scatter(x=trajectory["period"], y=trajectory["value"], mode="lines+markers",
                                 name="Agreed trajectory", line={"color": NHS_BLUE, "dash": "longdash"}))
    fig.update_layout(title={"text": title, "font": {"size": 16}}, height=360, margin={"l": 50, "r": 20, "t": 50, "b": 40},
                      yaxis_title=unit_label, legend={"orientation": "h", "y": -0.2}, plot_bgcolor="#ffffff",
                      font={"family": "Frutiger W01, Arial, sans-serif"})
    return fig, chart, spc.variation(chart, higher_is_better), spc.assurance(chart, target, higher_is_better)
