"""Reads for the RAG dashboard: the stored ratings of one month, for every provider at once."""

from collections import defaultdict

from assurance import rules
from assurance.choices import Area
from assurance.models import AreaRating, ProviderRating
from assurance.periods import shift
from contracts.models import Contract
from escalation.choices import DecisionKind
from escalation.models import EscalationDecision
from escalation.selectors import providers_with_overdue_meetings, with_reason_labels

AREAS = [area for area, _label in Area.choices]
SCORECARD_AREAS = [a for a in AREAS if a != Area.ACCESS]  # Access is shown split USC / Planned


def scorecard(period, today):
    """One row per provider rated in the month, with last month's values for the arrows.

    A fixed number of queries, whatever the number of providers (the dashboard's promise).
    """
    previous = shift(period, -1)
    ratings = list(ProviderRating.objects.filter(period=period).select_related("provider"))
    before = {r.provider_id: r for r in ProviderRating.objects.filter(period=previous)}
    areas = {(a.provider_id, a.area): a for a in AreaRating.objects.filter(period=period)}
    teams = defaultdict(set)
    for provider_id, team_id in Contract.objects.exclude(status="draft").values_list(
            "provider_id", "commissioning_team_id").distinct():
        teams[provider_id].add(team_id)
    provider_ids = [r.provider_id for r in ratings]
    overdue = providers_with_overdue_meetings(provider_ids, today)

    rows = []
    for rating in ratings:
        last = before.get(rating.provider_id)
        cells = [(area, areas.get((rating.provider_id, area))) for area in SCORECARD_AREAS]
        escalation_before = last.escalation_level if last else None
        rows.append({
            "provider": rating.provider,
            "rating": rating,
            "usc": (rating.usc_rag, rules.direction(last.usc_rag or None, rating.usc_rag or None) if last else None),
            "planned": (rating.planned_rag, rules.direction(last.planned_rag or None, rating.planned_rag or None) if last else None),
            "areas": [(area, cell.rag if cell else "", cell.direction if cell else "", bool(cell and cell.override_id))
                      for area, cell in cells],
            "escalation_direction": rules.direction(escalation_before, rating.escalation_level, order=None),
            "changed": last is None or last.recommended_level != rating.recommended_level
            or last.escalation_level != rating.escalation_level,
            "overdue_meetings": rating.provider_id in overdue,
            "team_ids": teams[rating.provider_id],
        })
    return rows


def step_ups(period):
    """Providers stepped up on this month's ratings (by rule or by hand), with the reasons."""
    return with_reason_labels(EscalationDecision.objects.filter(
        period=period, kind__in=[DecisionKind.RULES_STEP_UP, DecisionKind.MANUAL_STEP_UP]
    ).select_related("provider", "decided_by").order_by("provider__name"))


def provider_performance(provider, latest, months=24):
    """The provider's last `months` months: area ratings as a strip and each indicator's series."""
    import pandas as pd

    from assurance.models import IndicatorValue, Trajectory

    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    areas = {(a.period, a.area): a.rag for a in AreaRating.objects.filter(provider=provider, period__in=periods)}
    levels = {r.period: r for r in ProviderRating.objects.filter(provider=provider, period__in=periods)}
    strip = [(label, [areas.get((p, area), "") for p in periods]) for area, label in Area.choices]
    values = pd.DataFrame(list(
        IndicatorValue.objects.filter(monthly_return__provider=provider, monthly_return__period__in=periods,
                                      status="reported", value__isnull=False, indicator__judgement=False)
        .values("indicator_id", "monthly_return__period", "value")))
    trajectories = pd.DataFrame(list(Trajectory.objects.filter(provider=provider).values("indicator_id", "period", "value")))
    return {"periods": periods, "strip": strip, "levels": [levels.get(p) for p in periods],
            "values": values, "trajectories": trajectories}
