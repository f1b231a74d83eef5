"""Celery tasks of assurance: the sweep that keeps background jobs from getting stuck."""

from celery import shared_task

from .tasking import sweep, time_limits


@shared_task(name="assurance.tasks.sweep_jobs", time_limit=120, soft_time_limit=110, acks_late=True, ignore_result=True)
def sweep_jobs():
    """Every minute (Celery beat): retry or fail the jobs whose worker died (assurance.tasking)."""
    return sweep()


@shared_task(
    name="assurance.tasks.run_upload",
    time_limit=time_limits("assurance.uploadjob")[1],
    soft_time_limit=time_limits("assurance.uploadjob")[0],
    acks_late=True,
    ignore_result=True,
)
def run_upload(job_id):
    """Check or save an uploaded spreadsheet (assurance.uploads), under its time limit."""
    from . import uploads  # noqa: PLC0415 - HackSoft: a task imports its service inside the task (tests/test_task_imports.py)

    return uploads.upload_run(job_id)
