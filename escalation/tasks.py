"""Celery tasks: adapters that take ids and month codes and call the pipeline (STYLE.md 6)."""

from celery import shared_task
from django.utils import timezone

from assurance.periods import parse_period, shift

from . import pipeline

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_jitter": True, "max_retries": 3}


@shared_task(name="escalation.tasks.compute_period", time_limit=1800, soft_time_limit=1700, **RETRY)
def compute_period(period):
    """Rate every provider for a month (YYYY-MM) and apply escalation."""
    pipeline.run_period(parse_period(period))


@shared_task(name="escalation.tasks.recompute_months", time_limit=1800, soft_time_limit=1700, **RETRY)
def recompute_months(provider_ids, periods):
    """After a submission or an import: those providers' months, oldest first."""
    pipeline.run_periods([parse_period(p) for p in periods], provider_ids)


@shared_task(name="escalation.tasks.compute_previous_month", time_limit=1800, soft_time_limit=1700, **RETRY)
def compute_previous_month():
    """The scheduled job: after the collection deadline, rate last month."""
    period = shift(timezone.localdate().replace(day=1), -1)
    pipeline.run_period(period)
