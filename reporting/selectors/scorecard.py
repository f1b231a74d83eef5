"""Reads for the RAG dashboard: the stored ratings of one month, for every provider at once."""

import hashlib
from collections import defaultdict, namedtuple

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from assurance import rating_versions, rules
from assurance.choices import Area
from assurance.models import AreaRating, ProviderRating
from contracts.choices import Level
from contracts.models import Contract
from escalation.choices import DecisionKind
from escalation.models import EscalationDecision
from escalation.selectors import providers_with_overdue_meetings, with_reason_labels
from providers.periods import shift

from ..filters import SORTS, ScorecardFilter, changed_since_last_month  # noqa: F401 - SORTS and the Q: also read from here

AREAS = [area for area, _label in Area.choices]
LastMonth = namedtuple("LastMonth", "usc_rag planned_rag recommended_level escalation_level received")
SCORECARD_AREAS = [a for a in AREAS if a != Area.ACCESS]  # Access is shown split USC / Planned


def effective_access(usc_rag, planned_rag, access_override):
    """The USC and Planned ratings that count: an active override of the Access area is the
    rating that counts for the whole area (METHODOLOGY 2), so it shows in both halves.
    Returns ((usc, overridden), (planned, overridden))."""
    if access_override:
        return (access_override, True), (access_override, True)
    return (usc_rag or "", False), (planned_rag or "", False)


def scorecard(period, today, ratings=None):
    """One row per provider rated (or recorded as "No return") in the month, or per rating given,
    with last month's values for the arrows. A fixed number of queries, whatever the number of
    providers.

    A row whose return was not received (`rating.received` False) has no areas and no
    recommended level: the page and the packs say "No return" there, and keep the escalation
    level, which the provider holds whatever.
    """
    previous = shift(period, -1)
    if ratings is None:
        ratings = list(ProviderRating.objects.filter(period=period).select_related("provider"))
    provider_ids = [r.provider_id for r in ratings]
    # Whole-month reads when every provider is shown (packs); the page's providers otherwise.
    scope = {} if len(provider_ids) > PAGE_SCOPE_LIMIT else {"provider_id__in": provider_ids}
    # Plain tuples, not model instances: a page reads some 300 of these rows.
    before = {
        row[0]: LastMonth(*row[1:])
        for row in ProviderRating.objects.filter(period=previous, **scope).values_list(
            "provider_id", "usc_rag", "planned_rag", "recommended_level", "escalation_level", "received"
        )
    }
    # Last month's Access overrides, so the USC and Planned arrows compare what counted then.
    access_before = dict(
        AreaRating.objects.filter(period=previous, area=Area.ACCESS, override__isnull=False, **scope).values_list(
            "provider_id", "rag"
        )
    )
    areas = {
        (provider_id, area): (rag, direction, override_id is not None)
        for provider_id, area, rag, direction, override_id in AreaRating.objects.filter(
            period=period, **scope
        ).values_list("provider_id", "area", "rag", "direction", "override_id")
    }
    teams = defaultdict(set)
    for provider_id, team_id in (
        Contract.objects.commissioned().filter(**scope).values_list("provider_id", "commissioning_team_id").distinct()
    ):
        teams[provider_id].add(team_id)
    overdue = providers_with_overdue_meetings(provider_ids, today)

    rows = []
    for rating in ratings:
        last = before.get(rating.provider_id)
        rated_before = last is not None and last.received
        access = areas.get((rating.provider_id, Area.ACCESS))
        usc, planned = effective_access(rating.usc_rag, rating.planned_rag, access[0] if access and access[2] else "")
        last_usc, last_planned = (
            effective_access(last.usc_rag, last.planned_rag, access_before.get(rating.provider_id, ""))
            if rated_before
            else (("", False), ("", False))
        )
        cells = [(area, areas.get((rating.provider_id, area))) for area in SCORECARD_AREAS]
        escalation_before = last.escalation_level if last else None
        rows.append(
            {
                "provider": rating.provider,
                "rating": rating,
                "received": rating.received,
                # (RAG that counts, arrow against last month, overridden)
                "usc": (usc[0], rules.direction(last_usc[0] or None, usc[0] or None), usc[1]),
                "planned": (planned[0], rules.direction(last_planned[0] or None, planned[0] or None), planned[1]),
                "areas": [(area, *(cell or ("", "", False))) for area, cell in cells],
                "escalation_direction": rules.direction(escalation_before, rating.escalation_level, order=None),
                # A change of escalation level, or a rated month whose recommended level differs from
                # last month's (or that follows a month not rated). A month with no return recommends
                # nothing, so it is a change only if the level itself changed.
                "changed": escalation_before != rating.escalation_level
                or (rating.received and (not rated_before or last.recommended_level != rating.recommended_level)),
                "overdue_meetings": rating.provider_id in overdue,
                "team_ids": teams[rating.provider_id],
            }
        )
    return rows


PAGE_SCOPE_LIMIT = 500  # above this many providers, read whole months rather than a long IN list


def level_counts(period):
    """The month's providers per escalation level: ({level: rated}, {level: no return})."""
    counts, no_returns = defaultdict(int), defaultdict(int)
    for escalation_level, received, n in (
        ProviderRating.objects.filter(period=period)
        .values_list("escalation_level", "received")
        .annotate(n=Count("pk"))
        .values_list("escalation_level", "received", "n")
    ):
        (counts if received else no_returns)[escalation_level] += n
    return dict(counts), dict(no_returns)


def filter_key(filters):
    """The dashboard's filters (not its page or order) as part of a cache key."""
    query = {k: v for k, v in (filters or {}).items() if k not in ("page", "sort")}
    items = sorted((k, v) for k, v in (query.lists() if hasattr(query, "lists") else query.items()))
    return hashlib.sha256(repr(items).encode()).hexdigest()[:24]


# Filters whose rows the cache may keep: all but "Needs follow-through", which reads action plans,
# risks, trajectories and meeting actions as well.
UNCACHED_FILTERS = {"follow_through"}


def cache_scope(filters, period, today):
    """What the dashboard's rows for these filters are read from, as a cache key: the month's ratings
    and the month before's (the arrows, "changed"), the register and meetings (names, teams,
    sectors, meetings overdue), and today (meetings fall overdue). None when a filter reads more."""
    if any(value for key, value in (filters or {}).items() if key in UNCACHED_FILTERS):
        return None
    versions = [
        rating_versions.version(period),
        rating_versions.version(shift(period, -1)),
        rating_versions.register_version(),
    ]
    return ":".join([*versions, today.isoformat(), filter_key(filters)])


def scorecard_page(filters, today, *, newest, page=1, per_page=50):
    """The dashboard: a month's ratings filtered and sorted in the database by ScorecardFilter
    (`filters` is the query string), one page of rows built; counts per level over the whole
    month. The same few queries for any estate size. None when no month was asked for and
    none is rated (`newest` is None).

    The counts per level are of the providers rated that month; those recorded as "No return"
    (in scope, return not received) are counted apart, per level and in all.

    `rows` is built only when read: the page keeps its rendered rows in the cache under
    `rows_key` (None: not kept), so a second look at the same page reads none of them.
    """
    filterset = ScorecardFilter(filters or {}, queryset=ProviderRating.objects.all(), newest=newest, today=today)
    period = filterset.month
    if period is None:
        return None
    counts, no_returns = rating_versions.cached("level-counts", period, lambda: level_counts(period))
    # A team, sector, country or level that is not one matches nothing, as on the register's lists.
    valid = filterset.is_valid()
    ratings = filterset.qs if valid else ProviderRating.objects.none()
    paginator = Paginator(ratings.select_related("provider"), per_page)
    scope = cache_scope(filters, period, today) if valid else None
    if scope is not None:
        paginator.count = rating_versions.remember(f"scorecard-count:{scope}", lambda: paginator.count)
    page_obj = paginator.get_page(page)
    return {
        "rows": SimpleLazyObject(lambda: scorecard(period, today, ratings=list(page_obj.object_list))),
        "rows_key": None if scope is None else f"{scope}:{page_obj.number}:{filterset.order}:{per_page}",
        "page_obj": page_obj,
        "period": period,
        "filterset": filterset,
        "counts": {n: counts.get(n, 0) for n in Level.values},
        "no_return_counts": {n: no_returns.get(n, 0) for n in Level.values},
        "total": sum(counts.values()),
        "no_returns": sum(no_returns.values()),
    }


def decision_phrase(decision):
    """What kind of change it was, for a sentence: "step-up by rule", "manual escalation", ..."""
    return {
        DecisionKind.INITIAL: _("first rating, by rule"),
        DecisionKind.RULES_STEP_UP: _("step-up by rule"),
        DecisionKind.MANUAL_STEP_UP: _("manual escalation"),
        DecisionKind.STEP_DOWN: _("step-down approved"),
        DecisionKind.EXECUTIVE_DECISION: _("Executive Committee decision"),
    }.get(decision.kind, str(decision.get_kind_display()))


def step_ups(period):
    """The month's changes of escalation level (`month_step_ups`), as a list. The dashboard keeps
    them rendered (reporting.views.step_ups_html), so they are not kept here as well."""
    return list(month_step_ups(period))


def month_step_ups(period):
    """The changes of escalation level on this month's ratings, with the reasons and who decided:
    a rule (a step-up, or a first rating above level 1) or a named person (a manual escalation,
    an Executive Committee decision, an approved step-down). First ratings at level 1 change
    nothing worth listing."""
    decisions = with_reason_labels(
        EscalationDecision.objects.filter(period=period)
        .exclude(kind=DecisionKind.INITIAL, to_level__lte=1)
        .select_related("provider", "decided_by")
        .order_by("provider__name", "decided_at", "pk")
    )
    for decision in decisions:
        decision.phrase = decision_phrase(decision)  # a person's decision also names them (decided_by)
    return decisions


def rated_months(provider=None):
    """Months with stored ratings, newest first (for all providers, or one). The whole estate's
    list is cached until a month is rated or re-rated."""
    if provider is None:
        return rating_versions.cached(
            "months",
            None,
            lambda: list(ProviderRating.objects.order_by("-period").values_list("period", flat=True).distinct()),
        )
    ratings = ProviderRating.objects.filter(provider=provider)
    return list(ratings.order_by("-period").values_list("period", flat=True).distinct())
