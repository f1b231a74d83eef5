"""The monthly pipeline: rate a month, then apply the escalation rules to it.

The one code path behind the Celery tasks, `manage.py compute_ratings`, and the
recompute after a return is submitted or imported (DESIGN.md, "Data flow").
"""

from django.db import transaction

from assurance.ratings import collection_periods, compute_period

from .services import evaluate_period


def run_period(period, provider_ids=None, *, notify=True, at=None):
    """Rate `period` (for all providers, or those given) and evaluate escalation, atomically."""
    with transaction.atomic():
        result = compute_period(period, provider_ids)
        evaluate_period(result, notify=notify, at=at)
    return result


def run_periods(periods, provider_ids=None, *, notify=True):
    """Several months, oldest first, so escalation sees them in order."""
    return [run_period(period, provider_ids, notify=notify) for period in sorted(set(periods))]


def run_all(*, notify=False):
    """Every collection period, oldest first."""
    return run_periods(collection_periods(), notify=notify)
