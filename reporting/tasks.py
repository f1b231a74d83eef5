"""Celery tasks for reporting: thin adapters that take ids and call one service (STYLE.md 6)."""

from celery import shared_task

from . import services

MAX_RETRIES = 2


@shared_task(bind=True, name="reporting.tasks.build_pack", max_retries=MAX_RETRIES, default_retry_delay=30,
             time_limit=900, soft_time_limit=840, acks_late=True)
def build_pack(self, pack_id):
    """Build a committee pack; retried twice, then shown as failed with its reason."""
    try:
        services.pack_build(pack_id)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded for the reader
        final = self.request.retries >= self.max_retries
        services.pack_failed(pack_id, exc, final=final)
        if final:
            return "failed"
        if self.request.is_eager:
            # In-process (no broker): Celery's eager mode cannot re-queue, so try again now.
            return self.apply(args=(pack_id,), retries=self.request.retries + 1).result
        raise self.retry(exc=exc) from exc
    return "ready"
