"""Retries for Celery tasks that record their failures where people can see them.

Shared by the rating tasks (escalation) and the pack builder (reporting). In the embedded,
in-process mode Celery cannot re-queue a task (its eager mode raises the Retry at the
caller), so a retry is attempted at once instead.
"""

import logging

log = logging.getLogger(__name__)
BACKOFF_SECONDS = 30


def retry_or_give_up(task, exc, record_failure):
    """After a failed attempt: record it, then retry or, with no retries left, give up.

    `record_failure(exc, final)` stores the reason. Returns "failed" when giving up; raises
    Celery's Retry otherwise (or returns the in-process retry's result).
    """
    final = task.request.retries >= task.max_retries
    record_failure(exc, final)
    if final:
        log.error("%s gave up after %s attempts", task.name, task.request.retries + 1, exc_info=exc)
        return "failed"
    if task.request.is_eager:
        return task.apply(args=task.request.args, kwargs=task.request.kwargs, retries=task.request.retries + 1).result
    raise task.retry(exc=exc, countdown=BACKOFF_SECONDS * 2**task.request.retries)
