"""Celery tasks for reporting: thin adapters that take ids and call one service (STYLE.md 6).

Services import this module to enqueue; a task imports services inside its function
(HackSoft), so the two modules never import each other at load time.
"""

from celery import shared_task

from assurance.tasking import retry_or_give_up, time_limits

SOFT_LIMIT, HARD_LIMIT = time_limits("reporting.committeepack")


@shared_task(
    bind=True,
    name="reporting.tasks.build_pack",
    max_retries=2,
    time_limit=HARD_LIMIT,
    soft_time_limit=SOFT_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
)
def build_pack(self, pack_id):
    """Build a committee pack; retried twice, then shown as failed with its reason."""
    from . import services  # noqa: PLC0415 - HackSoft: a task imports services inside the task, services import tasks (tests/test_task_imports.py)

    try:
        services.pack_build(pack_id)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded for the reader
        return retry_or_give_up(self, exc, lambda error, final: services.pack_failed(pack_id, error, final=final))
    return "ready"


@shared_task(name="reporting.tasks.send_reminders", time_limit=600, soft_time_limit=540)
def send_reminders():
    """Daily (Celery beat): the reminder emails due today, each once (issue 17)."""
    from django.utils import timezone  # noqa: PLC0415 - kept with the task, as the service import

    from . import reminders  # noqa: PLC0415 - HackSoft: a task imports services inside the task

    return len(reminders.send_reminders(today=timezone.localdate()))
