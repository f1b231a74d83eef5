"""The "financial_position" section of a pack (METHODOLOGY 9; seed 001 3.2.2 and 3.2.3: the Management
Group and the Corporate Directors Group Board watch "the overall financial position, key variances and
the main actions"). Pure: it lays out `PackData.finance`, which `reporting.selectors.finance.pack_finance`
fills (a dict of plain values), in the PDF and the workbook."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from .data import PackData
from .pdf import PdfPack, fitted_widths
from .xlsx import sheet


def _money(value):
    return "" if value is None else "£" + number_format(value, 2, use_l10n=True, force_grouping=True)


def _percent(value):
    return "–" if value is None else f"{number_format(value, 1, use_l10n=True)}%"


def _words(row):
    variance = row["cost_variance"]
    if variance > 0:
        return _("over plan")
    if variance < 0:
        return _("under plan")
    return _("on plan")


def pdf(pdf: PdfPack, data: PackData, title):
    """The year-to-date totals, then the providers with the biggest cost variances, either way."""
    finance = getattr(data, "finance", None)
    p = pdf.p
    pdf.add(CondPageBreak(60 * mm), Spacer(1, 6 * mm), pdf.heading(title, "h1"))
    if not finance or finance["total"] is None:
        pdf.add(pdf.empty(_("No contract line with a plan is live in this financial year.")))
        return
    total = finance["total"]
    pdf.add(
        p(
            _(
                "Year to date at %(month)s (financial year %(year)s), against the contract lines' plans: "
                "cost %(actual)s against a plan of %(plan)s (%(variance)s, %(words)s); activity %(activity)s of "
                "plan; forecast outturn %(forecast)s against a plan for the year of %(year_plan)s. "
                "%(missing)s line-months have no actual recorded."
            )
            % {
                "month": date_format(finance["month"], "F Y"),
                "year": finance["year_label"],
                "actual": _money(total["actual_cost"]),
                "plan": _money(total["plan_cost"]),
                "variance": _money(total["cost_variance"]),
                "words": _words(total),
                "activity": _percent(total["activity_against_plan"]),
                "forecast": _money(total["forecast_outturn_cost"]),
                "year_plan": _money(total["plan_cost_year"]),
                "missing": total["missing"],
            },
            "body",
        )
    )
    rows = [
        pdf.header_row(
            _("Provider"), _("Planned cost"), _("Actual cost"), _("Variance"), _("Activity"), _("Forecast outturn")
        )
    ]
    plans = [_money(r["plan_cost"]) for r in finance["providers"]]
    actuals = [_money(r["actual_cost"]) for r in finance["providers"]]
    variances = [f"{_money(r['cost_variance'])} ({_percent(r['cost_variance_percent'])})" for r in finance["providers"]]
    forecasts = [_money(r["forecast_outturn_cost"]) for r in finance["providers"]]
    for r, plan, actual, variance, forecast in zip(
        finance["providers"], plans, actuals, variances, forecasts, strict=True
    ):
        rows.append(
            [
                p(f"{r['name']} ({r['code']})"),
                plan,
                actual,
                p(f"{variance} {_words(r)}"),
                _percent(r["activity_against_plan"]),
                forecast,
            ]
        )
    widths = fitted_widths(pdf.width, [0.3, 0.14, 0.14, 0.18, 0.09, 0.15], {1: plans, 2: actuals, 5: forecasts})
    pdf.add(
        p(_("The providers with the biggest cost variances, over or under plan, biggest first."), "body"),
        pdf.table(rows, widths, extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
    )


def xlsx(book, data: PackData, title):
    finance = getattr(data, "finance", None) or {"providers": []}
    sheet(
        book,
        title,
        [
            _("Provider"),
            _("Code"),
            _("Planned cost YTD (£)"),
            _("Actual cost YTD (£)"),
            _("Cost variance (£)"),
            _("Cost variance (%)"),
            _("Activity against plan (%)"),
            _("Forecast outturn (£)"),
            _("Months missing"),
        ],
        [
            [
                r["name"],
                r["code"],
                r["plan_cost"],
                r["actual_cost"],
                r["cost_variance"],
                r["cost_variance_percent"],
                r["activity_against_plan"],
                r["forecast_outturn_cost"],
                r["missing"],
            ]
            for r in finance["providers"]
        ],
    )
