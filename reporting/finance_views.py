"""The financial position page (METHODOLOGY 9) and its CSV and Excel downloads."""

import csv
import io

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contracts.models import Contract
from contracts.selectors import actual_months
from providers.choices import Sector
from providers.importing import neutralise
from providers.models import CommissioningTeam, Provider
from providers.periods import format_period, month_start, parse_period

from .selectors.finance import financial_position

VIEW_FINANCE = "contracts.view_lineactual"
SHOWN = 25  # providers and contracts listed on the page, biggest variances first (the downloads hold all)
NHS_BLUE, GREY, ORANGE = "#005eb8", "#425563", "#ed8b00"


def _month(request):
    """?period=YYYY-MM, else the latest month with actuals recorded (up to this month), else this month."""
    text = request.GET.get("period", "")
    if text:
        try:
            return parse_period(text), None
        except ValueError:
            pass
    this_month = month_start(timezone.localdate())
    recorded = actual_months(last=this_month)
    return (recorded[-1] if recorded else this_month), (_("Choose a month as YYYY-MM.") if text else None)


def _filters(request):
    """The filters chosen, as the selector's arguments and as shown on the page."""
    team = CommissioningTeam.objects.filter(code=request.GET.get("team", "")).first()
    code = request.GET.get("provider", "").strip()
    provider = Provider.objects.filter(code=code).first() if code else None
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    try:
        contract_id = int(request.GET.get("contract", ""))
    except ValueError:
        contract_id = None
    kwargs = {
        "team_ids": [team.pk] if team else None,
        # A code that is no provider's matches nothing (and the page says so), as on the register's lists.
        "provider_ids": [provider.pk] if provider else ([] if code else None),
        "sectors": [sector] if sector else None,
        "contract_id": contract_id,
    }
    unknown = _("No provider has the code %(code)s.") % {"code": code} if code and provider is None else ""
    return kwargs, {
        "team": team,
        "provider": provider,
        "provider_code": code,
        "unknown_provider": unknown,
        "sector": sector,
    }


def figure(points, title):
    """A plotly figure of cumulative plan, actual and forecast cost from the compact series
    [(YYYY-MM, plan, actual, forecast)] that the page also shows as a table."""
    months = [p[0] for p in points]

    def trace(name, index, colour, dash="solid"):
        return {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": months,
            "y": [None if p[index] is None else float(p[index]) for p in points],
            "line": {"color": colour, "dash": dash},
        }

    return {
        "data": [
            trace(_("Plan (cumulative)"), 1, GREY, "dash"),
            trace(_("Actual (cumulative)"), 2, NHS_BLUE),
            trace(_("Forecast (straight line)"), 3, ORANGE, "dot"),
        ],
        "layout": {
            "title": {"text": title},
            "yaxis": {"title": {"text": _("Cost (£)")}, "rangemode": "tozero"},
            "xaxis": {"type": "category"},
            "margin": {"l": 70, "r": 20, "t": 50, "b": 50},
            "legend": {"orientation": "h"},
            "height": 380,
        },
    }


PROVIDER_LIST_LIMIT = 300  # above this many providers the filter asks for a code, not a list


def provider_choices():
    """The providers to choose from in a list, or None when there are too many for one (at 5,000
    providers the list was 300 KB of the page): the page then asks for the provider's code."""
    providers = Provider.objects.filter(pk__in=Contract.objects.commissioned().values("provider_id")).order_by("name")
    chosen = list(providers[: PROVIDER_LIST_LIMIT + 1])
    return None if len(chosen) > PROVIDER_LIST_LIMIT else chosen


@require_GET
@login_required
@permission_required(VIEW_FINANCE, raise_exception=True)
def financial_position_page(request):
    month, problem = _month(request)
    kwargs, chosen = _filters(request)
    position = financial_position(month, **kwargs, limit=SHOWN)
    query = request.GET.copy()
    query.pop("contract", None)
    return render(
        request,
        "reporting/financial_position.html",
        {
            **position,
            "period_text": format_period(month),
            "problem": problem,
            "chosen": chosen,
            "team_choices": CommissioningTeam.objects.filter(active=True),
            "provider_choices": provider_choices(),
            "sectors": Sector.choices,
            "query": query.urlencode(),
            "estate_figure": figure(position["series"], _("Cumulative cost against plan"))
            if position["series"]
            else None,
            "contract_figure": figure(position["contract_series"], position["contract"].reference)
            if position["contract"]
            else None,
        },
    )


EXPORT_COLUMNS = [
    "provider_code",
    "provider_name",
    "period",
    "plan_activity_ytd",
    "actual_activity_ytd",
    "activity_variance",
    "activity_against_plan",
    "plan_cost_ytd",
    "actual_cost_ytd",
    "cost_variance",
    "cost_against_plan",
    "forecast_outturn_cost",
    "months_missing",
]


def _export_rows(position):
    period = format_period(position["month"])
    for r in position["providers"]:
        yield [
            r.code,
            neutralise(r.name),
            period,
            r.plan_activity,
            r.actual_activity,
            r.activity_variance,
            r.activity_against_plan,
            r.plan_cost,
            r.actual_cost,
            r.cost_variance,
            r.cost_against_plan,
            r.forecast_outturn_cost,
            r.missing,
        ]


@require_GET
@login_required
@permission_required(VIEW_FINANCE, raise_exception=True)
def financial_position_download(request, file_format):
    """The page's providers, with its filters, biggest variances first, as CSV or Excel."""
    month, _problem = _month(request)
    kwargs, _chosen = _filters(request)
    position = financial_position(month, **kwargs)
    name = f"financial-position-{format_period(month)}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(["" if v is None else v for v in r] for r in _export_rows(position))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl is heavy: loaded only for this download

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = format_period(month)
    sheet.append(EXPORT_COLUMNS)
    for r in _export_rows(position):
        sheet.append([None if v is None else (float(v) if hasattr(v, "as_tuple") else v) for v in r])
    contracts = workbook.create_sheet(_("Contracts"))
    contracts.append(
        ["contract", "provider", "plan_cost_ytd", "actual_cost_ytd", "cost_variance", "forecast_outturn_cost"]
    )
    for r in position["contracts"]:
        contracts.append(
            [
                neutralise(r.name),
                neutralise(r.code),
                float(r.plan_cost),
                float(r.actual_cost),
                float(r.cost_variance),
                float(r.forecast_outturn_cost),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
