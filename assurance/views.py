"""Site-wide pages (home, health) and monthly data collection: entry, overview, locking."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, UpdateView
from django.views.i18n import set_language

from contracts.models import Contract
from providers.context_processors import NAVIGATION
from providers.models import CommissioningTeam, Provider
from providers.selectors import HISTORY_KINDS, history_entries
from providers.views import RegisterFormView, RegisterListView, SpreadsheetImportView

from . import selectors, services
from .choices import Area
from .filters import IndicatorFilter
from .forms import IndicatorForm, TrajectoryForm, build_result_forms
from .importers import ReturnImporter, TrajectoryImporter
from .models import Indicator, IndicatorValue, MonthlyReturn, PeriodLock, Trajectory
from .periods import deadline, format_period, parse_period, previous_months, shift
from .spreadsheets import return_template
from .tables import IndicatorTable


@require_GET
@login_required
def home(request):
    """A start page listing what this user's roles let them do."""
    sections = [item for item in NAVIGATION[1:] if request.user.has_perm(item[2])]
    return render(request, "home.html", {"sections": sections})


@require_POST
def language_switch(request):
    """The header's language switcher: Django's set_language (a cookie kept for a year), and
    for a signed-in user the choice saved on their account, so it follows them to another
    computer and their emails and committee packs are written in it too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class SignInView(auth_views.LoginView):
    """Sign in; a user who chose a language before gets it back on any computer."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                                httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


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


def rating_notice(request, run):
    """Tell the user what became of the rating job their save asked for, if it needs saying."""
    from .models import RatingRun

    if run is None:
        return
    run.refresh_from_db()
    months = ", ".join(run.periods)
    if run.status == RatingRun.Status.FAILED:
        messages.error(request, _("The ratings for %(months)s could not be updated: %(reason)s. Your data is saved; "
                                  "the job is listed under Rating jobs.") % {"months": months,
                                                                          "reason": run.failure_reason})
    elif run.in_process:
        messages.warning(request, _("The job queue could not be reached, so the ratings for %(months)s were "
                                    "updated straight away.") % {"months": months})
    elif run.status in (RatingRun.Status.QUEUED, RatingRun.Status.RUNNING):
        messages.info(request, _("The ratings for %(months)s are being updated in the background.") % {
            "months": months})


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
            saved = services.return_save(
                provider=provider, period=period, user=request.user, submit=submitting, version=version,
                results={form.indicator: form.result() for form in result_forms},
            )
        except services.StaleReturn as exc:
            stale = exc.monthly_return
        except services.ReturnLocked:
            messages.error(request, _("This month is locked, so the return cannot be changed."))
            return redirect(request.path)
        else:
            rating_notice(request, saved.rating_run)
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
        "state": selectors.return_state(monthly_return, deadline(period), timezone.localdate(), locked),
    })


@require_GET
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
    my_providers = selectors.providers_open_to(request.user) or set()
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
        "failed_run": selectors.unresolved_failed_run() if request.user.has_perm("assurance.view_ratingrun") else None,
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


class ReturnsImportView(SpreadsheetImportView):
    """Upload returns or trajectories; team members only for their teams' providers."""

    permission_required = "assurance.import_returns"
    template_name = "assurance/returns_import.html"
    title = _lazy("Upload returns from a spreadsheet")
    intro = _lazy("Upload a month's returns, or agreed improvement trajectories, as CSV or Excel. "
                  "An upload submits the returns it fills in.")
    importers = {
        "returns": (_lazy("Monthly returns (returns.csv)"), ReturnImporter, "assurance:collection"),
        "trajectories": (_lazy("Improvement trajectories (trajectories.csv)"), TrajectoryImporter,
                         "assurance:trajectory_list"),
    }

    def after_import(self, result):
        rating_notice(self.request, result.rating_run)

    def importer_kwargs(self, kind):
        # Team members upload for their teams' providers; administrators for any.
        kwargs = {"allowed_provider_ids": selectors.providers_open_to(self.request.user)}
        if kind == "returns":
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_teams"] = template_teams(self.request.user)
        context["months"] = [format_period(shift(default_period(), -n)) for n in range(0, 12)]
        return context


def template_teams(user):
    teams = CommissioningTeam.objects.filter(active=True)
    if user.has_perm("assurance.enter_return"):
        teams = teams.filter(pk__in=user.teams.all())
    return teams


@require_GET
@login_required
@permission_required("assurance.import_returns", raise_exception=True)
def return_template_download(request):
    """The XLSX template for a team and month: its providers and their applicable indicators."""
    team = get_object_or_404(template_teams(request.user), code=request.GET.get("team", ""))
    period = period_or_404(request.GET.get("period", ""))
    provider_ids = set(
        Contract.objects.filter(commissioning_team=team).exclude(status="draft").values_list("provider_id", flat=True)
    )
    providers = list(Provider.objects.filter(pk__in=provider_ids, active=True).order_by("name"))
    applicable = selectors.applicable_indicators(period, [p.pk for p in providers])
    saved = {
        (v.monthly_return.provider_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(monthly_return__period=period, monthly_return__provider__in=providers)
        .select_related("monthly_return")
    }
    rows = [(p, i, saved.get((p.pk, i.pk))) for p in providers for i in applicable[p.pk]]
    content = return_template(rows, period, f"{team.code} {format_period(period)}")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="returns-{team.code}-{format_period(period)}.xlsx"'
    return response


@require_GET
@login_required
@permission_required("assurance.view_trajectory", raise_exception=True)
def trajectory_list(request):
    trajectories = Trajectory.objects.select_related("provider", "indicator").order_by(
        "provider__name", "indicator__name", "period")
    open_to = selectors.providers_open_to(request.user)
    if open_to is not None:
        trajectories = trajectories.filter(provider_id__in=open_to)
    paginator = Paginator(trajectories, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "assurance/trajectory_list.html", {"page": page})


@login_required
@permission_required("assurance.add_trajectory", raise_exception=True)
def trajectory_create(request):
    form = TrajectoryForm(request.POST or None, allowed_provider_ids=selectors.providers_open_to(request.user))
    if request.method == "POST" and form.is_valid():
        trajectory = form.save()
        messages.success(request, _("The trajectory for %(provider)s, %(indicator)s in %(period)s has been saved.") % {
            "provider": trajectory.provider.name, "indicator": trajectory.indicator.name,
            "period": format_period(trajectory.period)})
        return redirect("assurance:trajectory_list")
    return render(request, "register/form.html", {
        "form": form, "title": _("Agree an improvement trajectory"), "cancel_url": "assurance:trajectory_list"})


class IndicatorListView(RegisterListView):
    permission_required = "assurance.view_indicator"
    filterset_class = IndicatorFilter
    table_class = IndicatorTable
    title = _lazy("Indicator catalogue")
    create_url = "assurance:indicator_create"
    create_permission = "assurance.add_indicator"
    create_label = _lazy("Add an indicator")
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return Indicator.objects.all()


class IndicatorCreateView(RegisterFormView, CreateView):
    permission_required = "assurance.add_indicator"
    model = Indicator
    form_class = IndicatorForm
    cancel_url = "assurance:indicator_list"

    def get_title(self):
        return _("Add an indicator")


class IndicatorUpdateView(RegisterFormView, UpdateView):
    permission_required = "assurance.change_indicator"
    model = Indicator
    form_class = IndicatorForm
    cancel_url = "assurance:indicator_list"

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}

    def get_cancel_url(self):
        return self.cancel_url


@require_GET
@login_required
@permission_required("assurance.view_ratingrun", raise_exception=True)
def rating_runs(request):
    """The rating jobs, newest first: what each rated, where it stands, and why one failed."""
    from .models import RatingRun

    page = Paginator(RatingRun.objects.select_related("requested_by"), 50).get_page(request.GET.get("page"))
    return render(request, "assurance/rating_runs.html", {"page_obj": page})
