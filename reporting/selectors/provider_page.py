"""Reads for a provider's page: its series over the months."""

from collections import defaultdict

from assurance.choices import Area, ValueStatus
from assurance.models import AreaRating, IndicatorValue, ProviderRating, Trajectory
from assurance.selectors import RECEIVED_STATUSES
from providers.periods import shift


def provider_performance(provider, latest, months=24):
    """The provider's last `months` months: area ratings as a strip and each indicator's series.

    Only received (submitted or locked) returns feed the series: a draft is never charted
    (METHODOLOGY, "Who is rated"). A month recorded as "No return" is marked as such in the strip.
    `values` maps an indicator's id to its (month, value) pairs, oldest first; `trajectories`
    the same for the provider's agreed trajectories.
    """
    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    areas = {(a.period, a.area): a.rag for a in AreaRating.objects.filter(provider=provider, period__in=periods)}
    levels = {r.period: r for r in ProviderRating.objects.filter(provider=provider, period__in=periods)}
    no_return = [p in levels and not levels[p].received for p in periods]
    # Each cell: (RAG, no return that month); the template writes one "No return" down the column.
    strip = [
        (label, [(areas.get((p, area), ""), missing) for p, missing in zip(periods, no_return, strict=True)])
        for area, label in Area.choices
    ]
    values = defaultdict(list)
    for indicator_id, period, value in (
        IndicatorValue.objects.filter(
            monthly_return__provider=provider,
            monthly_return__period__in=periods,
            monthly_return__status__in=RECEIVED_STATUSES,
            status=ValueStatus.REPORTED,
            value__isnull=False,
            indicator__judgement=False,
        )
        .order_by("monthly_return__period")
        .values_list("indicator_id", "monthly_return__period", "value")
    ):
        values[indicator_id].append((period, float(value)))
    trajectories = defaultdict(list)
    for indicator_id, period, value in (
        Trajectory.objects.filter(provider=provider).order_by("period").values_list("indicator_id", "period", "value")
    ):
        trajectories[indicator_id].append((period, float(value)))
    return {
        "periods": periods,
        "strip": strip,
        "levels": [levels.get(p) for p in periods],
        "strip_rows": len(strip),
        "values": dict(values),
        "trajectories": dict(trajectories),
    }


# Committee packs (METHODOLOGY 6) -----------------------------------------------------------
