"""Background jobs (assurance.models.Job): a rating run and a committee pack move through the same
states, queued, running, then done or failed with the reason, counting attempts and progress."""

from datetime import date

import pytest
from django.utils import timezone

from assurance.models import Job, RatingRun
from reporting.models import CommitteePack

pytestmark = pytest.mark.django_db


def rating_run():
    return RatingRun.objects.create(periods=["2026-09"], trigger=RatingRun.Trigger.SUBMISSION)


def committee_pack():
    return CommitteePack.objects.create(
        committee_id="joint_committee", period=date(2026, 9, 1), period_from=date(2026, 8, 1)
    )


@pytest.mark.parametrize("make", [rating_run, committee_pack], ids=["rating run", "committee pack"])
def test_a_job_is_queued_then_running_then_done(make):
    job = make()
    assert isinstance(job, Job) and job.status == "queued" and job.in_progress
    job.start()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.in_progress) == ("running", 1, True)
    assert job.started_at <= timezone.now()
    job.finish()
    job.refresh_from_db()
    assert job.status == job.done_status and not job.in_progress
    assert job.finished_at >= job.started_at and job.duration_seconds >= 0


def test_a_pack_that_is_done_is_called_ready():
    pack = committee_pack()
    pack.start()
    pack.finish()
    pack.refresh_from_db()
    assert (pack.status, pack.get_status_display()) == ("ready", "Ready")
    run = rating_run()
    run.finish()
    assert RatingRun.objects.get().status == "done"


@pytest.mark.parametrize("make", [rating_run, committee_pack], ids=["rating run", "committee pack"])
def test_a_failed_attempt_is_queued_again_and_the_last_fails_for_good_with_its_reason(make):
    job = make()
    job.start()
    job.fail(ConnectionError("blip"), final=False)
    job.refresh_from_db()
    assert (job.status, job.finished_at) == ("queued", None)
    assert job.failure_reason == "Attempt failed, trying again: ConnectionError: blip"
    job.start()
    job.fail(RuntimeError("x" * 600), final=True)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert job.failure_reason.startswith("RuntimeError: xxx") and len(job.failure_reason) == 500
    assert job.finished_at is not None


def test_a_retry_that_succeeds_clears_the_reason():
    run = rating_run()
    run.start()
    run.fail(ConnectionError("blip"), final=False)
    run.start()
    run.finish()
    run.refresh_from_db()
    assert (run.status, run.attempts, run.failure_reason) == ("done", 2, "")


def test_attempts_are_counted_in_the_database_so_two_workers_both_count():
    run = rating_run()
    other_worker = RatingRun.objects.get(pk=run.pk)
    run.start()
    other_worker.start()
    assert (other_worker.attempts, RatingRun.objects.get().attempts) == (2, 2)


def test_progress_is_recorded_and_complete_when_done():
    run = rating_run()
    assert run.progress_percent is None
    run.set_progress(0, total=40)
    run.set_progress(10)
    run.refresh_from_db()
    assert (run.progress_done, run.progress_total, run.progress_percent) == (10, 40, 25)
    run.finish()
    run.refresh_from_db()
    assert (run.progress_done, run.progress_percent) == (40, 100)
