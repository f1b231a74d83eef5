"""Uploads of returns and trajectories as bounded background jobs (issue 16), checked first and
then saved (issue 17), and the returns check the API shares with them.

A web upload never runs in a web worker: the file is stored on an UploadJob and a Celery task
(assurance.tasks.run_upload) reads it under the caps of providers.importing.ImportLimits, with
a time limit, reporting its progress (queued, reading, line N of M, then checked with what would
change or refused with every problem). Nothing is written by the check. "Save these changes"
queues the same file again: it is checked again and written all or nothing, and refused if any
of its returns was written (the form, another upload, the API) after the check read it: the
versions the check read are the optimistic lock of the save (assurance.services.returns_write).

One job at a time per person: a job whose owner has another running waits in the queue (its
page says so) and starts when that one ends. In the embedded set-up (no REDIS_URL) Celery runs
the task in-process, so the job has finished by the time its page is shown.

The register imports of administrators (providers, services, contracts, contract lines,
indicators, changes of target: /register/import/) are jobs of the same kind, checked and then
saved the same way; KINDS says, for each, its importer, the permission it needs and where its
page leads. The command-line imports (`manage.py import_*`) run the same importers directly.

For the API (assurance.uploads.returns_check / returns_apply): rows as dicts with the columns
of returns.csv, the same checks and messages, errors by line.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.importers import ContractImporter, ContractLineImporter
from providers.importers import ProviderImporter, ServiceImporter
from providers.importing import ImportFileError, attributed
from providers.periods import format_period, parse_period

from . import tasks
from .access import UPLOAD_RETURNS, provider_ids
from .importers import IndicatorImporter, ReturnImporter, TargetImporter, TrajectoryImporter
from .models import UploadJob
from .services import StaleReturn

log = logging.getLogger(__name__)
KEEP_UNSAVED = timedelta(days=1)  # how long a checked file waits to be saved
MAX_KEPT = 500  # problems and flagged rows kept on a job for its page (the count is kept in full)
PROGRESS_SECONDS = 0.5  # at most two progress writes a second
IMPORT_REGISTER = "providers.import_register"


@dataclass(frozen=True)
class UploadKind:
    """What a job of one kind reads its file with, who may upload it, and where its pages lead."""

    label: str
    importer: type
    permission: str
    start_url: str  # the page to upload (another) file of this kind
    next_url: str  # where the saved data is listed
    reason: str  # recorded on every history row its save writes, with the file's name

    @property
    def register(self):
        return self.permission == IMPORT_REGISTER


_UPLOADED = gettext_lazy("Uploaded from %(file)s")
_IMPORTED = gettext_lazy("Imported from %(file)s")
_RETURNS_PAGE, _REGISTER_PAGE = "assurance:returns_import", "assurance:register_import"
KINDS = {
    UploadJob.Kind.RETURNS: UploadKind(
        gettext_lazy("Monthly returns (returns.csv)"),
        ReturnImporter,
        UPLOAD_RETURNS,
        _RETURNS_PAGE,
        "assurance:collection",
        _UPLOADED,
    ),
    UploadJob.Kind.TRAJECTORIES: UploadKind(
        gettext_lazy("Improvement trajectories (trajectories.csv)"),
        TrajectoryImporter,
        UPLOAD_RETURNS,
        _RETURNS_PAGE,
        "assurance:trajectory_list",
        _UPLOADED,
    ),
    UploadJob.Kind.PROVIDERS: UploadKind(
        gettext_lazy("Providers (providers.csv)"),
        ProviderImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "providers:provider_list",
        _IMPORTED,
    ),
    UploadJob.Kind.SERVICES: UploadKind(
        gettext_lazy("Services (services.csv)"),
        ServiceImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "providers:service_list",
        _IMPORTED,
    ),
    UploadJob.Kind.CONTRACTS: UploadKind(
        gettext_lazy("Contracts (contracts.csv)"),
        ContractImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "contracts:contract_list",
        _IMPORTED,
    ),
    UploadJob.Kind.CONTRACT_LINES: UploadKind(
        gettext_lazy("Contract lines: planned activity and cost (contract_lines.csv)"),
        ContractLineImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "contracts:contract_list",
        _IMPORTED,
    ),
    UploadJob.Kind.INDICATORS: UploadKind(
        gettext_lazy("Indicators (indicators.csv)"),
        IndicatorImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "assurance:indicator_list",
        _IMPORTED,
    ),
    UploadJob.Kind.TARGETS: UploadKind(
        gettext_lazy("Changes of target (targets.csv)"),
        TargetImporter,
        IMPORT_REGISTER,
        _REGISTER_PAGE,
        "assurance:indicator_list",
        _IMPORTED,
    ),
}
REGISTER_KINDS = [kind for kind, spec in KINDS.items() if spec.register]
RETURNS_KINDS = [kind for kind, spec in KINDS.items() if not spec.register]


# Asking for a job ---------------------------------------------------------------------------------


def upload_submit(*, user, kind, data: bytes, filename: str) -> UploadJob:
    """Queue the check of an uploaded file; its page (job.get_absolute_url()) follows it.
    Files checked (or refused) and left unsaved for a day are put aside, so none is kept for ever."""
    UploadJob.objects.filter(
        finished_at__lt=timezone.now() - KEEP_UNSAVED,
        outcome__in=[UploadJob.Outcome.CHECKED, UploadJob.Outcome.REFUSED],
    ).update(data=b"", outcome=UploadJob.Outcome.DISCARDED)
    job = UploadJob.objects.create(requested_by=user, kind=kind, data=data, filename=filename[:200])
    _enqueue(job.pk)
    return job


def upload_save(*, job, confirmation_note="") -> UploadJob:
    """Queue the save of a checked file (no need to choose it again)."""
    if job.outcome != UploadJob.Outcome.CHECKED or job.in_progress:
        raise ValueError("Only a checked upload that is not running can be saved.")
    _restage(job, UploadJob.Stage.SAVE, confirmation_note=confirmation_note.strip())
    return job


def upload_recheck(*, job) -> UploadJob:
    """Check the same file again (after a refused save: the returns changed since it was checked)."""
    if job.in_progress or not job.data:
        raise ValueError("Only a finished upload whose file is kept can be checked again.")
    _restage(job, UploadJob.Stage.CHECK)
    return job


def upload_discard(*, job) -> UploadJob:
    """Put a checked or refused upload aside: its file is deleted."""
    if job.in_progress:
        raise ValueError("A running upload cannot be put aside.")
    job.data, job.outcome = b"", UploadJob.Outcome.DISCARDED
    job.save(update_fields=["data", "outcome"])
    return job


def _restage(job, stage, *, confirmation_note=""):
    job.stage, job.status, job.outcome, job.step = stage, UploadJob.Status.QUEUED, UploadJob.Outcome.NONE, ""
    job.confirmation_note, job.failure_reason = confirmation_note, ""
    job.queued_at, job.started_at, job.finished_at = timezone.now(), None, None
    job.progress_done, job.progress_total = 0, None
    job.save()
    _enqueue(job.pk)


def _enqueue(job_id):
    """Send the job's task once the job is stored (at once when not inside a transaction)."""
    if connection.in_atomic_block and not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: send(job_id))
    else:
        send(job_id)


def send(job_id, countdown=None):
    """Queue the task; with the broker down, the job stays queued for the sweep to send again."""
    try:
        tasks.run_upload.apply_async(args=(job_id,), countdown=countdown)
    except Exception:  # noqa: BLE001 - the broker is down: never check a file in the web worker
        log.warning("Broker unreachable; upload job %s stays queued for the sweep", job_id, exc_info=True)


# Running a job (the task) -------------------------------------------------------------------------

WAIT_SECONDS = 3  # how soon a job waiting for its owner's other job is tried again


def upload_run(job_id):
    """The task's work: run the job's stage, unless its owner has another job running (then it
    waits its turn: "deferred"). Returns "checked", "refused", "saved", "deferred" or ""."""
    with transaction.atomic():
        job = UploadJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != UploadJob.Status.QUEUED:
            return ""  # done already, or taken by another worker
        get_user_model().objects.select_for_update().filter(pk=job.requested_by_id).first()  # one at a time
        busy = (
            UploadJob.objects.filter(requested_by_id=job.requested_by_id, status=UploadJob.Status.RUNNING)
            .exclude(pk=job.pk)
            .exists()
        )
        if busy and not settings.CELERY_TASK_ALWAYS_EAGER:
            UploadJob.objects.filter(pk=job.pk).update(step="waiting", queued_at=timezone.now())
            transaction.on_commit(lambda: send(job_id, countdown=WAIT_SECONDS))
            return "deferred"
        job.start()
    try:
        outcome = _run_stage(job)
    except SoftTimeLimitExceeded:
        _refuse(
            job,
            _(
                "Checking the file took longer than %(seconds)s seconds, so it was stopped and nothing was saved. "
                "Split it into smaller files and upload them one at a time."
            )
            % {"seconds": UploadJob.time_limit()},
        )
        outcome = UploadJob.Outcome.REFUSED
    except Exception as exc:
        log.exception("Upload job %s failed", job_id)
        job.fail(exc, final=True)
        UploadJob.objects.filter(pk=job.pk).update(
            failure_reason=_("Something went wrong while handling the file, and nothing was saved. Try again later.")
        )
        outcome = ""
    return str(outcome)


def _run_stage(job):
    user = job.requested_by
    spec = KINDS[job.kind]
    if not user.is_active or not user.has_perm(spec.permission):  # their role changed since the upload
        return _refuse(job, _("You may no longer upload this kind of file, so nothing was saved."))
    importer = _importer(job)
    saving = job.stage == UploadJob.Stage.SAVE
    reason = str(spec.reason) % {"file": job.filename}
    try:
        with attributed(reason=reason, user=user):
            result = importer.run(bytes(job.data), job.filename, dry_run=not saving)
    except ImportFileError as exc:
        return _refuse(job, str(exc))
    except StaleReturn as exc:
        stale = exc.monthly_return
        return _refuse(
            job,
            _(
                "The return for %(provider)s, %(month)s was changed after this file was checked (on its page, by "
                "another upload or through the API). Nothing was saved, so nothing of theirs was overwritten. "
                "Check the file again to see what it would change now."
            )
            % {"provider": stale.provider.name, "month": format_period(stale.period)},
            stale=True,
        )
    job.result = _result_data(result, importer)
    if not result.ok:
        job.outcome = UploadJob.Outcome.REFUSED
    elif saving and not getattr(result, "awaiting_confirmation", False):
        job.outcome, job.data = UploadJob.Outcome.SAVED, b""
    else:  # checked; or values that now need confirming turned up at the save: shown to confirm
        job.outcome = UploadJob.Outcome.CHECKED
        if saving:
            job.stage = UploadJob.Stage.CHECK
    job.step = ""
    job.finish(save=False)
    job.save()
    return job.outcome


def _importer(job):
    def progress(step, done, total=None):
        now = time.monotonic()
        if step != job.step or total == done or now - getattr(progress, "last", 0) >= PROGRESS_SECONDS:
            progress.last = now
            job.step, job.progress_done = step, done
            fields = ["step", "progress_done"]
            if total is not None:
                job.progress_total = total
                fields.append("progress_total")
            UploadJob.objects.filter(pk=job.pk).update(**{name: getattr(job, name) for name in fields})

    spec = KINDS[job.kind]
    if spec.register:
        importer = spec.importer(user=job.requested_by) if spec.importer is TargetImporter else spec.importer()
        importer.progress = progress
        return importer
    allowed = provider_ids(job.requested_by, UPLOAD_RETURNS)
    if job.kind == UploadJob.Kind.RETURNS:
        saving = job.stage == UploadJob.Stage.SAVE
        importer = ReturnImporter(
            user=job.requested_by,
            allowed_provider_ids=allowed,
            outliers=ReturnImporter.ASK,
            confirmation_note=job.confirmation_note if saving else "",
            versions=_versions_from(job.result.get("versions", [])) if saving else None,
        )
    else:
        importer = TrajectoryImporter(allowed_provider_ids=allowed)
    importer.progress = progress
    return importer


def _refuse(job, message, *, stale=False):
    job.result = {"file_error": message, "stale": stale, "errors": [], "error_count": 0}
    job.outcome, job.step = UploadJob.Outcome.REFUSED, ""
    job.finish(save=False)
    job.save()
    return job.outcome


def _result_data(result, importer):
    """What the job's page shows and its save needs, as JSON."""
    flagged = getattr(result, "flagged", [])
    data = {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "error_count": len(result.errors),
        "errors": [[str(e.line), e.column, str(e.message)] for e in result.errors[:MAX_KEPT]],
        "flagged_count": len(flagged),
        "unconfirmed_count": sum(1 for row in flagged if not row.note.strip()),
        "flagged": [
            {
                "line": str(row.line),
                "provider_code": row.provider_code,
                "indicator_code": row.indicator.code,
                "indicator": row.indicator.name,
                "period": format_period(row.period),
                "value": row.value_text,
                "range": str(row.range_text),
                "note": row.note,
            }
            for row in flagged[:MAX_KEPT]
        ],
        "awaiting_confirmation": bool(getattr(result, "awaiting_confirmation", False)),
        "versions": [[pid, format_period(period), v] for (pid, period), v in getattr(result, "versions", {}).items()],
        "rating_run": _rating_run_id(result, importer),
    }
    return data


def _rating_run_id(result, importer):
    """The rating job a save asked for: returns imports set it on the result, targets on the importer."""
    run = result.rating_run or getattr(importer, "rating_run", None)
    return run.pk if run is not None else None


def _versions_from(stored):
    return {(pid, parse_period(period)): version for pid, period, version in stored}


def waiting_behind(job):
    """The owner's running job this one waits for, or None."""
    if job.status != UploadJob.Status.QUEUED:
        return None
    return (
        UploadJob.objects.filter(requested_by_id=job.requested_by_id, status=UploadJob.Status.RUNNING)
        .exclude(pk=job.pk)
        .first()
    )


# The API's seam (reporting.api): rows as dicts ---------------------------------------------------


@dataclass
class ReturnsChecked:
    """What returns_check found: `errors` [RowError] by line, and, when there are none, what a
    save would do, the values outside their usual range, and the versions read."""

    errors: list = field(default_factory=list)
    rows: int = 0
    skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: list = field(default_factory=list)  # [importers.FlaggedRow]
    versions: dict = field(default_factory=dict)  # {(provider_id, period): version}
    awaiting_confirmation: bool = False  # True: nothing saved, flagged values need a note
    rating_run: object = None

    @property
    def ok(self):
        return not self.errors


def _records(rows, first_line):
    return [
        (first_line + index, {k: ("" if v is None else str(v)).strip() for k, v in row.items()})
        for index, row in enumerate(rows)
    ]


def _run_rows(rows, *, user, allowed_provider_ids, first_line, dry_run, **kwargs):
    importer = ReturnImporter(
        user=user, allowed_provider_ids=allowed_provider_ids, outliers=ReturnImporter.ASK, **kwargs
    )
    with attributed(reason=_("Sent through the API"), user=user):
        result = importer.run_records(ReturnImporter.columns, _records(rows, first_line), dry_run=dry_run)
    return ReturnsChecked(
        errors=result.errors,
        rows=result.rows,
        skipped=result.skipped,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        flagged=result.flagged,
        versions=result.versions,
        awaiting_confirmation=result.awaiting_confirmation,
        rating_run=result.rating_run,
    )


def returns_check(rows, *, user, allowed_provider_ids=None, first_line=1) -> ReturnsChecked:
    """Check returns as the upload does, writing nothing. `rows`: dicts with returns.csv's columns
    (provider_code, indicator_code, period, value, rag, status, note; text or numbers); the row at
    index i is line `first_line + i` in the errors. Rows with nothing entered are skipped.
    `allowed_provider_ids`: None for any provider (administrators), else the ids the user may send."""
    return _run_rows(rows, user=user, allowed_provider_ids=allowed_provider_ids, first_line=first_line, dry_run=True)


def returns_apply(
    rows, *, user, versions=None, confirmation_note="", allowed_provider_ids=None, first_line=1
) -> ReturnsChecked:
    """Check and save returns all or nothing, as the upload's save does. `versions`
    {(provider_id, period): version} are the versions read (by returns_check, or sent by a client):
    if any of those returns was written since, StaleReturn is raised and nothing is saved. Values
    outside their usual range need a note in their row or `confirmation_note`; without one nothing
    is saved and they are listed in `flagged` with `errors` empty (check `saved`)."""
    return _run_rows(
        rows,
        user=user,
        allowed_provider_ids=allowed_provider_ids,
        first_line=first_line,
        dry_run=False,
        versions=versions,
        confirmation_note=confirmation_note,
    )
