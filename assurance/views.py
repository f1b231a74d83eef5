"""Site-wide pages (home, health) and monthly data collection: entry, overview, locking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from providers.context_processors import NAVIGATION
from providers.models import CommissioningTeam, Provider
from providers.selectors import HISTORY_KINDS, history_entries

from . import selectors, services
from .choices import Area
from .forms import build_result_forms
from .models import IndicatorValue, MonthlyReturn, PeriodLock
from .periods import deadline, format_period, parse_period, previous_months, shift


@login_required
def home(request):
    """A start page listing what this user's roles let them do."""
    sections = [item for item in NAVIGATION[1:] if request.user.has_perm(item[2])]
    return render(request, "home.html", {"sections": sections})


@require_GET
def health(request):
    """For load balancers and docker-compose: is the app up and its database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def period_or_404(text):
    try:
        return parse_period(text)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


def default_period():
    """The month being collected now: last month."""
    return shift(timezone.localdate().replace(day=1), -1)


def return_access(user, provider):
    """'edit' for a member of a team that commissions from the provider, 'view' for
    directors and administrators; anyone else (another team, the committee) is refused."""
    if user.has_perm("assurance.enter_return"):
        if provider.pk in selectors.team_provider_ids(user):
            return "edit"
        raise PermissionDenied
    if user.has_perm("assurance.view_monthlyreturn"):
        return "view"
    raise PermissionDenied


@login_required
def return_entry(request, code, period):
    provider = get_object_or_404(Provider, code=code)
    period = period_or_404(period)
    access = return_access(request.user, provider)
    indicators = selectors.applicable_indicators(period, [provider.pk])[provider.pk]
    monthly_return = MonthlyReturn.objects.filter(provider=provider, period=period).first()
    existing = {v.indicator_id: v for v in monthly_return.values.all()} if monthly_return else {}
    recent = selectors.recent_values(provider.pk, period, [i.pk for i in indicators])
    window = previous_months(period, 12)
    history = {i.pk: [(p, recent.get(i.pk, {}).get(p)) for p in window] for i in indicators}
    locked = services.period_is_locked(period) or (monthly_return and monthly_return.status == "locked")
    editable = access == "edit" and not locked
    submitting = request.method == "POST" and "submit" in request.POST
    data = request.POST if request.method == "POST" else None
    if request.method == "POST" and not editable:
        raise PermissionDenied
    result_forms = build_result_forms(indicators, history, existing, data=data, submitting=submitting)
    stale = None
    if request.method == "POST" and all(form.is_valid() for form in result_forms):
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError:
            version = -1
        try:
            services.return_save(
                provider=provider, period=period, user=request.user, submit=submitting, version=version,
                results={form.indicator: form.result() for form in result_forms},
            )
        except services.StaleReturn as exc:
            stale = exc.monthly_return
        except services.ReturnLocked:
            messages.error(request, _("This month is locked, so the return cannot be changed."))
            return redirect(request.path)
        else:
            if submitting:
                messages.success(request, _("The return for %(provider)s, %(period)s has been submitted.") % {
                    "provider": provider.name, "period": format_period(period)})
                return redirect(reverse("assurance:collection") + f"?period={format_period(period)}")
            messages.success(request, _("Your changes have been saved as a draft."))
            return redirect(request.path)
    groups = []
    for area, label in Area.choices:
        area_forms = [f for f in result_forms if f.indicator.area == area]
        if area_forms:
            groups.append((label, area_forms))
    errors = [(f, field, error) for f in result_forms for field, errs in f.errors.items() for error in errs]
    value_history = []
    if monthly_return:
        # Changes to values (old and new); first entries are the return itself, not changes.
        records = IndicatorValue.history.filter(monthly_return_id=monthly_return.pk).select_related(
            "history_user", "indicator")
        value_history = [
            entry for entry in history_entries(records, subject=lambda record: record.indicator.name)
            if entry.changes or entry.kind != HISTORY_KINDS["+"]
        ]
    return render(request, "assurance/return_entry.html", {
        "provider": provider, "period": period, "period_text": format_period(period),
        "monthly_return": monthly_return, "groups": groups, "errors": errors,
        "editable": editable, "locked": locked, "access": access,
        "version": stale.version if stale else (monthly_return.version if monthly_return else 0),
        "stale": stale, "deadline": deadline(period), "history": value_history,
        "outliers": [f for f in result_forms if f.outlier],
    })


@login_required
@permission_required("assurance.view_monthlyreturn", raise_exception=True)
def collection(request):
    """Every provider's return for a month, completeness and timeliness, overdue first."""
    try:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else default_period()
    except ValueError:
        messages.error(request, _("Choose a month as YYYY-MM."))
        return redirect(reverse("assurance:collection"))
    today = timezone.localdate()
    overview = selectors.collection_overview(period, today)
    teams = list(CommissioningTeam.objects.filter(active=True))
    team_summaries, overall = selectors.team_summaries(overview["rows"], teams)
    rows = overview["rows"]
    team_filter = request.GET.get("team", "")
    if team_filter.isdigit():
        rows = [r for r in rows if int(team_filter) in r["team_ids"]]
    my_providers = selectors.team_provider_ids(request.user) if request.user.has_perm("assurance.enter_return") else set()
    order = {selectors.OVERDUE: 0, selectors.NOT_STARTED: 1, selectors.DRAFT: 2, selectors.LATE: 3,
             selectors.SUBMITTED: 4, selectors.LOCKED: 5}
    rows = sorted(rows, key=lambda r: (order[r["state"]], r["provider"].name))
    lock = PeriodLock.objects.filter(period=period).first()
    return render(request, "assurance/collection.html", {
        "period": period, "period_text": format_period(period), "rows": rows, "overview": overview,
        "team_summaries": team_summaries, "overall": overall, "teams": teams, "team_filter": team_filter,
        "my_providers": my_providers, "overdue": [r for r in overview["rows"] if r["state"] == selectors.OVERDUE],
        "months": [format_period(shift(default_period(), -n)) for n in range(0, 24)],
        "lock": lock, "lock_events": lock.events.select_related("user") if lock else [],
    })


@require_POST
@login_required
@permission_required("assurance.lock_period", raise_exception=True)
def lock_period(request, period):
    period = period_or_404(period)
    services.period_lock(period=period, user=request.user)
    messages.success(request, _("%(period)s is locked. Returns and imports for it are refused until it is unlocked.") % {
        "period": format_period(period)})
    return redirect(reverse("assurance:collection") + f"?period={format_period(period)}")


@login_required
@permission_required("assurance.unlock_period", raise_exception=True)
def unlock_period(request, period):
    period = period_or_404(period)
    lock = get_object_or_404(PeriodLock, period=period, locked=True)
    error = None
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if reason:
            services.period_unlock(period=period, user=request.user, reason=reason)
            messages.success(request, _("%(period)s is unlocked.") % {"period": format_period(period)})
            return redirect(reverse("assurance:collection") + f"?period={format_period(period)}")
        error = _("Enter the reason for unlocking the month.")
    return render(request, "assurance/unlock.html", {"lock": lock, "period_text": format_period(period), "error": error})
