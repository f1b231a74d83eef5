"""Reads for the RAG dashboard: the stored ratings of one month, for every provider at once."""

from collections import defaultdict, namedtuple

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from assurance import rules
from assurance.choices import Area
from assurance.models import AreaRating, ProviderRating
from assurance.periods import shift
from contracts.models import Contract
from escalation.choices import DecisionKind
from escalation.models import EscalationDecision
from escalation.selectors import providers_with_overdue_meetings, with_reason_labels

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
    before = {row[0]: LastMonth(*row[1:]) for row in ProviderRating.objects.filter(period=previous, **scope).values_list(
        "provider_id", "usc_rag", "planned_rag", "recommended_level", "escalation_level", "received")}
    # Last month's Access overrides, so the USC and Planned arrows compare what counted then.
    access_before = dict(AreaRating.objects.filter(
        period=previous, area=Area.ACCESS, override__isnull=False, **scope).values_list("provider_id", "rag"))
    areas = {(provider_id, area): (rag, direction, override_id is not None)
             for provider_id, area, rag, direction, override_id in AreaRating.objects.filter(
                 period=period, **scope).values_list("provider_id", "area", "rag", "direction", "override_id")}
    teams = defaultdict(set)
    for provider_id, team_id in Contract.objects.exclude(status="draft").filter(**scope).values_list(
            "provider_id", "commissioning_team_id").distinct():
        teams[provider_id].add(team_id)
    overdue = providers_with_overdue_meetings(provider_ids, today)

    rows = []
    for rating in ratings:
        last = before.get(rating.provider_id)
        rated_before = last is not None and last.received
        access = areas.get((rating.provider_id, Area.ACCESS))
        usc, planned = effective_access(rating.usc_rag, rating.planned_rag, access[0] if access and access[2] else "")
        last_usc, last_planned = effective_access(last.usc_rag, last.planned_rag, access_before.get(
            rating.provider_id, "")) if rated_before else (("", False), ("", False))
        cells = [(area, areas.get((rating.provider_id, area))) for area in SCORECARD_AREAS]
        escalation_before = last.escalation_level if last else None
        rows.append({
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
            "changed": escalation_before != rating.escalation_level or (rating.received and (
                not rated_before or last.recommended_level != rating.recommended_level)),
            "overdue_meetings": rating.provider_id in overdue,
            "team_ids": teams[rating.provider_id],
        })
    return rows


PAGE_SCOPE_LIMIT = 500  # above this many providers, read whole months rather than a long IN list
SORTS = {
    "provider": ["provider__name"],
    "level": [F("recommended_level").desc(nulls_last=True), "provider__name"],
    "escalation": [F("escalation_level").desc(nulls_last=True), "provider__name"],
    "reds": ["-reds", "-ambers", "provider__name"],
}


def scorecard_page(period, today, *, team="", sector="", country="", level="", changed=False, overdue=False,
                   no_return=False, sort="escalation", page=1, per_page=50):
    """The dashboard: the month's ratings filtered and sorted in the database, one page of rows
    built; counts per level over the whole month. The same few queries for any estate size.

    The counts per level are of the providers rated that month; those recorded as "No return"
    (in scope, return not received) are counted apart, per level and in all.
    """
    from django.core.paginator import Paginator

    ratings = ProviderRating.objects.filter(period=period)
    counts, no_returns = defaultdict(int), defaultdict(int)
    for escalation_level, received, n in ratings.values_list("escalation_level", "received").annotate(
            n=Count("pk")).values_list("escalation_level", "received", "n"):
        (counts if received else no_returns)[escalation_level] += n
    if str(team).isdigit():
        ratings = ratings.filter(provider_id__in=Contract.objects.exclude(status="draft").filter(
            commissioning_team_id=int(team)).values("provider_id"))
    if sector:
        ratings = ratings.filter(provider__sector=sector)
    if country:
        ratings = ratings.filter(provider__country=country)
    if str(level).isdigit():
        ratings = ratings.filter(escalation_level=int(level))
    if no_return:
        ratings = ratings.filter(received=False)
    if changed:
        last = ProviderRating.objects.filter(provider_id=OuterRef("provider_id"), period=shift(period, -1))
        ratings = ratings.annotate(
            before_recommended=Subquery(last.values("recommended_level")[:1]),
            before_escalation=Subquery(last.values("escalation_level")[:1]),
            before_received=Subquery(last.values("received")[:1]),
            rated_before=Exists(last),
        ).filter(changed_since_last_month())
    if overdue:
        candidates = list(ratings.values_list("provider_id", flat=True))
        ratings = ratings.filter(provider_id__in=providers_with_overdue_meetings(candidates, today))
    ratings = ratings.select_related("provider").order_by(*SORTS.get(sort, SORTS["escalation"]))
    page_obj = Paginator(ratings, per_page).get_page(page)
    return {"rows": scorecard(period, today, ratings=list(page_obj.object_list)), "page_obj": page_obj,
            "counts": {n: counts.get(n, 0) for n in (1, 2, 3, 4)},
            "no_return_counts": {n: no_returns.get(n, 0) for n in (1, 2, 3, 4)},
            "total": sum(counts.values()), "no_returns": sum(no_returns.values())}


def changed_since_last_month():
    """The database's version of a scorecard row's "changed" (see `scorecard`), on the
    annotations before_recommended, before_escalation, before_received and rated_before.
    NULLs compared with < or > are never true, so each way a value can differ is spelt out."""
    def differs(before, now):
        return (Q(**{f"{before}__isnull": True, f"{now}__isnull": False})
                | Q(**{f"{before}__isnull": False, f"{now}__isnull": True})
                | Q(**{f"{before}__lt": F(now)}) | Q(**{f"{before}__gt": F(now)}))

    newly_rated = Q(rated_before=False) | Q(before_received=False)
    return differs("before_escalation", "escalation_level") | (
        Q(received=True) & (newly_rated | differs("before_recommended", "recommended_level")))


def decision_phrase(decision):
    """What kind of change it was, for a sentence: "step-up by rule", "manual escalation", ..."""
    from django.utils.translation import gettext as _

    return {
        DecisionKind.INITIAL: _("first rating, by rule"),
        DecisionKind.RULES_STEP_UP: _("step-up by rule"),
        DecisionKind.MANUAL_STEP_UP: _("manual escalation"),
        DecisionKind.STEP_DOWN: _("step-down approved"),
        DecisionKind.EXECUTIVE_DECISION: _("Executive Committee decision"),
    }.get(decision.kind, str(decision.get_kind_display()))


def step_ups(period):
    """The changes of escalation level on this month's ratings, with the reasons and who decided:
    a rule (a step-up, or a first rating above level 1) or a named person (a manual escalation,
    an Executive Committee decision, an approved step-down). First ratings at level 1 change
    nothing worth listing."""
    decisions = with_reason_labels(EscalationDecision.objects.filter(period=period).exclude(
        kind=DecisionKind.INITIAL, to_level__lte=1).select_related("provider", "decided_by")
        .order_by("provider__name", "decided_at", "pk"))
    for decision in decisions:
        decision.phrase = decision_phrase(decision)  # a person's decision also names them (decided_by)
    return decisions


def provider_performance(provider, latest, months=24):
    """The provider's last `months` months: area ratings as a strip and each indicator's series.

    Only received (submitted or locked) returns feed the series: a draft is never charted
    (METHODOLOGY, "Who is rated"). A month recorded as "No return" is marked as such in the strip.
    """
    import pandas as pd

    from assurance.models import IndicatorValue, Trajectory
    from assurance.selectors import RECEIVED_STATUSES

    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    areas = {(a.period, a.area): a.rag for a in AreaRating.objects.filter(provider=provider, period__in=periods)}
    levels = {r.period: r for r in ProviderRating.objects.filter(provider=provider, period__in=periods)}
    no_return = [p in levels and not levels[p].received for p in periods]
    # Each cell: (RAG, no return that month); the template writes one "No return" down the column.
    strip = [(label, [(areas.get((p, area), ""), missing) for p, missing in zip(periods, no_return, strict=True)])
             for area, label in Area.choices]
    values = pd.DataFrame(list(
        IndicatorValue.objects.filter(monthly_return__provider=provider, monthly_return__period__in=periods,
                                      monthly_return__status__in=RECEIVED_STATUSES,
                                      status="reported", value__isnull=False, indicator__judgement=False)
        .values("indicator_id", "monthly_return__period", "value")))
    trajectories = pd.DataFrame(list(Trajectory.objects.filter(provider=provider).values("indicator_id", "period", "value")))
    return {"periods": periods, "strip": strip, "levels": [levels.get(p) for p in periods],
            "strip_rows": len(strip), "values": values, "trajectories": trajectories}


# Committee packs (METHODOLOGY 6) -----------------------------------------------------------

EXCEPTION_LEVEL = 3       # providers at level 3 or 4 get an exception page
CHART_MONTHS = 24         # trend charts show two years
MAX_CHARTS_PER_PROVIDER = 4


def previous_pack_period(committee, period):
    """The month of the committee's newest ready pack before `period` (None if there is none)."""
    from .choices import PackStatus
    from .models import CommitteePack

    return (CommitteePack.objects.filter(committee=committee, status=PackStatus.READY, period__lt=period)
            .order_by("-period").values_list("period", flat=True).first())


def pack_data(committee, period, period_from, today):
    """Everything a committee pack shows, read once: the pack builders only format it.

    A fixed number of queries whatever the number of providers; the exception pages'
    series are read for all exception providers at once.
    """
    import pandas as pd
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from assurance.choices import RatingReason
    from assurance.models import IndicatorRating, IndicatorValue, Trajectory
    from assurance.periods import deadline, month_end
    from assurance.selectors import RECEIVED_STATUSES, collection_overview, team_summaries
    from contracts.tiers import add_months
    from escalation.choices import ProposalStatus
    from escalation.models import ActionPlan, StepDownProposal
    from providers.models import CommissioningTeam

    from . import packs
    from .choices import Committee

    months = _months_between(period_from, period)
    rows = scorecard(period, today)
    before = {r.provider_id: r.escalation_level for r in
              ProviderRating.objects.filter(period=shift(period_from, -1)).only("provider_id", "escalation_level")}
    area_labels = dict(Area.choices)

    scorecard_frame = pd.DataFrame([{
        "provider": r["provider"].name, "code": r["provider"].code, "received": r["received"],
        "usc": r["usc"][0], "usc_direction": r["usc"][1] or "", "usc_overridden": r["usc"][2],
        "planned": r["planned"][0], "planned_direction": r["planned"][1] or "", "planned_overridden": r["planned"][2],
        **{area: rag for area, rag, _d, _o in r["areas"]},
        **{f"{area}_direction": direction for area, _r, direction, _o in r["areas"]},
        **{f"{area}_overridden": overridden for area, _r, _d, overridden in r["areas"]},
        "recommended": r["rating"].recommended_level, "recommended_direction": r["rating"].level_direction,
        "escalation": r["rating"].escalation_level, "escalation_direction": r["escalation_direction"] or "",
        "pending_step_down": r["rating"].pending_step_down,
    } for r in sorted(rows, key=lambda r: r["provider"].name)], columns=packs.SCORECARD_COLUMNS)

    levels = pd.DataFrame([{
        "level": level,
        "providers": sum(1 for r in rows if r["rating"].escalation_level == level),
        "before": sum(1 for r in rows if before.get(r["provider"].pk) == level),
        "recommended": sum(1 for r in rows if r["rating"].recommended_level == level),
        # Of the providers at the level, those whose return for the month was not received.
        "no_return": sum(1 for r in rows if r["rating"].escalation_level == level and not r["received"]),
    } for level in (1, 2, 3, 4)])

    decisions = with_reason_labels(EscalationDecision.objects.filter(period__gte=period_from, period__lte=period)
                                   .select_related("provider", "decided_by").order_by("decided_at", "pk"))
    decisions_frame = pd.DataFrame([{
        "date": timezone.localdate(d.decided_at), "month": d.period, "provider": d.provider.name,
        "from_level": d.from_level, "to_level": d.to_level, "kind": str(d.get_kind_display()),
        "reasons": "; ".join(d.reason_labels), "rationale": d.rationale,
        "decided_by": d.decided_by.display_name if d.decided_by else _("By rule"),
    } for d in decisions], columns=packs.DECISION_COLUMNS)
    pending = StepDownProposal.objects.filter(status=ProposalStatus.PENDING).count()

    # Exception pages: level 3 or 4, or any Red area.
    exception_rows = [r for r in rows if (r["rating"].escalation_level or 0) >= EXCEPTION_LEVEL
                      or any(rag == "R" for _a, rag, _d, _o in r["areas"]) or r["usc"][0] == "R"
                      or r["planned"][0] == "R"]
    exception_ids = [r["provider"].pk for r in exception_rows]
    areas = {(a.provider_id, a.area): a for a in AreaRating.objects.filter(period=period, provider_id__in=exception_ids)}
    concerns = defaultdict(list)
    for rating in (IndicatorRating.objects.filter(period=period, provider_id__in=exception_ids, rag__in=["R", "A"])
                   .select_related("indicator").order_by("indicator__area", "-rag", "indicator__name")):
        concerns[rating.provider_id].append(rating)
    # Received returns only, here and in the series: drafts never reach a pack.
    notes = {(p, i): note for p, i, note in IndicatorValue.objects.filter(
        monthly_return__period=period, monthly_return__provider_id__in=exception_ids,
        monthly_return__status__in=RECEIVED_STATUSES).exclude(note="")
        .values_list("monthly_return__provider_id", "indicator_id", "note")}
    charted = {}
    for provider_id in exception_ids:
        red_areas = {area for (p, area), a in areas.items() if p == provider_id and a.rag == "R"}
        numeric = [c for c in concerns[provider_id] if not c.indicator.judgement and c.rag == "R"]
        numeric.sort(key=lambda c: (c.indicator.area not in red_areas, c.indicator.area, c.indicator.name))
        charted[provider_id] = numeric[:MAX_CHARTS_PER_PROVIDER]
    chart_indicator_ids = {c.indicator_id for cs in charted.values() for c in cs}
    first_month = shift(period, -(CHART_MONTHS - 1))
    series = defaultdict(list)
    for provider_id, indicator_id, month, value in IndicatorValue.objects.filter(
            monthly_return__provider_id__in=exception_ids, indicator_id__in=chart_indicator_ids,
            monthly_return__period__gte=first_month, monthly_return__period__lte=period,
            monthly_return__status__in=RECEIVED_STATUSES, status="reported", value__isnull=False).values_list(
            "monthly_return__provider_id", "indicator_id", "monthly_return__period", "value"):
        series[(provider_id, indicator_id)].append((month, float(value)))
    trajectories = defaultdict(list)
    for provider_id, indicator_id, month, value in Trajectory.objects.filter(
            provider_id__in=exception_ids, indicator_id__in=chart_indicator_ids,
            period__gte=first_month, period__lte=shift(period, 6)).values_list(
            "provider_id", "indicator_id", "period", "value"):
        trajectories[(provider_id, indicator_id)].append((month, float(value)))
    plans = defaultdict(list)
    for plan in ActionPlan.objects.filter(provider_id__in=exception_ids, status="open").select_related("indicator"):
        plans[plan.provider_id].append(plan)
    reasons = dict(RatingReason.choices)

    exceptions = []
    for r in sorted(exception_rows, key=lambda r: (-(r["rating"].escalation_level or 0), r["provider"].name)):
        provider = r["provider"]
        exceptions.append(packs.ExceptionPage(
            provider=provider.name, code=provider.code,
            escalation_level=r["rating"].escalation_level, recommended_level=r["rating"].recommended_level,
            received=r["received"],
            intervention=str(provider.get_intervention_level_display()) if provider.intervention_level != "routine" else "",
            areas=[(str(area_labels[area]), a.rag if a else "", a.computed_rag if a and a.override_id else "")
                   for area in AREAS for a in [areas.get((provider.pk, area))]],
            indicators=pd.DataFrame([{
                "area": str(area_labels[c.indicator.area]), "indicator": c.indicator.name,
                "value": float(c.value) if c.value is not None else None,
                "target": float(c.indicator.target) if c.indicator.target is not None else None,
                "rag": c.rag, "reason": str(reasons.get(c.reason, c.reason)),
                "note": notes.get((provider.pk, c.indicator_id), ""),
            } for c in concerns[provider.pk]], columns=packs.EXCEPTION_INDICATOR_COLUMNS),
            charts=[packs.ChartData(
                title=c.indicator.name, unit=str(c.indicator.get_unit_display()),
                target=float(c.indicator.target) if c.indicator.target is not None else None,
                amber=float(c.indicator.amber_threshold) if c.indicator.amber_threshold is not None else None,
                higher_is_better=c.indicator.polarity == "higher_better",
                values=pd.DataFrame(sorted(series[(provider.pk, c.indicator_id)]), columns=["period", "value"]),
                trajectory=pd.DataFrame(sorted(trajectories[(provider.pk, c.indicator_id)]), columns=["period", "value"]),
            ) for c in charted[provider.pk]],
            plans=[{"title": p.title, "area": str(p.get_area_display()), "indicator": p.indicator.name if p.indicator else "",
                    "actions": p.actions, "owner": p.owner, "next_review": p.next_review} for p in plans[provider.pk]],
        ))

    teams = list(CommissioningTeam.objects.filter(active=True))
    completeness, missing = [], []
    team_names = {t.pk: t.name for t in teams}
    for month in months:
        overview = collection_overview(month, today)
        by_team, overall = team_summaries(overview["rows"], teams)
        for team, summary in [*((t.name, s) for t, s in by_team), (_("All providers"), overall)]:
            completeness.append({"month": month, "team": str(team), **summary})
        # The providers in scope whose return was not received (METHODOLOGY 6): "No return" on
        # the scorecard, and nothing counted towards completeness.
        for row in overview["rows"]:
            monthly_return = row["return"]
            if monthly_return is not None and monthly_return.status in RECEIVED_STATUSES:
                continue
            missing.append({
                "month": month, "provider": row["provider"].name, "code": row["provider"].code,
                "team": ", ".join(sorted(team_names[t] for t in row["team_ids"] if t in team_names)),
                "state": _("Draft, not submitted") if monthly_return is not None else _("Not started"),
            })
    completeness_frame = pd.DataFrame(completeness, columns=packs.COMPLETENESS_COLUMNS)
    no_returns_frame = pd.DataFrame(missing, columns=packs.NO_RETURN_COLUMNS)

    horizon_from = month_end(period)
    renewals = (Contract.objects.live().with_tier().filter(renewal_due__lte=add_months(horizon_from, 6))
                .select_related("provider", "commissioning_team").order_by("renewal_due", "reference"))
    renewals_frame = pd.DataFrame([{
        "reference": c.reference, "provider": c.provider.name, "title": c.title, "team": c.commissioning_team.name,
        "annual_value": float(c.annual_value), "renewal_date": c.renewal_due, "tier": c.tier,
        "overdue": c.renewal_due < horizon_from,
    } for c in renewals], columns=packs.RENEWAL_COLUMNS)

    return packs.PackData(
        committee=committee, committee_name=str(Committee(committee).label), period=period, period_from=period_from,
        months=months, built_on=today, levels=levels, pending_step_downs=pending, decisions=decisions_frame,
        scorecard=scorecard_frame, exceptions=exceptions, completeness=completeness_frame, renewals=renewals_frame,
        renewals_from=horizon_from, no_returns=no_returns_frame,
        # Built on or before the collection deadline: returns may still arrive and ratings change.
        provisional_until=deadline(period) if today <= deadline(period) else None,
    )


def _months_between(first, last):
    months, month = [], first
    while month <= last:
        months.append(month)
        month = shift(month, 1)
    return months


# Highlight report (seed 002, 3.3.2) --------------------------------------------------------

def highlight(provider, period):
    """A provider's month for its highlight report: exceptions, key trends, commentary and
    governance items, read from the stored ratings, the return's notes and the escalation record."""
    import pandas as pd

    from assurance.choices import RatingReason
    from assurance.models import IndicatorRating, IndicatorValue
    from assurance.selectors import RECEIVED_STATUSES
    from escalation.models import Meeting, Risk
    from escalation.selectors import with_reason_labels as labelled

    from . import spc
    from .models import HighlightReport

    rating = ProviderRating.objects.filter(provider=provider, period=period).first()
    areas = {a.area: a for a in AreaRating.objects.filter(provider=provider, period=period)}
    reasons = dict(RatingReason.choices)
    # Received returns only: a draft's values and notes are the team's until it is submitted.
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(
        monthly_return__provider=provider, monthly_return__period=period,
        monthly_return__status__in=RECEIVED_STATUSES).only("indicator_id", "note", "rag")}
    ratings = list(IndicatorRating.objects.filter(provider=provider, period=period).select_related("indicator")
                   .order_by("indicator__area", "indicator__name"))
    for r in ratings:
        r.reason_label = reasons.get(r.reason, r.reason)
        r.note = values[r.indicator_id].note if r.indicator_id in values else ""
    exceptions = [r for r in ratings if r.rag in ("R", "A") and r.indicator.area != Area.GOVERNANCE]
    governance_results = [r for r in ratings if r.indicator.area == Area.GOVERNANCE]

    # Key trends: each numeric indicator's SPC over 24 months, kept when it says something.
    months = [shift(period, -n) for n in range(23, -1, -1)]
    series = pd.DataFrame(list(IndicatorValue.objects.filter(
        monthly_return__provider=provider, monthly_return__period__in=months,
        monthly_return__status__in=RECEIVED_STATUSES, status="reported",
        value__isnull=False, indicator__judgement=False).values("indicator_id", "monthly_return__period", "value")))
    by_id = {r.indicator_id: r.indicator for r in ratings}
    trends = []
    if not series.empty:
        for indicator_id, rows in series.groupby("indicator_id"):
            indicator = by_id.get(indicator_id)
            if indicator is None:
                continue
            rows = rows.sort_values("monthly_return__period")
            chart = spc.xmr(rows["value"].astype(float).tolist())
            higher = indicator.polarity == "higher_better"
            variation, assurance = spc.variation(chart, higher), spc.assurance(chart, indicator.target, higher)
            if variation == spc.COMMON_CAUSE and assurance != spc.FAILING:
                continue
            trends.append({"indicator": indicator, "variation": variation, "assurance": assurance,
                           "variation_meaning": spc.VARIATION_MEANING[variation],
                           "assurance_meaning": spc.ASSURANCE_MEANING.get(assurance, ""),
                           "latest": float(rows["value"].iloc[-1]), "months": len(rows)})
    trends.sort(key=lambda t: ("concern" not in t["variation"], t["indicator"].area, t["indicator"].name))
    area_moves = [(label, areas[a]) for a, label in Area.choices if a in areas and areas[a].direction in ("improved", "worsened")]

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
        "decisions": labelled(EscalationDecision.objects.filter(provider=provider, period=period)
                              .select_related("decided_by")),
        "meetings": Meeting.objects.filter(provider=provider, date__gte=period, date__lt=next_month),
        "corporate_risks": [r for r in Risk.objects.filter(provider=provider, status="open") if r.register == "corporate"],
        "report": HighlightReport.objects.filter(provider=provider, period=period).select_related("updated_by").first(),
    }


def rated_months(provider=None):
    """Months with stored ratings, newest first (for all providers, or one)."""
    ratings = ProviderRating.objects.all() if provider is None else ProviderRating.objects.filter(provider=provider)
    return list(ratings.order_by("-period").values_list("period", flat=True).distinct())


def packs_visible_to(user):
    """The packs a user may read: the Joint Committee's own, plus the boards' for staff."""
    from .choices import Committee
    from .models import CommitteePack

    packs = CommitteePack.objects.select_related("requested_by")
    if not user.has_perm("reporting.view_internal_packs"):
        packs = packs.filter(committee=Committee.JOINT_COMMITTEE)
    return packs


def committees_visible_to(user):
    from .choices import Committee

    if user.has_perm("reporting.view_internal_packs"):
        return list(Committee.choices)
    return [(Committee.JOINT_COMMITTEE.value, Committee.JOINT_COMMITTEE.label)]
