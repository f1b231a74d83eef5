"""Reads for the escalation page."""

from datetime import UTC, datetime, time

from django.db.models import Max, Q

from assurance.choices import Area, Rag
from assurance.models import AreaOverride, AreaRating, ProviderRating
from assurance.rules import is_health_board, meeting_cadence
from contracts.models import Contract
from contracts.tiers import value_tier
from providers.models import Provider
from providers.periods import add_months, month_start, shift

from .choices import EscalationReason, MeetingKind, ProposalStatus
from .models import EscalationDecision, IntelligenceEntry, Meeting, ProviderEscalation, StepDownProposal

AREA_LABELS = dict(Area.choices)
RAG_LABELS = dict(Rag.choices)  # translated when shown
REASON_LABELS = dict(EscalationReason.choices)


def reason_label(reason):
    """'quality_safety:R' -> 'Quality and safety: Red'; a seed 002 reason code -> its wording."""
    area, _sep, rag = reason.partition(":")
    if area in AREA_LABELS and rag:
        return f"{AREA_LABELS[area]}: {RAG_LABELS.get(rag, rag)}"
    return str(REASON_LABELS.get(reason, reason))


NO_RETURN = "no_return"  # a grid cell for a month whose return was not received


def escalation_summary(provider, months=6):
    """Everything the escalation page shows for one provider, in a handful of queries."""
    state = ProviderEscalation.objects.filter(provider=provider).first()
    ratings = list(ProviderRating.objects.filter(provider=provider).order_by("-period")[:months])
    periods = sorted(r.period for r in ratings)
    areas = {
        (a.period, a.area): a
        for a in AreaRating.objects.filter(provider=provider, period__in=periods).select_related(
            "override__overridden_by"
        )
    }
    received = {r.period: r.received for r in ratings}
    # Each cell: the area's rating, or "no return" for a month whose return was not received.
    grid = [
        (area, label, [areas.get((period, area)) if received[period] else NO_RETURN for period in periods])
        for area, label in Area.choices
    ]
    return {
        "state": state,
        "periods": periods,
        "ratings": sorted(ratings, key=lambda r: r.period),
        "latest": periods[-1] if periods else None,
        "previous": shift(periods[-1], -1) if periods else None,
        "grid": grid,
        "pending": StepDownProposal.objects.filter(provider=provider, status=ProposalStatus.PENDING).first(),
        "timeline": timeline(provider),
        "overrides": AreaOverride.objects.filter(provider=provider).select_related("overridden_by")[:50],
    }


def with_reason_labels(decisions):
    decisions = list(decisions)
    for decision in decisions:
        decision.reason_labels = [reason_label(reason) for reason in decision.reasons]
    return decisions


def meeting_schedules(provider_ids, today):
    """METHODOLOGY 5 for many providers: {provider_id: [each kind of meeting due, when last
    held, when next due, whether overdue]}, in four queries whatever the number of providers.
    """
    tiers = {}  # the tier of each provider's largest active contract (METHODOLOGY 5)
    for provider_id, value, strategic in (
        Contract.objects.filter(provider_id__in=provider_ids)
        .active()
        .values_list("provider_id", "annual_value", "strategic_importance")
    ):
        tiers[provider_id] = min(tiers.get(provider_id, 3), value_tier(value, strategic))
    levels = dict(ProviderEscalation.objects.filter(provider_id__in=provider_ids).values_list("provider_id", "level"))
    health_boards = {
        pk
        for pk, sector, name in Provider.objects.filter(pk__in=provider_ids).values_list("pk", "sector", "name")
        if is_health_board(sector, name)
    }
    last = {
        (p, k): d
        for p, k, d in Meeting.objects.filter(provider_id__in=provider_ids)
        .values("provider_id", "kind")
        .annotate(last=Max("date"))
        .values_list("provider_id", "kind", "last")
    }
    labels = dict(MeetingKind.choices)
    schedules = {}
    for provider_id in provider_ids:
        rows = []
        cadence = meeting_cadence(
            tiers.get(provider_id), levels.get(provider_id), health_board=provider_id in health_boards
        )
        for kind, months in cadence.items():
            held = last.get((provider_id, kind))
            due = add_months(held, months) if held else today
            rows.append(
                {
                    "kind": kind,
                    "label": labels[kind],
                    "months": months,
                    "last": held,
                    "due": due,
                    "overdue": held is None or due < today,
                }
            )
        schedules[provider_id] = rows
    return schedules


def meeting_schedule(provider, today):
    """One provider's meetings due (the escalation page)."""
    return meeting_schedules([provider.pk], today)[provider.pk]


def providers_with_overdue_meetings(provider_ids, today):
    """The providers (of those given) with a meeting overdue (the dashboard's filter)."""
    return {p for p, rows in meeting_schedules(provider_ids, today).items() if any(r["overdue"] for r in rows)}


def timeline(provider):
    """Decisions, the fate of step-down proposals and intelligence entries, newest first, as one
    list of (kind, record): kind "decision", "proposal" or "intelligence".

    An approved proposal is shown by the step-down decision it led to, so it is not repeated.
    """
    decisions = with_reason_labels(
        EscalationDecision.objects.filter(provider=provider)
        .select_related("decided_by")
        .prefetch_related("intelligence")
    )
    proposals = (
        StepDownProposal.objects.filter(provider=provider)
        .exclude(status__in=[ProposalStatus.PENDING, ProposalStatus.APPROVED])
        .select_related("decided_by")
    )
    entries = [("decision", d.decided_at, d) for d in decisions]
    entries += [("proposal", p.decided_at or p.raised_at, p) for p in proposals]
    # Intelligence about the provider, on the day it is dated (issue 18: one timeline).
    entries += [
        ("intelligence", datetime.combine(e.date, time.max, tzinfo=UTC), e)
        for e in IntelligenceEntry.objects.filter(provider=provider)[:50]
    ]
    return [(kind, record) for kind, _when, record in sorted(entries, key=lambda e: e[1], reverse=True)]


def provider_records(provider, today):
    """A provider's meetings due and held, action plans (with trajectories), risks, intelligence,
    and what its Reds still need (escalation.flags) for its newest rated month."""
    from .flags import Known, follow_through  # noqa: PLC0415 - flags reads meeting_schedules from this module

    latest = ProviderRating.objects.filter(provider=provider).order_by("-period").values_list("period", flat=True)
    flag_month = latest.first() or month_start(today)
    trajectory_list = list(provider.trajectories.select_related("indicator").order_by("period"))
    trajectories = {}
    for trajectory in trajectory_list:
        trajectories.setdefault(trajectory.indicator_id, []).append(trajectory)
    schedule = meeting_schedule(provider, today)
    plans = list(provider.action_plans.select_related("indicator"))
    risks = list(provider.risks.all())
    known = Known(
        escalation=ProviderEscalation.objects.filter(provider=provider).first(),
        plans=plans,
        risks=risks,
        trajectories=trajectory_list,
    )
    return {
        "schedule": schedule,
        "meetings": Meeting.objects.filter(Q(provider=provider) | Q(other_providers=provider))
        .distinct()
        .select_related("provider")
        .prefetch_related("actions", "other_providers")[:12],
        "action_plans": plans,
        "risks": risks,
        "trajectories": trajectories,
        "today": today,
        "follow_through": follow_through(
            flag_month, [provider.pk], today, schedules={provider.pk: schedule}, known=known
        )[provider.pk],
        "flag_month": flag_month,
        "intelligence": IntelligenceEntry.objects.filter(provider=provider)[:50],
    }
