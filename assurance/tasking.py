"""Background jobs that are never lost and never stuck (issue 16).

- `retry_or_give_up`: after a failed attempt, record it, then retry or give up. Shared by the
  rating tasks (escalation) and the pack builder (reporting). In the embedded, in-process mode
  Celery cannot re-queue a task (its eager mode raises the Retry at the caller), so a retry is
  attempted at once instead. A connection the failure left broken is closed first, so a job
  that met a dropped database connection can record it and its retry starts afresh.
- `sweep`: the periodic sweep (Celery beat every minute, and `manage.py sweep_jobs`). A job
  whose worker died (kill -9, out of memory, a web worker that died mid in-process build) is
  left "running" for ever by the worker itself. The sweep sees it: its process on this machine
  is gone, or it has run past its time limit (the task would have been stopped by then), or it
  has waited queued far longer than any queue or retry delay. It retries it (the job's task is
  sent again) up to the job's attempts, then fails it for good with the reason.

Together with late acknowledgement, `reject_on_worker_lost` and the broker's visibility
timeout (settings), a job ends done or failed, never in between.
"""

import logging
import os
import socket
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from .middleware import close_broken_connections

log = logging.getLogger(__name__)
BACKOFF_SECONDS = 30


class JobLost(Exception):
    """The process running a job stopped before the job could say how it ended."""


def retry_or_give_up(task, exc, record_failure):
    """After a failed attempt: record it, then retry or, with no retries left, give up.

    `record_failure(exc, final)` stores the reason. Returns "failed" when giving up; raises
    Celery's Retry otherwise (or returns the in-process retry's result).
    """
    close_broken_connections()
    final = task.request.retries >= task.max_retries
    record_failure(exc, final)
    if final:
        log.error("%s gave up after %s attempts", task.name, task.request.retries + 1, exc_info=exc)
        return "failed"
    if task.request.is_eager:
        return task.apply(args=task.request.args, kwargs=task.request.kwargs, retries=task.request.retries + 1).result
    raise task.retry(exc=exc, countdown=BACKOFF_SECONDS * 2**task.request.retries)


def time_limits(label):
    """Celery's (soft, hard) time limits for the task of the job model `label` ("reporting.committeepack")."""
    hard = settings.JOB_TIME_LIMITS.get(label, settings.JOB_TIME_LIMIT_DEFAULT)
    return max(1, hard - max(1, hard // 20)), hard


def job_models():
    """Every concrete model of a job (assurance.models.Job), from any app."""
    from .models import Job  # noqa: PLC0415 - models load after this module is imported by settings-free code

    return [model for model in apps.get_models() if issubclass(model, Job)]


def process_gone(worker):
    """True when `worker` ("host pid") ran on this machine and that process no longer exists.

    On another machine nothing can be told from here: the time limit decides there.
    """
    host, _, pid = (worker or "").rpartition(" ")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid):
    """A killed child its parent has not reaped yet still answers os.kill; /proc says it is dead."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def stuck_reason(job, now):
    """Why `job` is stuck (a sentence), or "" when it is not. Written in the site's language
    (settings.LANGUAGE_CODE), as every stored failure reason is: it goes to the log and the job's
    record, so it must not depend on whichever language the process happens to have active."""
    with translation.override(settings.LANGUAGE_CODE):
        return _stuck_reason(job, now)


def _stuck_reason(job, now):
    grace = timedelta(seconds=settings.JOB_SWEEP_GRACE)
    limit = timedelta(seconds=job.time_limit())
    if job.status == job.Status.RUNNING:
        if process_gone(job.worker):
            return gettext("The process building it stopped (%(worker)s).") % {"worker": job.worker}
        if job.started_at and job.started_at < now - limit - grace:
            return gettext("It ran past its time limit of %(seconds)s seconds.") % {"seconds": job.time_limit()}
    elif job.status == job.Status.QUEUED:
        if job.started_at and process_gone(job.worker):  # its retry was held by a worker that died
            return gettext("The process holding its retry stopped (%(worker)s).") % {"worker": job.worker}
        if job.queued_at and job.queued_at < now - limit - grace:
            return gettext("It waited in the queue for longer than %(seconds)s seconds.") % {
                "seconds": int((limit + grace).total_seconds())
            }
    return ""


def recover(model, pk, now=None):
    """Retry a stuck job, or fail it for good when its attempts are spent. Returns what was done:
    "retried", "failed" or "" (it was no longer stuck: someone else got there first)."""
    now = now or timezone.now()
    with transaction.atomic():
        job = model.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        reason = stuck_reason(job, now) if job else ""
        if not reason:
            return ""
        if job.attempts >= job.max_attempts:
            job.fail(JobLost(reason), final=True)
            log.error("%s %s stuck and out of attempts: %s", model.__name__, pk, reason)
            return "failed"
        job.fail(JobLost(reason), final=False)
        job.worker = ""
        job.save(update_fields=["worker"])
        transaction.on_commit(lambda: _send(job))
    log.warning("%s %s was stuck (%s); sent again", model.__name__, pk, reason)
    return "retried"


def _send(job):
    try:
        job.requeue()
    except Exception:  # noqa: BLE001 - broker down: the next sweep sends it (it is still queued)
        log.warning("Could not queue %s %s again; the next sweep will try", type(job).__name__, job.pk, exc_info=True)


def sweep(now=None):
    """Retry or fail every stuck job. Returns {"retried": n, "failed": n}."""
    now = now or timezone.now()
    done = {"retried": 0, "failed": 0}
    for model in job_models():
        statuses = [model.Status.RUNNING, model.Status.QUEUED]
        for job in model.objects.filter(status__in=statuses).only(
            "pk", "status", "worker", "started_at", "queued_at", "attempts"
        ):
            if stuck_reason(job, now) and (outcome := recover(model, job.pk, now)):
                done[outcome] += 1
    return done


def stuck_jobs(now=None):
    """Jobs the sweep would act on now: [(model name, pk, reason)] (for `make soak`)."""
    now = now or timezone.now()
    found = []
    for model in job_models():
        for job in model.objects.filter(status__in=[model.Status.RUNNING, model.Status.QUEUED]):
            if reason := stuck_reason(job, now):
                found.append((model.__name__, job.pk, reason))
    return found
