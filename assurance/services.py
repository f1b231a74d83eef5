"""Writes for monthly returns: saving a return, submitting it, locking and unlocking months."""

import logging

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from providers.periods import format_period

from .choices import ReturnStatus
from .models import IndicatorValue, MonthlyReturn, PeriodLock, PeriodLockEvent


class ReturnLocked(Exception):
    """The month (or the return) is locked after sign-off."""


class StaleReturn(Exception):
    """Someone else saved the return after this editor opened it."""

    def __init__(self, monthly_return):
        super().__init__(_("The return was changed by someone else."))
        self.monthly_return = monthly_return


def period_is_locked(period):
    return PeriodLock.objects.filter(period=period, locked=True).exists()


@transaction.atomic
def return_save(*, provider, period, user, results, version, submit=False):
    """Save a provider's month as one change, refusing a stale or locked return.

    `results` maps an Indicator to {"status", "value", "rag", "note"}. `version` is the
    return's version when the editor opened it: if another save happened since, nothing
    is written and StaleReturn is raised, so the later editor's work is not silently
    lost and the earlier editor's work is not overwritten.
    """
    if period_is_locked(period):
        raise ReturnLocked
    monthly_return, _created = MonthlyReturn.objects.select_for_update().get_or_create(
        provider=provider, period=period
    )
    if monthly_return.status == ReturnStatus.LOCKED:
        raise ReturnLocked
    if monthly_return.version != version:
        raise StaleReturn(monthly_return)
    existing = {v.indicator_id: v for v in monthly_return.values.all()}
    for indicator, fields in results.items():
        value = existing.get(indicator.pk)
        if value is None:
            value = IndicatorValue(monthly_return=monthly_return, indicator=indicator, **fields)
        elif all(getattr(value, name) == new for name, new in fields.items()):
            continue
        else:
            for name, new in fields.items():
                setattr(value, name, new)
        value._history_user = user  # kept with the change even outside a request
        value.save()
    if submit:
        monthly_return.status = ReturnStatus.SUBMITTED
        monthly_return.submitted_at = timezone.now()
        monthly_return.submitted_by = user
    monthly_return.version += 1
    monthly_return._history_user = user
    monthly_return.save()
    monthly_return.rating_run = None
    if submit or monthly_return.status != ReturnStatus.DRAFT:
        monthly_return.rating_run = request_recompute([provider.pk], [period], user=user)
    return monthly_return


@transaction.atomic
def period_lock(*, period, user):
    lock, _created = PeriodLock.objects.select_for_update().get_or_create(period=period)
    lock.locked = True
    lock.save()
    PeriodLockEvent.objects.create(period_lock=lock, action=PeriodLockEvent.Action.LOCK, user=user)
    return lock


@transaction.atomic
def period_unlock(*, period, user, reason):
    if not reason.strip():
        raise ValueError("An unlock needs a reason.")
    lock = PeriodLock.objects.select_for_update().get(period=period)
    lock.locked = False
    lock.save()
    PeriodLockEvent.objects.create(
        period_lock=lock, action=PeriodLockEvent.Action.UNLOCK, user=user, reason=reason.strip()
    )
    return lock


@transaction.atomic
def area_override_set(*, provider, period, area, rag, rationale, user):
    """A director's override of an area's RAG for a month; earlier overrides are kept, not in force.

    The caller recomputes the month (the escalation pipeline) so the override counts. A locked
    month is signed off: its overrides no longer change (METHODOLOGY 4), so ReturnLocked.
    """
    from django.utils.formats import date_format

    from .models import AreaOverride, AreaRating
    from .selectors import locked_periods

    if locked_periods([period]):
        raise ReturnLocked(_("%(month)s is locked after sign-off; unlock it first, with a reason, to change its "
                             "ratings.") % {"month": date_format(period, "F Y")})
    if not rationale.strip():
        raise ValueError("An override needs a written rationale.")
    rating = AreaRating.objects.filter(provider=provider, period=period, area=area).first()
    AreaOverride.objects.filter(provider=provider, period=period, area=area, active=True).update(active=False)
    return AreaOverride.objects.create(
        provider=provider, period=period, area=area, rag=rag, rationale=rationale.strip(),
        computed_rag=rating.computed_rag if rating else "", overridden_by=user)


def request_recompute(provider_ids, periods, *, user=None, trigger="submission"):
    """Ask for the ratings of these providers' months to be recomputed, once the save commits.

    Returns the RatingRun that follows the job: queued, then done or failed with the reason.
    The pipeline lives in escalation (apps import only to their left), so the task is named
    rather than imported. With REDIS_URL unset it runs in-process; if the broker cannot be
    reached the work is done in-process instead (and the run says so), so nothing waits on Redis.
    """
    from assurance.celery import app

    from .models import RatingRun

    provider_ids = sorted(set(provider_ids))
    periods = sorted({format_period(period) for period in periods})
    if not provider_ids or not periods:
        return None
    run = RatingRun.objects.create(periods=periods, provider_ids=provider_ids, trigger=trigger, requested_by=user)

    def enqueue():
        signature = app.signature("escalation.tasks.recompute_months", args=(provider_ids, periods),
                                  kwargs={"run_id": run.pk})
        try:
            signature.delay()
        except Exception:  # noqa: BLE001 - broker down: rate now rather than not at all
            logging.getLogger(__name__).warning("Broker unreachable; rating in-process", exc_info=True)
            RatingRun.objects.filter(pk=run.pk).update(in_process=True)
            signature.apply()

    transaction.on_commit(enqueue)
    return run


def rating_run_started(run_id):
    from .models import RatingRun

    if run_id is not None:
        RatingRun.objects.filter(pk=run_id).update(status=RatingRun.Status.RUNNING, started_at=timezone.now(),
                                                   attempts=models.F("attempts") + 1)


def rating_run_done(run_id):
    from .models import RatingRun

    if run_id is not None:
        RatingRun.objects.filter(pk=run_id).update(status=RatingRun.Status.DONE, finished_at=timezone.now(),
                                                   failure_reason="")


def rating_run_failed(run_id, error, *, final):
    """A failed attempt: queued again for its retry, or failed for good, with the reason."""
    from .models import RatingRun

    if run_id is None:
        return
    reason = f"{type(error).__name__}: {error}"[:500]
    RatingRun.objects.filter(pk=run_id).update(
        status=RatingRun.Status.FAILED if final else RatingRun.Status.QUEUED,
        failure_reason=reason if final else _("Attempt failed, trying again: %(error)s") % {"error": reason},
        finished_at=timezone.now() if final else None)
