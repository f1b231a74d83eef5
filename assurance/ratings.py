"""The ratings service: rate every provider for a month, in bulk (METHODOLOGY 1 to 3).

One call loads a seven-month window of returns with a fixed number of queries, applies
the pure rules of assurance/rules/ in memory, and writes the month's indicator, area
and provider ratings in bulk, inside one transaction (a failure leaves the previous
ratings as they were). The window makes the result independent of the order in which
months are computed: the month's persistence looks at the two months before it, and its
level at the two months before that.
"""

from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from providers.bulk import insert_rows
from providers.models import Provider
from providers.periods import shift

from . import rating_versions, rules
from .actuals import derived_values
from .choices import Area, Setting
from .models import (
    AreaOverride,
    AreaRating,
    IndicatorRating,
    IndicatorValue,
    MonthlyReturn,
    ProviderRating,
    Trajectory,
)
from .selectors import (
    RECEIVED_STATUSES,
    active_indicators,
    held_services,
    in_scope,
    locked_periods,
    received_returns,
    targets_in_force,
)

AREAS = [area for area, _label in Area.choices]
INDICATOR_RATING_FIELDS = ["provider_id", "indicator_id", "period", "value", "rag", "reason"]
AREA_RATING_FIELDS = [
    "provider_id",
    "period",
    "area",
    "computed_rag",
    "rag",
    "override_id",
    "greens",
    "ambers",
    "reds",
    "direction",
]
PROVIDER_RATING_FIELDS = [
    "provider_id",
    "period",
    "reds",
    "ambers",
    "recommended_level",
    "level_direction",
    "usc_rag",
    "planned_rag",
    "received",
    "escalation_level",
    "pending_step_down",
    "computed_at",
]
NO_ROW = (None, None, "")
WINDOW = 7  # levels for three months need area ratings for five and greens for seven
CHUNK = 1000  # providers rated together (bounds the memory a month takes)


@dataclass
class PeriodRatings:
    """What a month's rating produced, for the escalation evaluation that follows it."""

    period: object
    # {provider_id: [level for month-2, month-1, month]} (None where not rated)
    levels: dict = field(default_factory=dict)
    # {provider_id: [(area, rag)]} of the month's red and amber areas (after overrides)
    concerns: dict = field(default_factory=dict)


def raw_rows(queryset):
    """A values_list queryset's rows as the driver returns them, skipping Django's per-value
    converters: the rating window is a month's largest read (seven months of every value).
    Values come back as numbers (float on SQLite, Decimal on PostgreSQL): read them through
    rules.exact before comparing them with a target."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def collection_periods(within=None):
    """Months in which at least one value row exists for any provider (METHODOLOGY), of those
    `within` when given: a month's rating asks only about its window, not the whole history."""
    returns = MonthlyReturn.objects.all() if within is None else MonthlyReturn.objects.filter(period__in=within)
    return set(
        returns.filter(Exists(IndicatorValue.objects.filter(monthly_return=OuterRef("pk"))))
        .values_list("period", flat=True)
        .distinct()
    )


@transaction.atomic
def compute_period(period, provider_ids=None):
    """Rate every active provider (or those given) for `period` and store the results.

    Only providers in scope that month are rated (METHODOLOGY, "Who is rated"); one whose
    return has not been received gets a "No return" row and nothing else. A locked month
    is signed off: its stored ratings are left as they are, and returned for escalation.
    """
    months = [shift(period, -n) for n in range(WINDOW - 1, -1, -1)]
    collected = collection_periods(months)
    providers = Provider.objects.filter(active=True)
    if provider_ids is not None:
        providers = providers.filter(pk__in=provider_ids)
    provider_ids = list(providers.values_list("pk", flat=True))
    result = PeriodRatings(period=period)
    if period in locked_periods([period]) and ProviderRating.objects.filter(period=period).exists():
        return _stored(period, provider_ids, result)
    if period not in collected:
        _delete(period, provider_ids)
        return result

    indicators = active_indicators()
    targets = targets_in_force(indicators, months)
    indicator_rows, area_rows, provider_rows = [], [], []
    # A chunk of providers at a time: the seven-month window of a national estate is millions
    # of values, and only the month's output rows need to be held all at once.
    for start in range(0, len(provider_ids), CHUNK):
        rows = _rate_chunk(period, months, collected, indicators, targets, provider_ids[start : start + CHUNK], result)
        for out, chunk_rows in zip((indicator_rows, area_rows, provider_rows), rows, strict=True):
            out.extend(chunk_rows)
    _write(period, provider_ids, indicator_rows, area_rows, provider_rows)
    return result


def _stored(period, provider_ids, result):
    """The levels and concerns of a locked month, read back from its signed-off ratings."""
    months = [shift(period, -n) for n in (2, 1, 0)]
    levels = {}
    for provider_id, month, level, received in ProviderRating.objects.filter(
        period__in=months, provider_id__in=provider_ids
    ).values_list("provider_id", "period", "recommended_level", "received"):
        levels.setdefault(provider_id, {})[month] = level if received else None
    for provider_id in ProviderRating.objects.filter(period=period, provider_id__in=provider_ids).values_list(
        "provider_id", flat=True
    ):
        result.levels[provider_id] = [levels[provider_id].get(month) for month in months]
    for provider_id, area, rag in AreaRating.objects.filter(
        period=period, provider_id__in=provider_ids, rag__in=[rules.R, rules.A]
    ).values_list("provider_id", "area", "rag"):
        result.concerns.setdefault(provider_id, []).append((area, rag))
    return result


def _rate_chunk(period, months, collected, indicators, targets, provider_ids, result):
    """Rate these providers for `period` (METHODOLOGY 1 to 3) from their seven-month window.
    Records their levels and concerns on `result`; returns the month's (indicator, area,
    provider) rating rows to write."""
    window = _Window(months, collected, indicators, targets, provider_ids)
    window.rate()
    indicator_rows, area_rows, provider_rows = [], [], []
    for provider_id in provider_ids:
        if provider_id not in window.scope[period]:
            continue
        if (provider_id, period) not in window.received:
            # "No return": in scope but not received; not rated, and it breaks the runs.
            result.levels[provider_id] = [None, None, None]
            provider_rows.append((provider_id, period, 0, 0, None, "", "", "", False))
            continue
        rows = window.indicator_rags.get((provider_id, period))
        if rows is None:
            continue
        indicator_rows.extend(
            (provider_id, indicator.id, period, value, outcome.rag or "", outcome.reason)
            for indicator, _status, value, outcome in rows
        )
        area_rows.extend(window.area_rows(provider_id, period))
        provider_rows.append(window.provider_row(provider_id, period, result))
    return indicator_rows, area_rows, provider_rows


class _Window:
    """A chunk of providers' seven-month window: what was received, the values, trajectories and
    overrides, read once; then each month's indicator and area ratings, rated in memory."""

    def __init__(self, months, collected, indicators, targets, provider_ids):
        self.months, self.collected, self.indicators, self.targets = months, collected, indicators, targets
        self.provider_ids = provider_ids
        self.held = held_services(months, provider_ids)
        self.intervention = dict(Provider.objects.filter(pk__in=provider_ids).values_list("pk", "intervention_level"))
        self.scope = in_scope(months, provider_ids)
        self.received = received_returns(months, provider_ids)
        as_month = {str(month): month for month in months}  # SQLite hands dates back as text
        # Only received (submitted or locked) returns feed a rating; values are read as exact
        # decimals whatever the driver returns (rules.exact).
        self.values = {
            (p, as_month.get(m, m), i): (status, rules.exact(value), rag)
            for p, m, i, status, value, rag in raw_rows(
                IndicatorValue.objects.filter(
                    monthly_return__period__in=months,
                    monthly_return__provider_id__in=provider_ids,
                    monthly_return__status__in=RECEIVED_STATUSES,
                ).values_list(
                    "monthly_return__provider_id", "monthly_return__period", "indicator_id", "status", "value", "rag"
                )
            )
        }
        # Indicators with a source take their value from contract actuals (METHODOLOGY 9), never
        # from a return: a typed row for one is replaced by the derived status and value.
        self.values.update(derived_values(months, provider_ids, indicators))
        self.trajectories = {
            (p, i, m): value
            for p, i, m, value in Trajectory.objects.filter(
                period__in=months, provider_id__in=provider_ids
            ).values_list("provider_id", "indicator_id", "period", "value")
        }
        self.overrides = {
            (o.provider_id, o.period, o.area): o
            for o in AreaOverride.objects.filter(active=True, period__in=months, provider_id__in=provider_ids)
        }
        self.green = {}  # (provider, indicator, month) -> Green or not (absent: not rated)
        self.indicator_rags = {}  # (provider, month) -> [(indicator, status, value, IndicatorResult)]
        self.area_rags = {}  # (provider, month) -> {area: (computed AreaResult, effective rag, override)}

    def rated(self, month, provider_id):
        """A month is rated for a provider when it is a collection period, the provider is in
        scope and its return was received (METHODOLOGY, "Who is rated")."""
        return month in self.collected and provider_id in self.scope[month] and (provider_id, month) in self.received

    def applicable(self, month, provider_id):
        services = self.held[month].get(provider_id, set())
        return [i for i in self.indicators if not i.service_ids or i.service_ids & services]

    def rate(self):
        """Greens over all seven months (for persistence), then the five months that need
        indicator and area ratings (the month and, for the level-4 rule, the two before it)."""
        for month in self.months:
            for provider_id in self.provider_ids:
                if self.rated(month, provider_id):
                    self._greens(month, provider_id)
        for month in self.months[2:]:
            for provider_id in self.provider_ids:
                if self.rated(month, provider_id):
                    self._rate_month(month, provider_id)

    def _greens(self, month, provider_id):
        for indicator in self.applicable(month, provider_id):
            status, value, rag = self.values.get((provider_id, month, indicator.id), NO_ROW)
            if status != rules.NOT_APPLICABLE:
                self.green[(provider_id, indicator.id, month)] = rules.is_green(
                    status=status,
                    judgement=indicator.judgement,
                    value=value,
                    rag=rag,
                    target=self.targets[(indicator.id, month)][0],
                    polarity=indicator.polarity,
                )

    def _rate_month(self, month, provider_id):
        one_before, two_before = shift(month, -1), shift(month, -2)
        rows = []
        for indicator in self.applicable(month, provider_id):
            key = indicator.id
            status, value, rag = self.values.get((provider_id, month, key), NO_ROW)
            persistent = (
                self.green.get((provider_id, key, one_before)) is False
                and self.green.get((provider_id, key, two_before)) is False
            )
            target, amber_threshold = self.targets[(key, month)]
            outcome = rules.indicator_rag(
                status=status,
                judgement=indicator.judgement,
                value=value,
                rag=rag,
                target=target,
                amber_threshold=amber_threshold,
                polarity=indicator.polarity,
                trajectory=self.trajectories.get((provider_id, key, month)),
                previous_two_not_green=persistent,
            )
            if indicator.code == rules.INTERVENTION_INDICATOR:  # issue 18: never better than the level allows
                outcome = rules.intervention_indicator_rag(outcome, self.intervention.get(provider_id))
            rows.append((indicator, status, value, outcome))
        if not rows:
            return
        self.indicator_rags[(provider_id, month)] = rows
        areas = {}
        for area in AREAS:
            computed = rules.area_rag([(o.rag, i.critical) for i, _s, _v, o in rows if i.area == area])
            if area == Area.GOVERNANCE:  # issue 18: special measures is never Green here
                computed = rules.governance_area_result(computed, self.intervention.get(provider_id))
            override = self.overrides.get((provider_id, month, area))
            areas[area] = (computed, override.rag if override else computed.rag, override)
        self.area_rags[(provider_id, month)] = areas

    def reds_in(self, provider_id, month):
        areas = self.area_rags.get((provider_id, month))
        if areas is None or all(rag is None for _c, rag, _o in areas.values()):
            return None
        return rules.count_reds_ambers([rag for _c, rag, _o in areas.values()])[0]

    def level_in(self, provider_id, month):
        areas = self.area_rags.get((provider_id, month))
        if areas is None:
            return None
        previous = (self.reds_in(provider_id, shift(month, -1)), self.reds_in(provider_id, shift(month, -2)))
        return rules.recommended_level([rag for _c, rag, _o in areas.values()], previous)

    def area_rows(self, provider_id, period):
        last_month = self.area_rags.get((provider_id, shift(period, -1)), {})
        for area, (computed, rag, override) in self.area_rags[(provider_id, period)].items():
            before = last_month.get(area, (None, None, None))[1]
            yield (
                provider_id,
                period,
                area,
                computed.rag or "",
                rag or "",
                override.pk if override else None,
                computed.greens,
                computed.ambers,
                computed.reds,
                rules.direction(before, rag) or "",
            )

    def provider_row(self, provider_id, period, result):
        """The month's provider rating; records its levels and concerns for escalation."""
        areas = self.area_rags[(provider_id, period)]
        reds, ambers = rules.count_reds_ambers([rag for _c, rag, _o in areas.values()])
        levels = [self.level_in(provider_id, shift(period, -n)) for n in (2, 1, 0)]
        result.levels[provider_id] = levels
        result.concerns[provider_id] = [
            (area, rag) for area, (_c, rag, _o) in areas.items() if rag in (rules.R, rules.A)
        ]
        access = [(i, o) for i, _s, _v, o in self.indicator_rags[(provider_id, period)] if i.area == Area.ACCESS]
        return (
            provider_id,
            period,
            reds,
            ambers,
            levels[2],
            rules.direction(levels[1], levels[2], order=None) or "",
            rules.area_rag([(o.rag, i.critical) for i, o in access if i.setting == Setting.UNSCHEDULED]).rag or "",
            rules.area_rag([(o.rag, i.critical) for i, o in access if i.setting == Setting.PLANNED]).rag or "",
            True,
        )


def _delete(period, provider_ids):
    IndicatorRating.objects.filter(period=period, provider_id__in=provider_ids).delete()
    AreaRating.objects.filter(period=period, provider_id__in=provider_ids).delete()
    ProviderRating.objects.filter(period=period, provider_id__in=provider_ids).delete()


def _write(period, provider_ids, indicator_rows, area_rows, provider_rows):
    """Replace the month's indicator, area and provider ratings, straight to the driver: a month
    for a national estate is a quarter of a million rows (providers.bulk says why).

    The escalation level and pending step-down that the escalation evaluation stamped on a
    provider's month are carried over, so a recompute keeps them (METHODOLOGY 4).
    """
    stamps = {
        p: (level, step_down)
        for p, level, step_down in ProviderRating.objects.filter(
            period=period, provider_id__in=provider_ids
        ).values_list("provider_id", "escalation_level", "pending_step_down")
    }
    _delete(period, provider_ids)
    rating_versions.bump(period)  # the dashboard's cache of this month is read afresh
    now = timezone.now()
    insert_rows(IndicatorRating, INDICATOR_RATING_FIELDS, indicator_rows)
    insert_rows(AreaRating, AREA_RATING_FIELDS, area_rows)
    insert_rows(
        ProviderRating,
        PROVIDER_RATING_FIELDS,
        [(*row, *stamps.get(row[0], (None, None)), now) for row in provider_rows],
    )
