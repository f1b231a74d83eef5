"""A team's grid for a month (issue 17): its expected providers against one key area's
indicators, entered and saved in one go.

The same checks as the return page (assurance.forms.ResultForm, METHODOLOGY 8) and the same write
path (assurance.services.returns_write, with each return's version: a return saved by someone
else meanwhile refuses the whole save). A typed value is reported; a blank cell changes nothing.
The grid saves drafts: a return is submitted from its own page, where notes are written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contracts.models import Contract
from providers.models import Provider
from providers.periods import format_period, parse_period, previous_months, shift

from . import selectors, services
from .access import can_enter_return, team_scope
from .choices import Area, ReturnStatus, ValueStatus
from .forms import ResultForm
from .models import MonthlyReturn, RatingRun


def _grid_args(request):
    team = get_object_or_404(team_scope(request.user).filter(active=True), code=request.GET.get("team", ""))
    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError:
        period = shift(timezone.localdate().replace(day=1), -1)
    area = request.GET.get("area") or Area.ACCESS
    if area not in Area.values:
        raise Http404
    return team, period, area


def _cell_form(request, provider, indicator, saved, monthly_return, history):
    """The ResultForm of one cell: bound to what was typed (a blank cell is left unbound)."""
    value = saved.get(indicator.pk)
    initial = {"status": ValueStatus.REPORTED}
    if value is not None:
        initial = {
            "status": value.status,
            "rag": value.rag,
            "note": value.note,
            "value": "" if value.value is None else f"{value.value.normalize():f}",
        }
    prefix = f"p{provider.pk}i{indicator.pk}"
    typed = (request.POST.get(f"p{provider.pk}-i{indicator.pk}", "") if request.method == "POST" else "").strip()
    data = None
    if typed:
        data = {
            f"{prefix}-status": ValueStatus.REPORTED,
            f"{prefix}-value": "" if indicator.judgement else typed,
            f"{prefix}-rag": typed.upper() if indicator.judgement else "",
            f"{prefix}-note": initial.get("note", ""),
        }
    form = ResultForm(
        data=data,
        prefix=prefix,
        initial=initial,
        indicator=indicator,
        history=history,
        submitting=monthly_return is not None and monthly_return.status == ReturnStatus.SUBMITTED,
    )
    form.shown = typed or (initial.get("rag") if indicator.judgement else initial.get("value")) or ""
    return form


def _grid_rows(request, period, providers, columns, applicable):
    """One row per provider: its return and a cell (a ResultForm, or None where it does not apply)."""
    returns = {r.provider_id: r for r in MonthlyReturn.objects.filter(period=period, provider__in=providers)}
    window = previous_months(period, 12)
    rows = []
    for provider in providers:
        monthly_return = returns.get(provider.pk)
        saved = {v.indicator_id: v for v in monthly_return.values.all()} if monthly_return else {}
        recent = selectors.recent_values(provider.pk, period, [i.pk for i in columns])
        cells = [
            _cell_form(
                request,
                provider,
                indicator,
                saved,
                monthly_return,
                [(p, recent.get(indicator.pk, {}).get(p)) for p in window],
            )
            if indicator in applicable[provider.pk]
            else None
            for indicator in columns
        ]
        rows.append({"provider": provider, "return": monthly_return, "cells": cells})
    return rows


def _grid_save(request, rows, period):
    """Save every typed cell in one write; True when saved (the caller redirects)."""
    typed_forms = [(row, form) for row in rows for form in row["cells"] if form is not None and form.is_bound]
    if not all(form.is_valid() for _row, form in typed_forms):
        messages.error(request, _("Some values are not right. Nothing was saved: correct the cells marked below."))
        return False
    versions = {}
    for row, _form in typed_forms:
        try:
            versions[(row["provider"].pk, period)] = int(request.POST.get(f"v{row['provider'].pk}", "0"))
        except ValueError:
            versions[(row["provider"].pk, period)] = -1
    try:
        services.returns_write(
            rows=[
                services.ReturnValue(row["provider"].pk, period, form.indicator, **form.result())
                for row, form in typed_forms
            ],
            user=request.user,
            versions=versions,
            trigger=RatingRun.Trigger.SUBMISSION,
        )
    except services.StaleReturn:
        messages.error(
            request,
            _(
                "Someone else saved one of these returns while you were typing. Nothing was saved: "
                "open the grid again and re-enter your values."
            ),
        )
        return False
    except services.ReturnLocked:
        messages.error(request, _("A return here is locked. Nothing was saved."))
        return False
    if typed_forms:
        messages.success(request, _("%(count)s values saved as drafts.") % {"count": len(typed_forms)})
    else:
        messages.info(request, _("Nothing was typed, so nothing changed."))
    return True


@login_required
@permission_required("assurance.enter_return", raise_exception=True)
def team_grid(request):
    team, period, area = _grid_args(request)
    provider_ids = set(
        Contract.objects.live_in(period).filter(commissioning_team=team).values_list("provider_id", flat=True)
    )
    provider_ids &= set(selectors.in_scope_in(period, list(provider_ids)))
    providers = [
        p
        for p in Provider.objects.filter(pk__in=provider_ids, active=True).order_by("name")
        if can_enter_return(request.user, p)
    ]
    applicable = selectors.applicable_indicators(period, [p.pk for p in providers])
    columns = {}
    for provider in providers:
        for indicator in applicable[provider.pk]:
            if indicator.area == area and not getattr(indicator, "derived", False):
                columns[indicator.pk] = indicator
    columns = sorted(columns.values(), key=lambda i: i.name)
    locked = services.period_is_locked(period)
    rows = _grid_rows(request, period, providers, columns, applicable)
    if request.method == "POST":
        if locked:
            messages.error(
                request,
                _("%(month)s is locked after sign-off. Nothing was saved.") % {"month": date_format(period, "F Y")},
            )
            return redirect(request.get_full_path())
        if _grid_save(request, rows, period):
            return redirect(request.get_full_path())
    return render(
        request,
        "assurance/team_grid.html",
        {
            "team": team,
            "period": period,
            "period_text": format_period(period),
            "area": area,
            "area_label": Area(area).label,
            "areas": Area.choices,
            "columns": columns,
            "rows": rows,
            "locked": locked,
            "months": [(format_period(m), date_format(m, "F Y")) for m in (shift(period, -n) for n in range(-1, 12))],
        },
    )
