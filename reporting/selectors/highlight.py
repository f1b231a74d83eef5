"""Reads for the highlight report (seed 002, 3.3.2)."""

from assurance.choices import Area, Direction, Polarity, Rag, RatingReason, ValueStatus
from assurance.models import (
    AreaRating,
    IndicatorRating,
    IndicatorValue,
    ProviderRating,
    ReturnSentBack,
    ValueQuery,
)
from assurance.selectors import RECEIVED_STATUSES, show_targets_in_force
from escalation.choices import PlanStatus, RiskRegister
from escalation.models import EscalationDecision, IntelligenceEntry, Meeting, Risk
from escalation.selectors import with_reason_labels as labelled
from providers.periods import shift

from .. import spc
from ..models import HighlightReport


def highlight(provider, period):
    """A provider's month for its highlight report: exceptions, key trends, commentary and
    governance items, read from the stored ratings, the return's notes and the escalation record."""
    import pandas as pd  # noqa: PLC0415 - pandas is heavy: loaded only when a highlight report is read

    rating = ProviderRating.objects.filter(provider=provider, period=period).first()
    areas = {a.area: a for a in AreaRating.objects.filter(provider=provider, period=period)}
    reasons = dict(RatingReason.choices)
    # Received returns only: a draft's values and notes are the team's until it is submitted.
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            monthly_return__provider=provider,
            monthly_return__period=period,
            monthly_return__status__in=RECEIVED_STATUSES,
        ).only("indicator_id", "note", "rag")
    }
    ratings = list(
        IndicatorRating.objects.filter(provider=provider, period=period)
        .select_related("indicator")
        .order_by("indicator__area", "indicator__name")
    )
    show_targets_in_force([r.indicator for r in ratings], period)  # the month's targets, as it was rated
    for r in ratings:
        r.reason_label = reasons.get(r.reason, r.reason)
        r.note = values[r.indicator_id].note if r.indicator_id in values else ""
    exceptions = [r for r in ratings if r.rag in (Rag.RED, Rag.AMBER) and r.indicator.area != Area.GOVERNANCE]
    governance_results = [r for r in ratings if r.indicator.area == Area.GOVERNANCE]

    # Key trends: each numeric indicator's SPC over 24 months, kept when it says something.
    months = [shift(period, -n) for n in range(23, -1, -1)]
    series = pd.DataFrame(
        list(
            IndicatorValue.objects.filter(
                monthly_return__provider=provider,
                monthly_return__period__in=months,
                monthly_return__status__in=RECEIVED_STATUSES,
                status=ValueStatus.REPORTED,
                value__isnull=False,
                indicator__judgement=False,
            ).values("indicator_id", "monthly_return__period", "value")
        )
    )
    by_id = {r.indicator_id: r.indicator for r in ratings}
    trends = []
    if not series.empty:
        for indicator_id, rows in series.groupby("indicator_id"):
            indicator = by_id.get(indicator_id)
            if indicator is None:
                continue
            rows = rows.sort_values("monthly_return__period")
            chart = spc.xmr(rows["value"].astype(float).tolist())
            higher = indicator.polarity == Polarity.HIGHER_BETTER
            variation, assurance = spc.variation(chart, higher), spc.assurance(chart, indicator.target, higher)
            if variation == spc.COMMON_CAUSE and assurance != spc.FAILING:
                continue
            trends.append(
                {
                    "indicator": indicator,
                    "variation": variation,
                    "assurance": assurance,
                    "variation_meaning": spc.VARIATION_MEANING[variation],
                    "assurance_meaning": spc.ASSURANCE_MEANING.get(assurance, ""),
                    "latest": float(rows["value"].iloc[-1]),
                    "months": len(rows),
                }
            )
    trends.sort(key=lambda t: ("concern" not in t["variation"], t["indicator"].area, t["indicator"].name))
    # (area, its rating, whether it improved): the areas that improved or worsened since last month.
    area_moves = [
        (label, areas[a], areas[a].direction == Direction.IMPROVED)
        for a, label in Area.choices
        if a in areas and areas[a].direction in (Direction.IMPROVED, Direction.WORSENED)
    ]

    next_month = shift(period, 1)
    return {
        "rating": rating,
        "no_return": rating is not None and not rating.received,
        "areas": [(a, label, areas.get(a)) for a, label in Area.choices],
        "exceptions": exceptions,
        "trends": trends,
        "area_moves": area_moves,
        # Notes not already shown beside an exception or a governance item.
        "notes": [r for r in ratings if r.note and r not in exceptions and r not in governance_results],
        "governance_results": governance_results,
        "decisions": labelled(
            EscalationDecision.objects.filter(provider=provider, period=period).select_related("decided_by")
        ),
        "meetings": Meeting.objects.filter(provider=provider, date__gte=period, date__lt=next_month),
        # Issue 17: the month's queries on values and any sending back of the return for correction.
        "value_queries": ValueQuery.objects.filter(monthly_return__provider=provider, monthly_return__period=period)
        .select_related("indicator", "raised_by")
        .prefetch_related("comments__author"),
        "send_backs": ReturnSentBack.objects.filter(
            monthly_return__provider=provider, monthly_return__period=period
        ).select_related("sent_by"),
        # Issue 18: the month's intelligence, triangulated with the data (seed 004).
        "intelligence": IntelligenceEntry.objects.filter(provider=provider, date__gte=period, date__lt=next_month),
        "corporate_risks": [
            r
            for r in Risk.objects.filter(provider=provider, status=PlanStatus.OPEN)
            if r.register == RiskRegister.CORPORATE
        ],
        "report": HighlightReport.objects.filter(provider=provider, period=period).select_related("updated_by").first(),
    }
