"""Entering contract actuals (METHODOLOGY 9): the grid per contract, the upload and its template.

These views live in assurance, not contracts, because they honour the month lock and trigger the
re-rating of derived indicators, both of which belong to assurance (contracts may not import it).
"""

from dataclasses import dataclass
from fractions import Fraction

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from contracts.finance import line_position, money, percent
from contracts.models import Contract, LineActual
from contracts.selectors import contract_actuals, finance_lines
from contracts.services import ActualsRefused
from providers.importing import MoneyField, WholeNumberField
from providers.periods import (
    financial_year_label,
    financial_year_months,
    financial_year_start,
    format_period,
    month_end,
    month_start,
    parse_period,
)
from providers.views import SpreadsheetImportView

from . import actuals
from .access import team_scope
from .selectors import locked_periods
from .spreadsheets import activity_template
from .views import rating_notice


@dataclass
class Cell:
    """One line's month in the grid: its inputs (or why it cannot be edited) and its plan."""

    line: object
    month: object
    activity_name: str
    cost_name: str
    activity: str = ""
    cost: str = ""
    editable: bool = False
    reason: str = ""  # why not editable: "not live" or "locked"
    error: str = ""
    saved_activity: str = ""  # what is saved now (shown beside what was typed when a save is stale)
    saved_cost: str = ""

    @property
    def differs_from_saved(self):
        return (self.activity, self.cost) != (self.saved_activity, self.saved_cost)


def _year_of(request, contract):
    """The financial year shown: ?year=2026 (April 2026 to March 2027); by default this month's,
    brought within the contract's dates."""
    today = month_start(timezone.localdate())
    default = min(max(today, month_start(contract.start_date)), month_start(contract.end_date))
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or financial_year_start(default).year)
    except ValueError:
        year = financial_year_start(default).year
    return financial_year_start(parse_period(f"{max(min(year, 2999), 1900):04d}-04"))


def _live(contract, month):
    return contract.status != "draft" and contract.start_date <= month_end(month) and contract.end_date >= month


def _build_grid(contract, months, data=None):
    lines = list(contract.lines.select_related("service"))
    for line in lines:  # the monthly plan shown in the grid's header (METHODOLOGY 9: annual / 12)
        line.monthly_activity = None if line.planned_activity is None else money(Fraction(line.planned_activity, 12))
        line.monthly_cost = None if line.planned_cost is None else money(Fraction(line.planned_cost) / 12)
    saved = contract_actuals(contract, months)
    locked = locked_periods(months)
    grid, errors, rows = [], [], []
    for month in months:
        cells = []
        for line in lines:
            key = f"{line.pk}-{format_period(month)}"
            cell = Cell(line=line, month=month, activity_name=f"a-{key}", cost_name=f"c-{key}")
            actual = saved.get((line.pk, month))
            if actual is not None:
                cell.activity, cell.cost = str(actual.activity), f"{actual.cost:.2f}"
                cell.saved_activity, cell.saved_cost = cell.activity, cell.cost
            if not _live(contract, month):
                cell.reason = _("not live")
            elif month in locked:
                cell.reason = _("locked")
            else:
                cell.editable = True
                if data is not None:
                    _read_cell(cell, data, rows, errors)
            cells.append(cell)
        grid.append((month, cells))
    return lines, grid, rows, errors


def _read_cell(cell, data, rows, errors):
    cell.activity = (data.get(cell.activity_name) or "").strip()
    cell.cost = (data.get(cell.cost_name) or "").strip()
    if not cell.activity and not cell.cost:
        rows.append((cell.line, cell.month, None, None))  # nothing recorded (removes a saved one)
        return
    if not cell.activity or not cell.cost:
        cell.error = _("Enter both the activity and the cost for %(service)s in %(month)s, or neither.")
    else:
        try:
            activity = WholeNumberField().clean(cell.activity)
            cost = MoneyField().clean(cell.cost)
        except forms.ValidationError as exc:
            cell.error = _("%(service)s in %(month)s: %(problem)s")
            cell.problem = " ".join(exc.messages)
        else:
            rows.append((cell.line, cell.month, activity, cost))
            return
    values = {"service": cell.line.service.name, "month": cell.month.strftime("%B %Y")}
    values["problem"] = getattr(cell, "problem", "")
    cell.error = cell.error % values
    errors.append(cell)


@login_required
def contract_actuals_grid(request, pk):
    """A contract's actual activity and cost, line by month over a financial year."""
    contract = get_object_or_404(Contract.objects.select_related("provider", "commissioning_team"), pk=pk)
    can_edit = actuals.actuals_access(request.user, contract)
    first = _year_of(request, contract)
    months = financial_year_months(first)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    lines, grid, rows, errors = _build_grid(contract, months, data)
    # The version the form carries: what the actuals were when the grid was opened (the optimistic
    # lock: a save over changes made since is refused, never silently overwriting them).
    version = data.get("version", "") if data is not None else actuals.actuals_version(contract, months)
    stale = False
    if data is not None and not errors:
        changed = [
            row
            for row in rows
            if _differs(row, LineActual.objects.filter(line=row[0], period=row[1]).values_list("activity", "cost"))
        ]
        try:
            counts = actuals.actuals_save(changed, user=request.user, contract=contract, months=months, version=version)
        except actuals.StaleActuals:
            # What they typed stays in the grid, the values saved now beside it; saving again
            # (knowingly) goes through, so the form now carries the current version.
            stale, version = True, actuals.actuals_version(contract, months)
        except ActualsRefused as exc:
            messages.error(request, str(exc) + " " + _("Nothing was saved."))
        else:
            saved = counts["created"] + counts["updated"]
            if saved:
                messages.success(
                    request,
                    _("Saved the actuals for %(count)s line-months of %(reference)s.")
                    % {"count": saved, "reference": contract.reference},
                )
            else:
                messages.info(request, _("Nothing had changed, so nothing was saved."))
            return redirect(f"{request.path}?year={first.year}")
    summary = _summary(contract, first)
    return render(
        request,
        "assurance/contract_actuals.html",
        {
            "contract": contract,
            "lines": lines,
            "grid": grid,
            "errors": errors,
            "can_edit": can_edit and any(cell.editable for _m, cells in grid for cell in cells),
            "year": first.year,
            "year_label": financial_year_label(first),
            "previous_year": first.year - 1,
            "next_year": first.year + 1,
            "has_previous": contract.start_date < first,
            "has_next": contract.end_date > month_end(months[-1]),
            "summary": summary,
            "version": version,
            "stale": stale,
        },
    )


def _differs(row, saved):
    line, month, activity, cost = row
    existing = list(saved)
    if activity is None:
        return bool(existing)
    return not existing or existing[0] != (activity, cost)


def _summary(contract, first):
    """Each line's year to date at the latest month with an actual (or the year's first month)."""
    months = financial_year_months(first)
    facts = finance_lines(first, contract_ids=[contract.pk])
    recorded = [m for f in facts for m in f.actuals if m in months]
    at = max(recorded) if recorded else None
    if at is None:
        return None
    rows = []
    for f in sorted(facts, key=lambda f: f.key.line_id):
        pos = line_position(f, at)
        rows.append(_summary_row(f.key.line_id, pos))
    return {"month": at, "rows": rows}


def _summary_row(line_id, pos):
    return {
        "line_id": line_id,
        "plan_activity": money(pos.plan_activity),
        "actual_activity": money(pos.actual_activity),
        "activity_variance": money(pos.activity_variance),
        "plan_cost": money(pos.plan_cost),
        "actual_cost": money(pos.actual_cost),
        "cost_variance": money(pos.cost_variance),
        "cost_variance_percent": percent(pos.cost_variance_percent),
        "forecast": money(pos.forecast_outturn_cost),
        "missing": len(pos.missing),
    }


class ActivityUpload:
    """activity.csv or the team template, uploaded: import, then re-rate (assurance.actuals)."""

    columns = ["contract_reference", "service_code", "period", "activity", "cost"]

    def __init__(self, *, user=None):
        self.user = user

    def run(self, data, filename="", dry_run=False):
        return actuals.import_activity(data, filename, dry_run=dry_run, user=self.user)


class ActivityImportView(SpreadsheetImportView):
    """Upload a month's (or a year's) contract actuals; team members for their teams' contracts."""

    permission_required = "contracts.change_lineactual"
    template_name = "assurance/activity_import.html"
    title = _lazy("Upload contract activity and cost")
    intro = _lazy(
        "Upload each contract line's actual activity and cost for one or more months, as CSV or Excel. "
        "Every row is checked first; if any row has a problem nothing is saved. A row for a month already "
        "recorded replaces it."
    )
    importers = {"activity": (_lazy("Activity and cost (activity.csv)"), ActivityUpload, "reporting:finance")}

    def importer_kwargs(self, kind):
        return {"user": self.request.user}

    def after_import(self, result):
        rating_notice(self.request, result.rating_run)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_teams"] = team_scope(self.request.user).filter(active=True)
        this_year = financial_year_start(month_start(timezone.localdate())).year
        context["years"] = [
            (y, financial_year_label(parse_period(f"{y}-04"))) for y in range(this_year, this_year - 3, -1)
        ]
        return context


@require_GET
@login_required
def activity_template_download(request):
    """The XLSX template for a team and financial year: a row per live line and month, with the plan
    beside it and any actual already recorded."""
    if not request.user.has_perm(actuals.ENTER_ACTUALS):
        raise PermissionDenied
    team = get_object_or_404(team_scope(request.user), code=request.GET.get("team", ""))
    try:
        first = financial_year_start(parse_period(f"{int(request.GET.get('year', '')):04d}-04"))
    except ValueError:
        first = financial_year_start(month_start(timezone.localdate()))
    content = activity_template(team, first)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="activity-{team.code}-{first.year}.xlsx"'
    return response


def grid_url(contract, month=None):
    url = reverse("assurance:contract_actuals", args=[contract.pk])
    return f"{url}?year={financial_year_start(month).year}" if month else url
