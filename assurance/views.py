"""Monthly data collection: return entry, the collection overview, uploads, templates,
trajectories, locking months and the rating jobs page."""

import contextlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Contract
from providers.importing import ImportFileError
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

from . import selectors, services
from .access import (
    AGREE_TRAJECTORY,
    UPLOAD_RETURNS,
    VIEW_TRAJECTORIES,
    can_enter_return,
    can_only_view_return,
    can_view_return_values,
    provider_ids,
    provider_scope,
    restrict,
    return_access,
    team_scope,
)
from .choices import Area, ReturnStatus
from .forms import OutlierConfirmationForm, TrajectoryForm, build_result_forms
from .importers import ReturnImporter, TrajectoryImporter
from .models import IndicatorValue, MonthlyReturn, PeriodLock, RatingRun, Trajectory
from .spreadsheets import return_template


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
    run.refresh_from_db()
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
                    % {"provider": provider.name, "period": format_period(period)},
                )
                return redirect(reverse("assurance:collection") + f"?period={format_period(period)}")
            if saved.status == ReturnStatus.SUBMITTED:
                messages.success(request, _("Your changes have been saved. The return is still submitted."))
            else:
                messages.success(request, _("Your changes have been saved as a draft."))
            return redirect(request.path)
    groups = []
    for area, label in Area.choices:
        area_forms = [f for f in result_forms if f.indicator.area == area]
        if area_forms:
            groups.append((label, area_forms))
    errors = [(f, field, error) for f in result_forms for field, errs in f.errors.items() for error in errs]
    value_history = []
    if monthly_return and not draft_hidden:
        # Changes to values (old and new); first entries are the return itself, not changes.
        records = IndicatorValue.history.filter(monthly_return_id=monthly_return.pk).select_related(
            "history_user", "indicator"
        )
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
            "errors": errors,
            "editable": editable,
            "locked": locked,
            "access": access,
            "draft_hidden": draft_hidden,
            "version": stale.version if stale else (monthly_return.version if monthly_return else 0),
            "stale": stale,
            "deadline": deadline(period),
            "history": value_history,
            "outliers": [f for f in result_forms if f.needs_note],
            "keeps_submitted": keeps_submitted,
            "state": selectors.return_state(monthly_return, deadline(period), timezone.localdate(), locked),
        },
    )


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
    for row in rows:  # each row's link, decided by assurance.access (the template only shows it)
        row["can_edit"] = can_enter_return(request.user, row["provider"]) and row["state"] != selectors.LOCKED
        row["can_view"] = can_only_view_return(request.user, row["provider"])
    order = {
        selectors.OVERDUE: 0,
        selectors.NOT_STARTED: 1,
        selectors.DRAFT: 2,
        selectors.LATE: 3,
        selectors.SUBMITTED: 4,
        selectors.LOCKED: 5,
    }
    rows = sorted(rows, key=lambda r: (order[r["state"]], r["provider"].name))
    lock = PeriodLock.objects.filter(period=period).first()
    return render(
        request,
        "assurance/collection.html",
        {
            "period": period,
            "period_text": format_period(period),
            "rows": rows,
            "overview": overview,
            "team_summaries": team_summaries,
            "overall": overall,
            "teams": teams,
            "team_filter": team_filter,
            "overdue": [r for r in overview["rows"] if r["state"] == selectors.OVERDUE],
            "months": [format_period(shift(default_period(), -n)) for n in range(0, 24)],
            "lock": lock,
            "lock_events": lock.events.select_related("user") if lock else [],
            "failed_run": selectors.unresolved_failed_run()
            if request.user.has_perm("assurance.view_ratingrun")
            else None,
        },
    )


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


PENDING_UPLOAD = "pending_returns_upload"  # the session key of an upload awaiting confirmation
PENDING_DIR = "pending-uploads"  # under MEDIA_ROOT, which is never served
PENDING_MAX_AGE = timedelta(days=1)


def pending_upload_keep(request, data, filename):
    """Keep an uploaded file for its confirmation step, so it need not be chosen twice.

    The file goes to private storage under a random token (never the user's file name) and
    the session remembers the token, so only the person who uploaded it can confirm it. One
    per session: a new upload replaces the last. Files left behind are removed after a day.
    """
    pending_upload_discard(request)
    cutoff = timezone.now() - PENDING_MAX_AGE
    if default_storage.exists(PENDING_DIR):
        for name in default_storage.listdir(PENDING_DIR)[1]:
            path = f"{PENDING_DIR}/{name}"
            with contextlib.suppress(OSError):
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
    token = secrets.token_urlsafe(32)
    path = default_storage.save(f"{PENDING_DIR}/{token}", ContentFile(data))
    request.session[PENDING_UPLOAD] = {"token": token, "path": path, "name": filename[:200]}
    return token


def pending_upload_get(request, token):
    """(bytes, file name) of this session's upload awaiting confirmation, or None."""
    pending = request.session.get(PENDING_UPLOAD)
    if not pending or not token or not constant_time_compare(str(token), pending["token"]):
        return None
    try:
        with default_storage.open(pending["path"], "rb") as file:
            data = file.read(settings.MAX_IMPORT_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > settings.MAX_IMPORT_FILE_BYTES:
        return None
    return data, pending["name"]


def pending_upload_discard(request):
    pending = request.session.pop(PENDING_UPLOAD, None)
    if pending:
        with contextlib.suppress(OSError):
            default_storage.delete(pending["path"])


class ReturnsImportView(SpreadsheetImportView):
    """Upload returns or trajectories; team members only for their teams' providers.

    Returns with values outside their usual range (METHODOLOGY 8) are listed and nothing is
    saved until the person confirms them: a note in each such row, or one confirmation here,
    recorded as the note of every flagged row without one. The file is kept for that step.
    """

    permission_required = "assurance.import_returns"
    template_name = "assurance/returns_import.html"
    title = _lazy("Upload returns from a spreadsheet")
    intro = _lazy(
        "Upload a month's returns, or agreed improvement trajectories, as CSV or Excel. "
        "An upload submits the returns it fills in."
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
        return {**super().get_initial(), "dry_run": False}  # saving is the usual intent

    def get_form(self, form_class=None):
        return self.dry_run_explained(super().get_form(form_class))

    @staticmethod
    def dry_run_explained(form):
        form.fields["dry_run"].help_text = _("Tick to check the file without saving anything.")
        return form

    def blank_form(self):
        return self.dry_run_explained(
            self.form_class(
                kind_choices=self.get_form_kwargs()["kind_choices"], initial={**self.get_initial(), "kind": "returns"}
            )
        )

    def after_import(self, result):
        rating_notice(self.request, result.rating_run)

    def importer_kwargs(self, kind):
        # Team members upload for their teams' providers; administrators for any.
        kwargs = {"allowed_provider_ids": provider_ids(self.request.user, UPLOAD_RETURNS)}
        if kind == "returns":
            kwargs["user"] = self.request.user
            kwargs["outliers"] = ReturnImporter.ASK
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_teams"] = template_teams(self.request.user)
        context["months"] = [format_period(shift(default_period(), -n)) for n in range(0, 12)]
        return context

    def post(self, request, *args, **kwargs):
        if "confirm_token" in request.POST:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.cleaned_data["kind"] != "returns":
            return super().form_valid(form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = ReturnImporter(**self.importer_kwargs("returns")).run(
                data, upload.name, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        return self.returns_outcome(result, data, upload.name, form=form)

    def confirm(self):
        """The confirmation of an upload's values outside their usual range."""
        kept = pending_upload_get(self.request, self.request.POST.get("confirm_token"))
        if kept is None:
            messages.error(self.request, _("That upload is no longer waiting to be confirmed. Choose the file again."))
            return redirect(reverse("assurance:returns_import"))
        data, filename = kept
        confirmation = OutlierConfirmationForm(self.request.POST)
        note = confirmation.cleaned_data["note"] if confirmation.is_valid() else ""
        try:
            result = ReturnImporter(**self.importer_kwargs("returns"), confirmation_note=note).run(data, filename)
        except ImportFileError as exc:  # not expected: the file was read before
            pending_upload_discard(self.request)
            messages.error(self.request, str(exc))
            return redirect(reverse("assurance:returns_import"))
        return self.returns_outcome(result, data, filename, confirmation=confirmation)

    def returns_outcome(self, result, data, filename, form=None, confirmation=None):
        """Saved (to the overview), waiting for the confirmation of flagged values, or shown
        (problems, or a dry run's effect) on the upload page."""
        if result.ok and result.flagged and (result.awaiting_confirmation or result.dry_run):
            token = None
            if result.dry_run:
                confirmation = None
            else:
                token = self.request.POST.get("confirm_token") if confirmation is not None else None
                if token is None:
                    token = pending_upload_keep(self.request, data, filename)
                if confirmation is None:
                    confirmation = OutlierConfirmationForm(initial={"confirm_token": token})
            return render(
                self.request,
                "assurance/returns_confirm.html",
                {
                    "title": _("Check these values before they are saved"),
                    "filename": filename,
                    "result": result,
                    "flagged": result.flagged,
                    "token": token,
                    "form": confirmation,
                },
            )
        if not result.dry_run:
            pending_upload_discard(self.request)
        if result.ok and not result.dry_run:
            messages.success(self.request, result.summary())
            if result.flagged:
                messages.info(
                    self.request,
                    ngettext(
                        "%(count)s value outside its usual range was saved with its confirming note.",
                        "%(count)s values outside their usual range were saved with their confirming notes.",
                        len(result.flagged),
                    )
                    % {"count": len(result.flagged)},
                )
            self.after_import(result)
            return redirect(reverse("assurance:collection"))
        return self.render_to_response(
            self.get_context_data(form=form or self.blank_form(), result=result, filename=filename)
        )


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
    provider_ids = set(
        Contract.objects.live_in(period).filter(commissioning_team=team).values_list("provider_id", flat=True)
    )
    providers = list(Provider.objects.filter(pk__in=provider_ids, active=True).order_by("name"))
    applicable = selectors.applicable_indicators(period, [p.pk for p in providers])
    providers = [p for p in providers if applicable[p.pk]]
    saved = {
        (v.monthly_return.provider_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(
            monthly_return__period=period, monthly_return__provider__in=providers
        ).select_related("monthly_return")
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
