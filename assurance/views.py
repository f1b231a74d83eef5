"""Monthly data collection: return entry, the collection overview, uploads, templates,
trajectories, locking months and the rating jobs page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Contract
from providers.models import CommissioningTeam, Provider
from providers.periods import (
    deadline,
    format_period,
    parse_period,
    previous_months,
    shift,
)
from providers.selectors import HISTORY_KINDS, history_entries
from providers.views import SpreadsheetImportView

from . import selectors, services, uploads
from .access import (
    AGREE_TRAJECTORY,
    VIEW_TRAJECTORIES,
    can_enter_return,
    can_only_view_return,
    can_view_return_values,
    provider_scope,
    restrict,
    return_access,
    team_scope,
)
from .actuals import derived_values
from .choices import Area, ReturnStatus
from .forms import OutlierConfirmationForm, TrajectoryForm, build_result_forms
from .importers import ReturnImporter, TrajectoryImporter
from .middleware import close_broken_connections
from .models import IndicatorValue, MonthlyReturn, PeriodLock, RatingRun, Trajectory, UploadJob
from .query_views import queries_context
from .register_views import RegisterImportView
from .spreadsheets import LAYOUTS, return_template


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
    if run is None:
        return
    try:
        run.refresh_from_db()
    except DatabaseError:  # the save is committed: a dropped connection must not make it an error page
        close_broken_connections()
        return
    months = ", ".join(run.periods)
    if run.status == RatingRun.Status.FAILED:
        messages.error(
            request,
            _(
                "The ratings for %(months)s could not be updated: %(reason)s. Your data is saved; "
                "the job is listed under Rating jobs."
            )
            % {"months": months, "reason": run.failure_reason},
        )
    elif run.in_process:
        messages.warning(
            request,
            _("The job queue could not be reached, so the ratings for %(months)s were updated straight away.")
            % {"months": months},
        )
    elif run.status in (RatingRun.Status.QUEUED, RatingRun.Status.RUNNING):
        messages.info(
            request, _("The ratings for %(months)s are being updated in the background.") % {"months": months}
        )


def locked_message(period):
    return _(
        "%(month)s is locked after sign-off, so its returns cannot be changed. Nothing was saved. "
        "An administrator can unlock the month, giving a reason."
    ) % {"month": date_format(period, "F Y")}


RETURN_HISTORY_RECORDS = 300  # the newest value records a return's change history reads


@login_required
def return_entry(request, code, period):
    provider = get_object_or_404(Provider, code=code)
    period = period_or_404(period)
    access = return_access(request.user, provider)
    if provider.pk not in selectors.in_scope_in(period, [provider.pk]):
        # METHODOLOGY, "Who is rated": with no live contract that month, no return is expected.
        return render(
            request,
            "assurance/return_not_expected.html",
            {"provider": provider, "period": period, "period_text": format_period(period)},
        )
    indicators = selectors.applicable_indicators(period, [provider.pk])[provider.pk]
    # Derived indicators (METHODOLOGY 9) are shown read-only with their value, never typed.
    derived_indicators = [i for i in indicators if i.derived]
    derived_found = derived_values([period], [provider.pk], derived_indicators)  # one read for them all
    derived = [(i, *derived_found[(provider.pk, period, i.id)][:2]) for i in derived_indicators]
    indicators = [i for i in indicators if not i.derived]
    monthly_return = MonthlyReturn.objects.filter(provider=provider, period=period).first()
    # A draft is seen only by the teams that hold the provider (METHODOLOGY, "Who is rated").
    draft_hidden = monthly_return is not None and not can_view_return_values(request.user, monthly_return)
    existing = {v.indicator_id: v for v in monthly_return.values.all()} if monthly_return and not draft_hidden else {}
    recent = selectors.recent_values(provider.pk, period, [i.pk for i in indicators])
    window = previous_months(period, 12)
    history = {i.pk: [(p, recent.get(i.pk, {}).get(p)) for p in window] for i in indicators}
    locked = services.period_is_locked(period) or (monthly_return and monthly_return.status == ReturnStatus.LOCKED)
    editable = access == "edit" and not locked
    if request.method == "POST" and access == "edit" and locked:
        messages.error(request, locked_message(period))
        return redirect(request.path)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    submitting = request.method == "POST" and "submit" in request.POST
    # METHODOLOGY 8: no save that submits the return, or keeps it submitted, without a
    # confirming note on each value outside its usual range.
    keeps_submitted = monthly_return is not None and monthly_return.status == ReturnStatus.SUBMITTED
    data = request.POST if request.method == "POST" else None
    result_forms = build_result_forms(
        indicators, history, existing, data=data, submitting=submitting or keeps_submitted
    )
    stale = None
    if request.method == "POST" and all(form.is_valid() for form in result_forms):
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError:
            version = -1
        try:
            written = services.returns_write(
                rows=[
                    services.ReturnValue(provider.pk, period, form.indicator, **form.result()) for form in result_forms
                ],
                user=request.user,
                versions={(provider.pk, period): version},
                submit=submitting,
                trigger=RatingRun.Trigger.SUBMISSION,
            )
        except services.StaleReturn as exc:
            stale = exc.monthly_return
        except services.ReturnLocked:
            messages.error(request, locked_message(period))
            return redirect(request.path)
        else:
            saved = written.returns[(provider.pk, period)]
            rating_notice(request, written.rating_run)
            if submitting:
                messages.success(
                    request,
                    _("The return for %(provider)s, %(period)s has been submitted.")
                    % {"provider": provider.name, "period": date_format(period, "F Y")},
                )
                return redirect(reverse("assurance:collection") + f"?period={format_period(period)}")
            if saved.status == ReturnStatus.SUBMITTED:
                messages.success(request, _("Your changes have been saved. The return is still submitted."))
            else:
                messages.success(request, _("Your changes have been saved as a draft."))
            return redirect(request.path)
    groups = []  # (area code, label, forms, how many are complete): a section each, in the contents list
    for area, label in Area.choices:
        area_forms = [f for f in result_forms if f.indicator.area == area]
        if area_forms:
            groups.append((area, label, area_forms, sum(f.is_complete for f in area_forms)))
    errors = [(f, field, error) for f in result_forms for field, errs in f.errors.items() for error in errs]
    value_history, history_cut = [], False
    if monthly_return and not draft_hidden:
        # Changes to values (old and new); first entries are the return itself, not changes. The
        # newest RETURN_HISTORY_RECORDS records only: a return saved hundreds of times would
        # otherwise read and list every one on each look.
        records = list(
            IndicatorValue.history.filter(monthly_return_id=monthly_return.pk)
            .select_related("history_user", "indicator")
            .order_by("-history_date", "-history_id")[: RETURN_HISTORY_RECORDS + 1]
        )
        history_cut = len(records) > RETURN_HISTORY_RECORDS
        records = records[:RETURN_HISTORY_RECORDS]
        value_history = [
            entry
            for entry in history_entries(records, subject=lambda record: record.indicator.name)
            if entry.changes or entry.kind != HISTORY_KINDS["+"]
        ]
    return render(
        request,
        "assurance/return_entry.html",
        {
            "provider": provider,
            "period": period,
            "period_text": format_period(period),
            "monthly_return": monthly_return,
            "groups": groups,
            "done_count": sum(group[3] for group in groups),
            "total_count": len(result_forms),
            **queries_context(request.user, None if draft_hidden else monthly_return, indicators),
            "derived": derived,
            "errors": errors,
            "editable": editable,
            "locked": locked,
            "access": access,
            "draft_hidden": draft_hidden,
            "version": stale.version if stale else (monthly_return.version if monthly_return else 0),
            "stale": stale,
            "deadline": deadline(period),
            "history": value_history,
            "history_cut": history_cut,
            "outliers": [f for f in result_forms if f.needs_note],
            "keeps_submitted": keeps_submitted,
            "state": selectors.return_state(monthly_return, deadline(period), timezone.localdate(), locked),
        },
    )


COLLECTION_PAGE_SIZE = 50


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
    order = {
        selectors.OVERDUE: 0,
        selectors.NOT_STARTED: 1,
        selectors.DRAFT: 2,
        selectors.LATE: 3,
        selectors.SUBMITTED: 4,
        selectors.LOCKED: 5,
    }
    rows = sorted(rows, key=lambda r: (order[r["state"]], r["provider"].name))
    # Fifty providers a page (an estate of thousands is thousands of rows); the summaries above
    # the table count every provider.
    page_obj = Paginator(rows, COLLECTION_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    for row in rows:  # each row's link, decided by assurance.access (the template only shows it)
        row["can_edit"] = can_enter_return(request.user, row["provider"]) and row["state"] != selectors.LOCKED
        row["can_view"] = can_only_view_return(request.user, row["provider"])
    lock = PeriodLock.objects.filter(period=period).first()
    return render(
        request,
        "assurance/collection.html",
        {
            "period": period,
            "period_text": format_period(period),
            "rows": rows,
            "page_obj": page_obj,
            "overview": overview,
            "team_summaries": team_summaries,
            "overall": overall,
            "teams": teams,
            "team_filter": team_filter,
            "overdue": [r for r in overview["rows"] if r["state"] == selectors.OVERDUE],
            "months": [format_period(shift(default_period(), -n)) for n in range(0, 24)],
            "lock": lock,
            "lock_events": lock.events.select_related("user") if lock else [],
            # The team grids this reader may open (issue 17): their own teams, if they enter returns.
            "grid_teams": grid_teams(request.user, teams),
            "failed_run": selectors.unresolved_failed_run()
            if request.user.has_perm("assurance.view_ratingrun")
            else None,
        },
    )


def grid_teams(user, teams):
    """Of `teams`, those whose grid the user may open (issue 17): their own, if they enter returns."""
    if not user.has_perm("assurance.enter_return"):
        return []
    own = set(user.teams.values_list("pk", flat=True))
    return [team for team in teams if team.pk in own]


@require_POST
@login_required
@permission_required("assurance.lock_period", raise_exception=True)
def lock_period(request, period):
    period = period_or_404(period)
    services.period_lock(period=period, user=request.user)
    messages.success(
        request,
        _("%(period)s is locked. Returns and imports for it are refused until it is unlocked.")
        % {"period": format_period(period)},
    )
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
    return render(
        request, "assurance/unlock.html", {"lock": lock, "period_text": format_period(period), "error": error}
    )


class ReturnsImportView(SpreadsheetImportView):
    """Upload returns or trajectories; team members only for their teams' providers.

    The file is checked in a background job (assurance.uploads), never here: the person is taken
    to the job's page, which follows it and then shows what would change, or every problem.
    "Save these changes" there saves the same file, without choosing it again. Values outside
    their usual range (METHODOLOGY 8) are listed and confirmed there, once, with a note.
    """

    permission_required = "assurance.import_returns"
    template_name = "assurance/returns_import.html"
    title = _lazy("Upload returns from a spreadsheet")
    intro = _lazy(
        "Upload a month's returns, or agreed improvement trajectories, as CSV or Excel. "
        "The file is checked first; nothing is saved until you have seen what it would change."
    )
    importers = {
        "returns": (_lazy("Monthly returns (returns.csv)"), ReturnImporter, "assurance:collection"),
        "trajectories": (
            _lazy("Improvement trajectories (trajectories.csv)"),
            TrajectoryImporter,
            "assurance:trajectory_list",
        ),
    }

    def get_initial(self):
        return {**super().get_initial(), "kind": "returns"}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields.pop("dry_run", None)  # every upload is checked first, then saved on request
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_teams"] = template_teams(self.request.user)
        context["months"] = [
            (format_period(month), date_format(month, "F Y"))
            for month in (shift(default_period(), -n) for n in range(0, 12))
        ]
        context["recent_jobs"] = UploadJob.objects.filter(
            requested_by=self.request.user, kind__in=uploads.RETURNS_KINDS
        ).exclude(outcome=UploadJob.Outcome.DISCARDED)[:5]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = uploads.upload_submit(
            user=self.request.user,
            kind=form.cleaned_data["kind"],
            data=upload.read(settings.MAX_IMPORT_FILE_BYTES + 1),
            filename=upload.name,
        )
        return redirect(job)


def own_upload_or_404(request, pk):
    """The person's own upload (others': not found), if they may still upload its kind (else 403).
    Returns and trajectories need assurance.import_returns; the register's kinds (administrators'
    /register/import/) providers.import_register (assurance.uploads.KINDS)."""
    if not any(request.user.has_perm(spec.permission) for spec in uploads.KINDS.values()):
        raise PermissionDenied
    job = get_object_or_404(UploadJob.objects.defer("data"), pk=pk, requested_by=request.user)
    if not request.user.has_perm(uploads.KINDS[job.kind].permission):
        raise PermissionDenied
    return job


@login_required
def upload_job(request, pk):
    """An upload's page: its progress, then what it would change (with "Save these changes") or
    every problem; the confirmation of values outside their usual range; saved."""
    job = own_upload_or_404(request, pk)
    spec = uploads.KINDS[job.kind]
    confirmation = None
    if request.method == "POST":
        action = request.POST.get("action")
        if job.in_progress:
            messages.info(request, _("This upload is still being handled. Its page shows its progress."))
            return redirect(job)
        if action == "discard" and job.outcome in (UploadJob.Outcome.CHECKED, UploadJob.Outcome.REFUSED):
            uploads.upload_discard(job=job)
            messages.success(
                request, _("The upload of %(file)s was put aside. Nothing was saved.") % {"file": job.filename}
            )
            return redirect(spec.start_url)
        if action == "recheck" and job.outcome == UploadJob.Outcome.REFUSED and job.result.get("stale"):
            uploads.upload_recheck(job=job)
            return redirect(job)
        if action == "save" and job.outcome == UploadJob.Outcome.CHECKED:
            note = ""
            if job.result.get("awaiting_confirmation"):
                confirmation = OutlierConfirmationForm(request.POST)
                if confirmation.is_valid():
                    note = confirmation.cleaned_data["note"]
            if confirmation is None or confirmation.is_valid():
                uploads.upload_save(job=job, confirmation_note=note)
                job.refresh_from_db()
                if job.outcome == UploadJob.Outcome.SAVED:  # the embedded set-up: saved already
                    return upload_finished(request, job)
                return redirect(job)  # its page follows it (or says why it was refused)
        else:
            return redirect(job)  # nothing to do (already done, or not an action of this page)
    if confirmation is None and job.result.get("awaiting_confirmation"):
        confirmation = OutlierConfirmationForm()
    for row in job.result.get("flagged", []):  # months in words, in the reader's language
        row["month"] = date_format(parse_period(row["period"]), "F Y")
    return render(
        request,
        "assurance/upload_job.html",
        {
            "job": job,
            "result": job.result,
            "form": confirmation,
            "waiting_behind": uploads.waiting_behind(job),
            "next_url": reverse(spec.next_url),
            "start_url": reverse(spec.start_url),
            "start_title": RegisterImportView.title if spec.register else ReturnsImportView.title,
        },
    )


def upload_finished(request, job):
    """Saved: say so where the saved data is listed (the overview, or the trajectories)."""
    result = job.result
    messages.success(
        request,
        _("%(rows)s rows imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {k: result.get(k, 0) for k in ("rows", "created", "updated", "unchanged")},
    )
    if result.get("flagged_count"):
        messages.info(
            request,
            ngettext(
                "%(count)s value outside its usual range was saved with its confirming note.",
                "%(count)s values outside their usual range were saved with their confirming notes.",
                result["flagged_count"],
            )
            % {"count": result["flagged_count"]},
        )
    if result.get("rating_run"):
        rating_notice(request, RatingRun.objects.filter(pk=result["rating_run"]).first())
    return redirect(uploads.KINDS[job.kind].next_url)


@require_GET
@login_required
def upload_job_status(request, pk):
    """An upload's progress as JSON, for its page to follow the job without reloading."""
    job = own_upload_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "in_progress": job.in_progress,
            "outcome": job.outcome,
            "progress": upload_progress_text(job),
        }
    )


def upload_progress_text(job):
    """Where a job stands, in words: queued, reading, "checking line N of M", saving."""
    if job.status == UploadJob.Status.QUEUED:
        if uploads.waiting_behind(job):
            return _("Waiting: your earlier upload is being handled first.")
        return _("Waiting to start.")
    if job.status != UploadJob.Status.RUNNING:
        return ""
    if job.step == "reading":
        return _("Reading the file: %(rows)s rows so far.") % {"rows": job.progress_done}
    if job.step == "checking" and job.progress_total:
        return _("Checking line %(done)s of %(total)s.") % {"done": job.progress_done, "total": job.progress_total}
    if job.step == "saving":
        return _("Saving %(total)s rows.") % {"total": job.progress_total or 0}
    return _("Starting.")


def template_teams(user):
    return team_scope(user).filter(active=True)


@require_GET
@login_required
@permission_required("assurance.import_returns", raise_exception=True)
def return_template_download(request):
    """The XLSX template for a team and month: the providers the team holds a live contract with
    that month (so in scope, METHODOLOGY "Who is rated") and their applicable indicators."""
    team = get_object_or_404(template_teams(request.user), code=request.GET.get("team", ""))
    period = period_or_404(request.GET.get("period", ""))
    layout = request.GET.get("layout", "one")
    if layout not in LAYOUTS:
        layout = "one"
    # Only the providers expected that month: the team holds a live contract with them then
    # (METHODOLOGY, "Who is rated"), and their return is not locked.
    team_providers = set(
        Contract.objects.live_in(period).filter(commissioning_team=team).values_list("provider_id", flat=True)
    )
    expected = selectors.in_scope_in(period, team_providers) - set(
        MonthlyReturn.objects.filter(period=period, status=ReturnStatus.LOCKED).values_list("provider_id", flat=True)
    )
    providers = list(Provider.objects.filter(pk__in=expected, active=True).order_by("name"))
    applicable = selectors.applicable_indicators(period, [p.pk for p in providers])
    providers = [p for p in providers if applicable[p.pk]]
    saved = {
        (v.monthly_return.provider_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(
            monthly_return__period=period, monthly_return__provider__in=providers
        ).select_related("monthly_return")
    }
    rows = [(p, i, saved.get((p.pk, i.pk))) for p in providers for i in applicable[p.pk] if not i.derived]
    content = return_template(rows, period, f"{team.code} {format_period(period)}", layout=layout)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="returns-{team.code}-{format_period(period)}.xlsx"'
    return response


@require_GET
@login_required
@permission_required("assurance.view_trajectory", raise_exception=True)
def trajectory_list(request):
    trajectories = Trajectory.objects.select_related("provider", "indicator").order_by(
        "provider__name", "indicator__name", "period"
    )
    trajectories = restrict(trajectories, request.user, VIEW_TRAJECTORIES)
    paginator = Paginator(trajectories, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "assurance/trajectory_list.html", {"page": page})


@login_required
@permission_required("assurance.add_trajectory", raise_exception=True)
def trajectory_create(request):
    form = TrajectoryForm(request.POST or None, allowed_provider_ids=provider_scope(request.user, AGREE_TRAJECTORY))
    if request.method == "POST" and form.is_valid():
        trajectory = form.save()
        messages.success(
            request,
            _("The trajectory for %(provider)s, %(indicator)s in %(period)s has been saved.")
            % {
                "provider": trajectory.provider.name,
                "indicator": trajectory.indicator.name,
                "period": format_period(trajectory.period),
            },
        )
        return redirect("assurance:trajectory_list")
    return render(
        request,
        "register/form.html",
        {"form": form, "title": _("Agree an improvement trajectory"), "cancel_url": "assurance:trajectory_list"},
    )


@require_GET
@login_required
@permission_required("assurance.view_ratingrun", raise_exception=True)
def rating_runs(request):
    """The rating jobs, newest first: what each rated, where it stands, and why one failed."""
    page = Paginator(RatingRun.objects.select_related("requested_by"), 50).get_page(request.GET.get("page"))
    return render(request, "assurance/rating_runs.html", {"page_obj": page})
