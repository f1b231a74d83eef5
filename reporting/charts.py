"""Charts as pure functions (STYLE.md 7): no request, no ORM.

The provider page sends each chart as a compact series (`indicator_series`: numbers, drawn in
the browser by static/js/spc-charts.mjs); `indicator_figure` builds the same chart as a plotly
figure on the server (for exports), and `spc_drawing` as a reportlab drawing for the packs' PDF.
"""

import pandas as pd
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import spc

NHS_BLUE, GREY, ORANGE, IMPROVE = "#005eb8", "#768692", "#ed8b00", "#41b6e6"


def indicator_figure(
    frame: pd.DataFrame,
    *,
    title,
    unit_label,
    target=None,
    amber=None,
    higher_is_better=True,
    trajectory: pd.DataFrame | None = None,
):
    """An XmR chart of one indicator for one provider.

    `frame` has columns period (datetime) and value (float), oldest first; `trajectory`
    the same columns for the agreed trajectory. Special-cause points are marked orange
    when concerning and light blue when improving, as in "Making Data Count".
    Returns (figure, chart statistics, variation icon, assurance icon).
    """
    import plotly.graph_objects as go  # noqa: PLC0415 - plotly is heavy: loaded only when a figure is built on the server

    chart = spc.xmr(frame["value"].tolist())
    periods = frame["period"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=frame["value"],
            mode="lines+markers",
            name=_("Value"),
            line={"color": GREY},
            marker={"color": GREY, "size": 7},
        )
    )
    if chart.has_limits:
        for name, level, dash in (
            (_("Mean"), chart.centre, "solid"),
            (_("Upper process limit"), chart.upper, "dash"),
            (_("Lower process limit"), chart.lower, "dash"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=periods,
                    y=[level] * len(periods),
                    mode="lines",
                    name=name,
                    line={"color": "#425563", "dash": dash, "width": 1},
                )
            )
        special = [
            (p, v, high) for p, v, s, high in zip(periods, chart.values, chart.special, chart.high, strict=True) if s
        ]
        if special:
            colours = [IMPROVE if high == higher_is_better else ORANGE for _p, _v, high in special]
            fig.add_trace(
                go.Scatter(
                    x=[p for p, _v, _h in special],
                    y=[v for _p, v, _h in special],
                    mode="markers",
                    name=_("Special cause"),
                    marker={"color": colours, "size": 11, "symbol": "circle"},
                )
            )
    if target is not None:
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=[float(target)] * len(periods),
                mode="lines",
                name=_("Target"),
                line={"color": "#da291c", "dash": "dot", "width": 2},
            )
        )
    if amber is not None:
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=[float(amber)] * len(periods),
                mode="lines",
                name=_("Amber threshold"),
                line={"color": ORANGE, "dash": "dot", "width": 1},
            )
        )
    if trajectory is not None and not trajectory.empty:
        fig.add_trace(
            go.Scatter(
                x=trajectory["period"],
                y=trajectory["value"],
                mode="lines+markers",
                name=_("Agreed trajectory"),
                line={"color": NHS_BLUE, "dash": "longdash"},
            )
        )
    # The page's heading names the chart; the title is kept for the image plotly exports.
    fig.update_layout(
        title={"text": title, "font": {"size": 13}},
        height=320,
        margin={"l": 50, "r": 16, "t": 36, "b": 40},
        yaxis_title=unit_label,
        legend={"orientation": "h", "y": -0.2},
        plot_bgcolor="#ffffff",
        font={"family": "Frutiger W01, Arial, sans-serif"},
    )
    # Month names in the page's language (plotly would write them in English).
    ticks = list(periods)[:: max(1, len(periods) // 8)]
    fig.update_xaxes(tickvals=ticks, ticktext=[month_label(p) for p in ticks])
    return fig, chart, spc.variation(chart, higher_is_better), spc.assurance(chart, target, higher_is_better)


def _number(value):
    """A float short enough for the page: four decimals are more than any chart or table shows."""
    return None if value is None else round(float(value), 4)


def indicator_series(points, *, target=None, amber=None, higher_is_better=True, trajectory=(), label=None):
    """The compact series of one indicator's XmR chart, drawn in the browser (static/js/spc-charts.mjs).

    `points` are (period, value) pairs, oldest first; `trajectory` the agreed trajectory's pairs.
    The series holds only numbers and month labels: the values; the mean and process limits;
    which points are special cause, as concerning or improving (orange or light blue, as in
    "Making Data Count"); the target, the amber threshold and the trajectory. The trace names
    are the page's, written once (`series_labels`). Returns (series, chart statistics, variation
    icon, assurance icon), as `indicator_figure` does. `label` writes a month (month_label unless
    given, so a page of charts can name each month once).
    """
    label = label or month_label
    chart = spc.xmr([value for _period, value in points])
    periods = [period for period, _value in points]
    series = {"x": [p.isoformat() for p in periods], "y": [_number(v) for v in chart.values]}
    if chart.has_limits:
        series.update(mean=_number(chart.centre), upper=_number(chart.upper), lower=_number(chart.lower))
        special = [
            (n, high == higher_is_better)
            for n, (s, high) in enumerate(zip(chart.special, chart.high, strict=True))
            if s
        ]
        series["improving"] = [n for n, improving in special if improving]
        series["concerning"] = [n for n, improving in special if not improving]
    if target is not None:
        series["target"] = _number(target)
    if amber is not None:
        series["amber"] = _number(amber)
    if trajectory:
        series["trajectory"] = {
            "x": [p.isoformat() for p, _v in trajectory],
            "y": [_number(v) for _p, v in trajectory],
        }
    # Month names in the page's language (plotly would write them in English).
    ticks = periods[:: max(1, len(periods) // 8)]
    series["ticks"] = [[p.isoformat() for p in ticks], [label(p) for p in ticks]]
    return series, chart, spc.variation(chart, higher_is_better), spc.assurance(chart, target, higher_is_better)


def series_labels():
    """The trace names of every chart on a page, in the page's language (written once, not per chart)."""
    return {
        "value": _("Value"),
        "mean": _("Mean"),
        "upper": _("Upper process limit"),
        "lower": _("Lower process limit"),
        "special": _("Special cause"),
        "target": _("Target"),
        "amber": _("Amber threshold"),
        "trajectory": _("Agreed trajectory"),
    }


def month_label(period, short=False):
    """A month as its reader writes it ("Oct 2026", "Hyd 2026")."""
    return date_format(period, "M y" if short else "M Y")


# The same chart for the committee packs' PDF: a reportlab drawing (vector, no browser needed).


def spc_drawing(
    values: pd.DataFrame,
    *,
    months: list,
    unit_label="",
    target=None,
    amber=None,
    higher_is_better=True,
    trajectory: pd.DataFrame | None = None,
    width=250,
    height=150,
    font="Helvetica",
):
    """An XmR chart of one series as a reportlab Drawing, in the style of `indicator_figure`.

    `values` and `trajectory` have columns period (date) and value (float); `months` are
    the months of the x axis, oldest first. Returns (drawing, chart statistics, variation
    icon, assurance icon) so the caller can print the icons' meanings beside it.
    """
    from reportlab.graphics.charts.lineplots import LinePlot  # noqa: PLC0415 - reportlab is heavy: loaded only when a pack PDF draws a chart, not for the web pages
    from reportlab.graphics.shapes import Drawing, String  # noqa: PLC0415 - reportlab is heavy: loaded only when a pack PDF draws a chart, not for the web pages
    from reportlab.graphics.widgets.markers import makeMarker  # noqa: PLC0415 - reportlab is heavy: loaded only when a pack PDF draws a chart, not for the web pages
    from reportlab.lib import colors  # noqa: PLC0415 - reportlab is heavy: loaded only when a pack PDF draws a chart, not for the web pages

    position = {month: n for n, month in enumerate(months)}
    points = [(position[p], v) for p, v in zip(values["period"], values["value"], strict=True) if p in position]
    chart, variation, assurance = spc_summary(values, months=months, target=target, higher_is_better=higher_is_better)
    xs = [x for x, _v in points]
    first, last = 0, max(len(months) - 1, 1)

    series, styles = [], []

    def add(data, colour, width=1, dash=None, marker=None, joined=True):
        if not data:
            return
        series.append(data)
        styles.append((colour, width, dash, marker, joined))

    def level(y):
        return [(first, y), (last, y)]

    if chart.has_limits:
        add(level(chart.centre), colors.HexColor("#425563"), 0.8)
        add(level(chart.upper), colors.HexColor("#425563"), 0.6, (3, 2))
        add(level(chart.lower), colors.HexColor("#425563"), 0.6, (3, 2))
    if target is not None:
        add(level(float(target)), colors.HexColor("#da291c"), 1.2, (1, 2))
    if amber is not None:
        add(level(float(amber)), colors.HexColor(ORANGE), 0.8, (1, 2))
    if trajectory is not None and not trajectory.empty:
        add(
            [(position[p], v) for p, v in zip(trajectory["period"], trajectory["value"], strict=True) if p in position],
            colors.HexColor(NHS_BLUE),
            1,
            (5, 2),
        )
    add(points, colors.HexColor(GREY), 1.2, marker=("FilledCircle", colors.HexColor(GREY), 3.5))
    concern = [
        (x, v)
        for x, v, s, high in zip(xs, chart.values, chart.special, chart.high, strict=True)
        if s and high != higher_is_better
    ]
    improve = [
        (x, v)
        for x, v, s, high in zip(xs, chart.values, chart.special, chart.high, strict=True)
        if s and high == higher_is_better
    ]
    add(concern, None, 0, marker=("FilledCircle", colors.HexColor(ORANGE), 6), joined=False)
    add(improve, None, 0, marker=("FilledCircle", colors.HexColor(IMPROVE), 6), joined=False)

    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 34, 22, width - 44, height - 30
    if not series:
        drawing.add(String(width / 2, height / 2, "–", textAnchor="middle", fontName=font, fontSize=8))
        return drawing, chart, variation, assurance
    plot.data = series
    for n, (colour, line_width, dash, marker, joined) in enumerate(styles):
        line = plot.lines[n]
        line.strokeColor = colour if joined else None
        line.strokeWidth = line_width
        if dash:
            line.strokeDashArray = dash
        if marker:
            kind, fill, size = marker
            line.symbol = makeMarker(kind, fillColor=fill, strokeColor=fill, size=size)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first, last
    step = max(1, len(months) // 6)
    plot.xValueAxis.valueSteps = list(range(first, len(months), step))
    plot.xValueAxis.labelTextFormat = lambda x: (
        month_label(months[int(x)], short=True) if 0 <= int(x) < len(months) else ""
    )
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
        axis.strokeColor = colors.HexColor("#768692")
    # Room above and below the highest and lowest line, so the limits do not sit on the axes.
    low = min(y for data in series for _x, y in data)
    high = max(y for data in series for _x, y in data)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low - pad, high + pad
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = colors.HexColor("#e8edee")
    plot.yValueAxis.labelTextFormat = "%g"
    drawing.add(plot)
    if unit_label:
        drawing.add(String(2, height - 6, unit_label, fontName=font, fontSize=6, fillColor=colors.HexColor("#4c6272")))
    return drawing, chart, variation, assurance


def spc_summary(values: pd.DataFrame, *, months: list, target=None, higher_is_better=True):
    """The XmR statistics, variation icon and assurance icon of the values within `months`."""
    wanted = set(months)
    chart = spc.xmr([v for p, v in zip(values["period"], values["value"], strict=True) if p in wanted])
    return chart, spc.variation(chart, higher_is_better), spc.assurance(chart, target, higher_is_better)
