"""Celery tasks: adapters that take ids and month codes and call the pipeline (STYLE.md 6).

Each records its progress on a RatingRun (queued, running, done, or failed with the
reason once its retries are spent), so a failed job is visible, not only logged.

Services and the pipeline are imported inside the tasks (HackSoft), so they may import this
module to enqueue without a cycle.
"""

from celery import shared_task
from django.utils import timezone

from assurance.models import RatingRun
from assurance.tasking import retry_or_give_up, time_limits
from providers.periods import format_period, parse_period, shift

SOFT_LIMIT, HARD_LIMIT = time_limits("assurance.ratingrun")
OPTIONS = {
    "bind": True,
    "max_retries": 3,
    "time_limit": HARD_LIMIT,
    "soft_time_limit": SOFT_LIMIT,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


def attempt(task, run_id, work):
    from assurance import services as assurance_services  # noqa: PLC0415 - HackSoft: a task imports services inside the task (tests/test_task_imports.py)

    if run_id is not None and RatingRun.objects.filter(pk=run_id, status__in=["done", "failed"]).exists():
        return "already finished"  # a message handed out again after its worker died, once the sweep had retried it
    assurance_services.rating_run_started(run_id)
    try:
        work()
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the run
        return retry_or_give_up(
            task, exc, lambda error, final: assurance_services.rating_run_failed(run_id, error, final=final)
        )
    assurance_services.rating_run_done(run_id)
    return "done"


@shared_task(name="escalation.tasks.compute_period", **OPTIONS)
def compute_period(self, period, run_id=None):
    """Rate every provider for a month (YYYY-MM) and apply escalation."""
    from . import pipeline  # noqa: PLC0415 - HackSoft: the pipeline (services) loads when a task runs, not where tasks register (tests/test_task_imports.py)

    return attempt(self, run_id, lambda: pipeline.run_period(parse_period(period)))


@shared_task(name="escalation.tasks.recompute_months", **OPTIONS)
def recompute_months(self, provider_ids, periods, run_id=None):
    """After a submission or an import: those providers' months, oldest first."""
    from . import pipeline  # noqa: PLC0415 - HackSoft: the pipeline (services) loads when a task runs, not where tasks register (tests/test_task_imports.py)

    return attempt(self, run_id, lambda: pipeline.run_periods([parse_period(p) for p in periods], provider_ids))


@shared_task(name="escalation.tasks.compute_previous_month", **OPTIONS)
def compute_previous_month(self, run_id=None):
    """The scheduled job: after the collection deadline, rate last month."""
    from . import pipeline  # noqa: PLC0415 - HackSoft: the pipeline (services) loads when a task runs, not where tasks register (tests/test_task_imports.py)

    period = shift(timezone.localdate().replace(day=1), -1)
    if run_id is None:  # the first attempt; retries carry the run on
        run_id = RatingRun.objects.create(periods=[format_period(period)], trigger=RatingRun.Trigger.SCHEDULE).pk
        self.request.kwargs = {**(self.request.kwargs or {}), "run_id": run_id}
    return attempt(self, run_id, lambda: pipeline.run_period(period))
