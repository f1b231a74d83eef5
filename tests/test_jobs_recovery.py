"""Jobs that cannot get stuck (issue 16). A committee pack stayed "Being built" for ever when its
worker died mid-build (`kill -9`): nothing noticed. Now the sweep (Celery beat every minute,
`manage.py sweep_jobs`) sees a job whose process on this machine is gone, or that ran past its
time limit, or that waited queued far too long; it sends it again, up to the job's attempts, then
fails it for good with the reason. Every task is acknowledged late, put back when its worker is
lost, and has time limits.

The same with a real worker, Redis and PostgreSQL, killed with SIGKILL mid-build: .ci/celery-smoke.
"""

import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from assurance import tasking
from assurance.celery import app
from assurance.models import RatingRun, current_worker
from reporting.models import CommitteePack

pytestmark = pytest.mark.django_db


def dead_worker():
    """A process of this machine that has ended, as a job records it."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - our own interpreter
    child.wait()
    return f"{current_worker().rpartition(' ')[0]} {child.pid}"


def running_pack(worker, started_ago=timedelta(seconds=5), attempts=1):
    pack = CommitteePack.objects.create(
        committee_id="joint_committee", period=date(2026, 9, 1), period_from=date(2026, 8, 1)
    )
    CommitteePack.objects.filter(pk=pack.pk).update(
        status="running", worker=worker, started_at=timezone.now() - started_ago, attempts=attempts
    )
    return pack


def test_a_pack_whose_web_worker_died_mid_build_is_built_again(django_capture_on_commit_callbacks):
    """A web worker building in-process (Redis down) dies: the pack is built by the sweep's retry."""
    pack = running_pack(dead_worker())
    assert tasking.stuck_jobs()[0][:2] == ("CommitteePack", pack.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasking.sweep() == {"retried": 1, "failed": 0}
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == ("ready", 2)
    assert pack.pdf and pack.xlsx
    assert tasking.stuck_jobs() == []


def test_a_job_still_being_worked_on_is_left_alone():
    pack = running_pack(current_worker())
    assert tasking.sweep() == {"retried": 0, "failed": 0}
    pack.refresh_from_db()
    assert pack.status == "running"


def test_a_job_on_another_machine_is_retried_once_past_its_time_limit(django_capture_on_commit_callbacks, settings):
    settings.JOB_TIME_LIMITS = {**settings.JOB_TIME_LIMITS, "reporting.committeepack": 60}
    settings.JOB_SWEEP_GRACE = 30
    within = running_pack("another-host 42", started_ago=timedelta(seconds=80))
    past = running_pack("another-host 43", started_ago=timedelta(seconds=100))
    sent = []
    CommitteePack.requeue = lambda self: sent.append(self.pk)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert tasking.sweep() == {"retried": 1, "failed": 0}
    finally:
        del CommitteePack.requeue
    assert sent == [past.pk]
    past.refresh_from_db()
    within.refresh_from_db()
    assert (within.status, past.status, past.worker) == ("running", "queued", "")
    assert "ran past its time limit of 60 seconds" in past.failure_reason


def test_a_job_that_keeps_dying_is_failed_for_good_with_a_plain_reason():
    pack = running_pack(dead_worker(), attempts=CommitteePack.max_attempts)
    assert tasking.sweep() == {"retried": 0, "failed": 1}
    pack.refresh_from_db()
    assert pack.status == "failed" and pack.finished_at
    assert pack.failure_reason.startswith("JobLost: The process building it stopped")
    assert "JobLost" not in pack.reader_reason


def test_the_reason_is_stored_in_the_site_language_whatever_language_the_worker_has_active(
    django_capture_on_commit_callbacks,
):
    """A worker process that last served a Welsh request still has Welsh active: the stored reason
    (for the log and the support team) must not follow it."""
    dying = running_pack(dead_worker(), attempts=CommitteePack.max_attempts)
    retried = running_pack(dead_worker())
    CommitteePack.requeue = lambda self: None
    try:
        with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
            assert tasking.sweep() == {"retried": 1, "failed": 1}
    finally:
        del CommitteePack.requeue
    dying.refresh_from_db()
    retried.refresh_from_db()
    assert dying.failure_reason.startswith("JobLost: The process building it stopped")
    assert retried.failure_reason.startswith("Attempt failed, trying again: JobLost: The process building it stopped")


def test_a_rating_run_whose_worker_died_is_run_again(django_capture_on_commit_callbacks):
    run = RatingRun.objects.create(periods=["2026-09"], provider_ids=[], trigger=RatingRun.Trigger.SCHEDULE)
    RatingRun.objects.filter(pk=run.pk).update(status="running", worker=dead_worker(), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasking.sweep()["retried"] == 1
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)


def test_a_job_queued_long_ago_and_never_started_is_sent_again(django_capture_on_commit_callbacks):
    run = RatingRun.objects.create(periods=["2026-09"], provider_ids=[], trigger=RatingRun.Trigger.SCHEDULE)
    limit = RatingRun.time_limit() + settings.JOB_SWEEP_GRACE
    RatingRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(seconds=limit + 1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_jobs")
    run.refresh_from_db()
    assert run.status == "done"


def test_the_check_lists_stuck_jobs_and_fails(capsys):
    running_pack(dead_worker())
    with pytest.raises(SystemExit):
        call_command("sweep_jobs", "--check")
    assert "stuck jobs: 1" in capsys.readouterr().out


def test_a_finished_rating_run_handed_out_again_is_not_run_twice():
    run = RatingRun.objects.create(periods=["2026-09"], trigger=RatingRun.Trigger.SCHEDULE)
    run.start()
    run.finish()
    result = app.tasks["escalation.tasks.compute_period"].apply(args=("2026-09",), kwargs={"run_id": run.pk})
    assert result.result == "already finished"
    run.refresh_from_db()
    assert run.attempts == 1


def test_every_task_is_acknowledged_late_with_time_limits_and_the_sweep_is_scheduled():
    import assurance.tasks  # noqa: F401 - registers the sweep
    import reporting.tasks  # noqa: F401

    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in settings.INSTALLED_APPS}
    assert {"reporting.tasks.build_pack", "escalation.tasks.compute_period", "assurance.tasks.sweep_jobs"} <= set(ours)
    for name, task in ours.items():
        assert task.acks_late, name
        assert (task.time_limit or app.conf.task_time_limit) and (task.soft_time_limit or app.conf.task_soft_time_limit)
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.broker_transport_options["visibility_timeout"] > max(settings.JOB_TIME_LIMITS.values())
    assert any(entry["task"] == "assurance.tasks.sweep_jobs" for entry in app.conf.beat_schedule.values())
