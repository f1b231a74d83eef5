"""A failed component must not take the app down or lose data.

Redis unreachable: pages and data entry keep working, the rating job runs in-process and
the user is told. A rating task that fails is retried, then shown as failed with its
reason. A crash part-way through rating a month leaves the previous ratings as they were.
Two people submitting the same return at the same moment lose nothing.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from assurance import services
from assurance.celery import app
from assurance.models import (
    AreaRating,
    IndicatorRating,
    IndicatorValue,
    MonthlyReturn,
    ProviderRating,
    RatingRun,
)
from escalation import pipeline
from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

# Real commits, so a save's on_commit hook (which queues the rating job) runs when it would in
# production: before the view goes on to tell the user what became of the job.
# serialized_rollback: the flush at the end would otherwise empty the roles (tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def provider(catalogue):
    provider = provider_with_contract("7A4")
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    return provider


def submit(client, provider, period="2026-02", value="80"):
    """Fill every applicable indicator of the return with `value` and submit it."""
    page = client.get(reverse("assurance:return_entry", args=[provider.code, period]))
    data = {"version": page.context["version"], "submit": "1"}
    for _area, _label, forms, _done in page.context["groups"]:
        for form in forms:
            data[f"{form.prefix}-status"] = "reported"
            data[f"{form.prefix}-value"] = value
            data[f"{form.prefix}-note"] = "checked"
    return client.post(reverse("assurance:return_entry", args=[provider.code, period]), data, follow=True)


@pytest.fixture
def redis_down():
    """Celery pointed at a Redis that is not there (a port nothing listens on)."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}

    def forget_connections():  # Celery caches its broker connections and producers
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(
        task_always_eager=False, broker_url="redis://127.0.0.1:6390/0", result_backend="redis://127.0.0.1:6390/0"
    )
    forget_connections()
    yield
    app.conf.update(saved)
    forget_connections()


def test_with_redis_down_a_submission_is_rated_in_process_and_the_user_is_told(as_user, provider, redis_down):
    client = as_user("team_member")
    response = submit(client, provider)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The job queue could not be reached, so the ratings for 2026-02 were updated straight away." in page
    run = RatingRun.objects.get()
    assert (run.status, run.in_process, run.trigger) == ("done", True, "submission")
    assert ProviderRating.objects.filter(provider=provider, period=M[1]).exists()
    # Pages that never needed Redis still work.
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    assert "Run in the web process" in client.get(reverse("assurance:rating_runs")).content.decode()


def test_a_rating_job_that_keeps_failing_is_retried_then_shown_failed_with_its_reason(as_user, provider, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pipeline, "run_period", broken)
    client = as_user("team_member")
    response = submit(client, provider)
    page = response.content.decode()
    assert "The ratings for 2026-02 could not be updated: RuntimeError: database went away" in page
    assert MonthlyReturn.objects.get(provider=provider, period=M[1]).status == "submitted"  # the data is kept
    run = RatingRun.objects.get()
    assert (run.status, run.attempts, run.failure_reason) == ("failed", 4, "RuntimeError: database went away")
    director = as_user("service_director")
    assert "A rating job failed" in director.get(reverse("reporting:dashboard")).content.decode()
    assert "database went away" in director.get(reverse("assurance:rating_runs")).content.decode()
    # Once a later job succeeds, the warning goes.
    monkeypatch.undo()
    submit(as_user("team_member"), provider, value="81")
    assert RatingRun.objects.latest("requested_at").status == "done"
    director = as_user("service_director")
    assert "A rating job failed" not in director.get(reverse("reporting:dashboard")).content.decode()


def test_a_job_that_fails_once_succeeds_on_its_retry(as_user, provider, monkeypatch):
    real, calls = pipeline.run_periods, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("blip")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_periods", flaky)
    submit(as_user("team_member"), provider)
    run = RatingRun.objects.get()
    assert (run.status, run.attempts, run.failure_reason) == ("done", 2, "")
    assert ProviderRating.objects.filter(provider=provider, period=M[1]).exists()


def ratings(period):
    return (
        sorted(IndicatorRating.objects.filter(period=period).values_list("indicator_id", "rag", "reason")),
        sorted(AreaRating.objects.filter(period=period).values_list("area", "rag")),
        list(ProviderRating.objects.filter(period=period).values_list("recommended_level", "escalation_level")),
    )


def test_a_crash_part_way_through_rating_leaves_the_previous_ratings(provider, catalogue, monkeypatch):
    before = ratings(M[0])
    assert before[0]
    report(provider, M[0], month_values(0, 0, 5), catalogue)  # a correction that would turn it all Red
    from assurance import ratings as rating_module

    real = rating_module.insert_rows

    def crash(model, *args, **kwargs):  # the indicator ratings are already rewritten when this runs
        if model is AreaRating:
            raise OSError("disk full")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(rating_module, "insert_rows", crash)
    with pytest.raises(OSError):
        run_period(M[0])
    assert ratings(M[0]) == before
    monkeypatch.setattr(rating_module, "insert_rows", real)
    run_period(M[0])
    assert ratings(M[0]) != before


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "Django's in-memory SQLite test database locks whole tables between threads; the app's file "
        "database queues the two saves (transaction_mode IMMEDIATE). CI runs this on PostgreSQL."
    ),
)
def test_two_submissions_of_one_return_at_once_lose_nothing(catalogue, team_member, other_team_member):
    """Both editors opened version 0; they press Submit together. One save wins; the other is
    refused as stale (its editor keeps what they typed); nothing is half-written."""
    provider = provider_with_contract("7A5")
    barrier, outcomes = threading.Barrier(2), {}
    indicators = {area: catalogue[area] for area in ("access", "quality_safety")}

    def save(name, value):
        barrier.wait()
        try:
            services.returns_write(
                rows=[
                    services.ReturnValue(provider.pk, M[2], i, "reported", Decimal(value), "", name)
                    for i in indicators.values()
                ],
                user=team_member,
                versions={(provider.pk, M[2]): 0},
                submit=True,
            )
            outcomes[name] = "saved"
        except services.StaleReturn:
            outcomes[name] = "stale"
        except Exception as exc:  # reported by the assertion below
            outcomes[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(name, value)) for name, value in (("first", "96"), ("second", "92"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["saved", "stale"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    monthly_return = MonthlyReturn.objects.get(provider=provider, period=M[2])
    assert monthly_return.version == 1
    values = IndicatorValue.objects.filter(monthly_return=monthly_return)
    assert values.count() == 2 and {v.note for v in values} == {winner}
    assert connection.vendor in ("sqlite", "postgresql")


def test_with_redis_down_a_pack_is_built_in_process(as_user, provider, redis_down):
    from reporting.models import CommitteePack

    response = as_user("chief_executive").post(
        reverse("reporting:pack_request"), {"committee": "joint_committee", "period": "2026-01"}, follow=True
    )
    assert response.status_code == 200 and "Ready to download" in response.content.decode()
    assert CommitteePack.objects.get().status == "ready"
