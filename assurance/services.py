"""Writes for monthly returns: saving a return, submitting it, locking and unlocking months."""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from providers.bulk import history_rows, insert_rows
from providers.importing import change_reason
from providers.periods import format_period

from . import rating_versions, rules
from .celery import app
from .choices import ReturnStatus, ValueStatus
from .models import (
    AreaOverride,
    AreaRating,
    Indicator,
    IndicatorValue,
    MonthlyReturn,
    PeriodLock,
    PeriodLockEvent,
    RatingRun,
)
from .selectors import locked_periods


class ReturnLocked(Exception):
    """The month (or the return) is locked after sign-off. `keys`: the (provider_id, period)
    of the returns refused, when a write of returns raised it."""

    def __init__(self, message="", *, keys=()):
        super().__init__(message)
        self.keys = list(keys)


class StaleReturn(Exception):
    """Someone else saved the return after this editor opened it."""

    def __init__(self, monthly_return):
        super().__init__(_("The return was changed by someone else."))
        self.monthly_return = monthly_return


def period_is_locked(period):
    return PeriodLock.objects.filter(period=period, locked=True).exists()


class ReturnValue(NamedTuple):
    """One indicator's result in a provider's month, as plain values: what every write of a
    return is made of (the return form, a spreadsheet upload, the command-line import)."""

    provider: int  # the Provider's pk (a Provider is taken too)
    period: date  # first of the month
    indicator: Indicator
    status: str
    value: Decimal | None
    rag: str = ""
    note: str = ""


@dataclass
class ReturnsWritten:
    """What `returns_write` did: the returns as written, counts of values, the rating job."""

    returns: dict = field(default_factory=dict)  # {(provider_id, period): MonthlyReturn}
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed: set = field(default_factory=set)  # keys of the returns whose version was raised
    rating_run: object = None


RETURN_FIELDS = [
    "provider_id",
    "period",
    "status",
    "submitted_at",
    "submitted_by_id",
    "version",
    "created_at",
    "updated_at",
]
VALUE_FIELDS = ["monthly_return_id", "indicator_id", "status", "value", "rag", "note"]
RESULT_FIELDS = ("status", "value", "rag", "note")
VALUE_STATUSES = frozenset(ValueStatus.values)


def _pk(instance_or_pk):
    return getattr(instance_or_pk, "pk", instance_or_pk)


def _result_errors(rows):
    """{"rows[i].field": [message]} for results that break METHODOLOGY 8 (the form and the
    importers say the same, per field and line, before they get here)."""
    from .forms import MAX_NOTE  # noqa: PLC0415 - cycle: assurance.forms -> assurance.targets -> assurance.services

    errors, seen = {}, set()
    for index, row in enumerate(rows):
        key = (row[0], row[1], row[2].pk)
        if key in seen:  # the callers refuse a repeated key with their own message first
            raise ValueError(f"rows[{index}] repeats a provider, month and indicator")
        seen.add(key)
        problems = []
        if row.status not in VALUE_STATUSES:
            problems.append(
                (
                    "status",
                    _("“%(value)s” is not a valid code; use one of: %(codes)s.")
                    % {"value": row.status, "codes": ", ".join(ValueStatus.values)},
                )
            )
        else:
            problems.extend(
                (name, _(message))
                for name, message in rules.result_problems(
                    judgement=row.indicator.judgement,
                    unit=row.indicator.unit,
                    status=row.status,
                    value=row.value,
                    rag=row.rag,
                )
            )
        if len(row.note) > MAX_NOTE:
            problems.append(("note", _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE}))
        if getattr(row.indicator, "source", ""):  # METHODOLOGY 9: derived, never typed or uploaded
            problems.append(
                (
                    "indicator",
                    _(
                        "%(code)s is derived from contract activity and cost against plan; it is never typed in a return."
                    )
                    % {"code": row.indicator.code},
                )
            )
        for name, message in problems:
            errors.setdefault(f"rows[{index}].{name}", []).append(message)
    return errors


@transaction.atomic
def returns_write(
    *, rows, user, versions=None, submit=False, resubmit=True, trigger="submission", reason=None
) -> ReturnsWritten:
    """Write indicator values into providers' monthly returns: the one write path of returns,
    behind the return form, the spreadsheet upload and `manage.py import_returns`.

    `rows` are ReturnValue (plain values; at most one per provider, month and indicator).
    `versions` maps (provider_id, period) to the version of the return its editor read: if any
    return has been written since, nothing is written and StaleReturn is raised, so neither
    editor's work is silently lost. A key in `versions` with no rows still writes the return.
    `submit` submits the returns (an upload is a submission); a return already submitted is
    submitted again (its time and person renewed) only with `resubmit` (the form's "Submit").

    Every return this changes (created, a value created or changed, submitted) has its version
    raised, so a form opened before any write, by any path, is refused on save. Values and
    returns keep their history with `user` and `reason` (default: the import's, if any).
    Received returns it changes are re-rated once this commits (request_recompute, `trigger`).
    All or nothing: ReturnLocked for a locked month or return, ValidationError for a result
    METHODOLOGY 8 refuses. Few queries whatever the size: values go straight to the driver
    (providers.bulk), as a month's upload for a large estate is hundreds of thousands of rows.
    """

    rows = [ReturnValue(_pk(row[0]), *row[1:]) for row in rows]
    errors = _result_errors(rows)
    if errors:
        raise ValidationError(errors)
    versions = {(_pk(provider), period): version for (provider, period), version in (versions or {}).items()}
    keys = {(row.provider, row.period) for row in rows} | set(versions)
    written = ReturnsWritten()
    if not keys:
        return written
    reason = change_reason() if reason is None else reason
    now = timezone.now()
    locked = locked_periods({period for _p, period in keys})
    if locked:
        raise ReturnLocked(keys=sorted(key for key in keys if key[1] in locked))

    returns, new = _returns_for_write(keys, submit=submit, now=now, user=user)
    locked_returns = sorted(key for key, r in returns.items() if r.status == ReturnStatus.LOCKED)
    if locked_returns:
        raise ReturnLocked(keys=locked_returns)
    for key, version in versions.items():
        if (0 if key in new else returns[key].version) != version:
            raise StaleReturn(returns[key])
    written.returns, written.changed = returns, set(new)
    _values_write(rows, returns, written, now=now, user=user, reason=reason)

    submitting = set()
    if submit:
        submitting = {
            key for key, r in returns.items() if key not in new and (r.status == ReturnStatus.DRAFT or resubmit)
        }
        written.changed |= submitting
    _returns_save(returns, written.changed, new=new, submitting=submitting, now=now, user=user, reason=reason)

    received = [key for key in written.changed if returns[key].status == ReturnStatus.SUBMITTED]
    if received:
        # The provider page's charts read received returns' values: read afresh now, before the re-rating.
        rating_versions.bump()
        written.rating_run = request_recompute(
            {p for p, _period in received}, {period for _p, period in received}, user=user, trigger=trigger
        )
    return written


def _returns_read(wanted):
    """The returns for these (provider, month) keys, locked for this transaction, in one order
    (by provider and month, not the default order by provider name: that join would lock the
    providers' rows too on PostgreSQL)."""
    return {
        (r.provider_id, r.period): r
        for r in MonthlyReturn.objects.select_for_update()
        .order_by("provider_id", "period")
        .filter(provider_id__in={p for p, _period in wanted}, period__in={period for _p, period in wanted})
        if (r.provider_id, r.period) in wanted
    }


def _returns_for_write(keys, *, submit, now, user):
    """The returns to write into, creating those that do not exist yet: ({key: return}, {new keys})."""
    returns = _returns_read(keys)
    new = set()
    if missing := keys - set(returns):
        # Created as they will stand, straight to the driver. A return someone else created
        # meanwhile is left as theirs (ignore_conflicts) and read back with their version: stale,
        # if versions were given. Ours are the ones stamped `now`.
        submitted = (ReturnStatus.SUBMITTED, now, _pk(user)) if submit else (ReturnStatus.DRAFT, None, None)
        insert_rows(
            MonthlyReturn,
            RETURN_FIELDS,
            [(p, period, *submitted, 1, now, now) for p, period in missing],
            ignore_conflicts=True,
        )
        created = _returns_read(missing)
        new = {key for key, r in created.items() if r.created_at == now}
        returns.update(created)
    return returns, new


def _values_write(rows, returns, written, *, now, user, reason):
    """Create or change each row's value (an unchanged one is left alone); counts on `written`."""
    existing = {
        (v.monthly_return_id, v.indicator_id): v
        for v in IndicatorValue.objects.order_by().filter(monthly_return_id__in=[r.pk for r in returns.values()])
    }
    to_create, to_update = [], []
    for row in rows:
        key = (row.provider, row.period)
        monthly_return = returns[key]
        current = existing.get((monthly_return.pk, row.indicator.pk))
        if current is None:
            to_create.append((monthly_return.pk, row.indicator.pk, row.status, row.value, row.rag, row.note))
        elif any(getattr(current, name) != getattr(row, name) for name in RESULT_FIELDS):
            for name in RESULT_FIELDS:
                setattr(current, name, getattr(row, name))
            current.updated_at = now
            to_update.append(current)
        else:
            written.unchanged += 1
            continue
        written.changed.add(key)
    if to_create:
        _values_create(to_create, now=now, user=user, reason=reason)
    if to_update:
        bulk_update_with_history(
            to_update,
            IndicatorValue,
            [*RESULT_FIELDS, "updated_at"],
            batch_size=2000,
            default_user=user,
            default_change_reason=reason or None,
            default_date=now,
        )
    written.created, written.updated = len(to_create), len(to_update)


def _values_create(rows, *, now, user, reason):
    """New values and their history rows, straight to the driver (providers.bulk says why)."""
    insert_rows(IndicatorValue, [*VALUE_FIELDS, "created_at", "updated_at"], [(*row, now, now) for row in rows])
    ids = {
        (m, i): pk
        for m, i, pk in IndicatorValue.objects.order_by()
        .filter(monthly_return_id__in={row[0] for row in rows}, created_at=now)
        .values_list("monthly_return_id", "indicator_id", "pk")
    }
    history_rows(
        IndicatorValue,
        ["id", *VALUE_FIELDS, "created_at", "updated_at"],
        [(ids[(row[0], row[1])], *row, now, now) for row in rows],
        when=now,
        user_id=_pk(user),
        reason=reason,
    )


def _returns_save(returns, changed, *, new, submitting, now, user, reason):
    """Raise the version of every changed return (and submit those `submitting`) in a few UPDATEs,
    with a history row each: "+" for those this write created (already stored as they stand)."""
    if not changed:
        return
    updated = [returns[key] for key in sorted(changed - new)]
    for ids in _batches([r.pk for r in updated]):
        MonthlyReturn.objects.filter(pk__in=ids).update(version=models.F("version") + 1, updated_at=now)
    for ids in _batches([returns[key].pk for key in sorted(submitting)]):
        MonthlyReturn.objects.filter(pk__in=ids).update(
            status=ReturnStatus.SUBMITTED, submitted_at=now, submitted_by=user
        )
    for key in changed - new:  # the rows are locked (select_for_update): what was read is what was raised
        monthly_return = returns[key]
        monthly_return.version, monthly_return.updated_at = monthly_return.version + 1, now
        if key in submitting:
            monthly_return.status, monthly_return.submitted_at = ReturnStatus.SUBMITTED, now
            monthly_return.submitted_by = user
    for history_type, chosen in (("+", sorted(new)), ("~", sorted(changed - new))):
        if chosen:
            history_rows(
                MonthlyReturn,
                ["id", *RETURN_FIELDS],
                [(returns[key].pk, *(getattr(returns[key], name) for name in RETURN_FIELDS)) for key in chosen],
                when=now,
                user_id=_pk(user),
                reason=reason,
                history_type=history_type,
            )


def _batches(ids, size=900):
    """`ids` in lists short enough for any database's limit on query parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


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
    if locked_periods([period]):
        raise ReturnLocked(
            _("%(month)s is locked after sign-off; unlock it first, with a reason, to change its ratings.")
            % {"month": date_format(period, "F Y")}
        )
    if not rationale.strip():
        raise ValueError("An override needs a written rationale.")
    rating = AreaRating.objects.filter(provider=provider, period=period, area=area).first()
    AreaOverride.objects.filter(provider=provider, period=period, area=area, active=True).update(active=False)
    return AreaOverride.objects.create(
        provider=provider,
        period=period,
        area=area,
        rag=rag,
        rationale=rationale.strip(),
        computed_rag=rating.computed_rag if rating else "",
        overridden_by=user,
    )


def request_recompute(provider_ids, periods, *, user=None, trigger="submission"):
    """Ask for the ratings of these providers' months to be recomputed, once the save commits.

    Returns the RatingRun that follows the job: queued, then done or failed with the reason.
    The pipeline lives in escalation (apps import only to their left), so the task is named
    rather than imported. With REDIS_URL unset it runs in-process; if the broker cannot be
    reached the work is done in-process instead (and the run says so), so nothing waits on Redis.
    """
    provider_ids = sorted(set(provider_ids))
    periods = sorted({format_period(period) for period in periods})
    if not provider_ids or not periods:
        return None
    run = RatingRun.objects.create(periods=periods, provider_ids=provider_ids, trigger=trigger, requested_by=user)

    def enqueue():
        signature = app.signature(
            "escalation.tasks.recompute_months", args=(provider_ids, periods), kwargs={"run_id": run.pk}
        )
        try:
            signature.delay()
        except Exception:  # noqa: BLE001 - broker down: rate now rather than not at all
            logging.getLogger(__name__).warning("Broker unreachable; rating in-process", exc_info=True)
            RatingRun.objects.filter(pk=run.pk).update(in_process=True)
            signature.apply()

    transaction.on_commit(enqueue)
    return run


def _rating_run(run_id):
    return None if run_id is None else RatingRun.objects.filter(pk=run_id).first()


def rating_run_started(run_id):
    if run := _rating_run(run_id):
        run.start()


def rating_run_done(run_id):
    if run := _rating_run(run_id):
        run.finish()


def rating_run_failed(run_id, error, *, final):
    """A failed attempt: queued again for its retry, or failed for good, with the reason."""
    if run := _rating_run(run_id):
        run.fail(error, final)
