"""Reads for a committee pack: everything one pack shows, read once; which packs a reader may see."""

from collections import defaultdict
from datetime import datetime, time

from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assurance import access, rules
from assurance.choices import Area, Polarity, Rag, RatingReason, ValueStatus
from assurance.models import AreaRating, IndicatorRating, IndicatorValue, ProviderRating, Trajectory
from assurance.rules import EXCEPTION_LEVEL  # noqa: F401 - level 3 or 4 gets an exception page
from assurance.rules import committees as committee_rules
from assurance.selectors import (
    RECEIVED_STATUSES,
    collection_overview,
    show_targets_in_force,
    team_summaries,
)
from contracts.choices import Level
from contracts.models import Contract
from escalation.choices import ActionStatus, MeetingKind, PlanStatus, ProposalStatus
from escalation.flags import follow_through
from escalation.models import ActionPlan, EscalationDecision, Meeting, Risk, StepDownProposal
from escalation.selectors import with_reason_labels
from providers.choices import InterventionLevel
from providers.models import CommissioningTeam
from providers.periods import add_months, deadline, month_end, months_from, shift

from .. import packs
from ..choices import PackStatus
from ..models import Committee, CommitteePack
from .finance import pack_finance
from .scorecard import AREAS, scorecard

CHART_MONTHS = 24  # trend charts show two years
CORPORATE_RISK_SCORE = 15  # METHODOLOGY 7: 15 and above is the corporate register (CRAF)
MAX_CHARTS_PER_PROVIDER = 4


def previous_pack_period(committee, period):
    """The month of the committee's newest ready pack before `period` (None if there is none)."""
    return (
        CommitteePack.objects.filter(committee=committee, status=PackStatus.READY, period__lt=period)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def previous_pack_built_at(committee, period):
    """When the committee's previous pack (its newest ready pack before `period`) was built, the
    later of its English and Welsh builds; None when there is none."""
    previous = previous_pack_period(committee, period)
    if previous is None:
        return None
    return CommitteePack.objects.filter(committee=committee, status=PackStatus.READY, period=previous).aggregate(
        built=Max("finished_at")
    )["built"]


def decisions_recorded(since, until, period_from):
    """The escalation decisions recorded after `since` (the previous pack's build) and up to `until`,
    whatever month they concern (METHODOLOGY 6); with no previous pack, those recorded since the
    start of the first month covered. Oldest first."""
    decisions = EscalationDecision.objects.filter(decided_at__lte=until)
    if since is not None:
        decisions = decisions.filter(decided_at__gt=since)
    else:
        start = timezone.make_aware(datetime.combine(period_from, time.min))
        decisions = decisions.filter(decided_at__gte=start)
    return decisions.select_related("provider", "decided_by").order_by("decided_at", "pk")


def summits_held(since, until):
    """The provider summits held from `since` to `until` (dates), oldest first."""
    return Meeting.objects.filter(kind=MeetingKind.PROVIDER_SUMMIT, date__gte=since, date__lte=until)


def providers_in_scope(scope, rows, period, summits_from, today):
    """The ids of the scorecard's providers a committee with `scope` hears about this month
    (assurance.rules.committees.provider_in_scope), and the ids with a summit held since `summits_from`."""
    summits = set(summits_held(summits_from, today).values_list("provider_id", flat=True))
    if scope == committee_rules.SCOPE_ALL:
        return {r["provider"].pk for r in rows}, summits
    critical_red = set(
        IndicatorRating.objects.filter(period=period, indicator__critical=True, rag=Rag.RED).values_list(
            "provider_id", flat=True
        )
    )
    ids = set()
    for r in rows:
        provider_id = r["provider"].pk
        quality_safety = next((rag for area, rag, _d, _o in r["areas"] if area == Area.QUALITY_SAFETY), None)
        if committee_rules.provider_in_scope(
            scope,
            escalation_level=r["rating"].escalation_level,
            quality_safety_rag=quality_safety if r["received"] else None,
            critical_red=r["received"] and provider_id in critical_red,
            summit_held=provider_id in summits,
        ):
            ids.add(provider_id)
    return ids, summits


def pack_data(committee, period, period_from, today, *, now=None):
    """Everything a committee pack shows, read once: the pack builders only format it. The
    providers are those in the committee's scope; the decisions those recorded since its
    previous pack was built (up to `now`).

    A fixed number of queries whatever the number of providers; the exception pages'
    series are read for all exception providers at once.
    """
    import pandas as pd  # noqa: PLC0415 - pandas is heavy: loaded only when a pack is built

    if isinstance(committee, str):
        committee = Committee.objects.get(code=committee)
    now = now or timezone.now()
    # Decisions and summits are those since the committee's previous pack was built (a first pack:
    # since the start of the months it covers), whatever month they concern.
    decisions_since = previous_pack_built_at(committee, period)
    since_day = timezone.localdate(decisions_since) if decisions_since else period_from
    all_rows = scorecard(period, today)
    in_scope, _summits = providers_in_scope(committee.scope, all_rows, period, since_day, today)
    rows = [r for r in all_rows if r["provider"].pk in in_scope]
    months = months_from(period_from, period)
    before = {
        r.provider_id: r.escalation_level
        for r in ProviderRating.objects.filter(period=shift(period_from, -1)).only("provider_id", "escalation_level")
    }
    area_labels = dict(Area.choices)

    scorecard_frame = pd.DataFrame(
        [
            {
                "provider": r["provider"].name,
                "code": r["provider"].code,
                "received": r["received"],
                "usc": r["usc"][0],
                "usc_direction": r["usc"][1] or "",
                "usc_overridden": r["usc"][2],
                "planned": r["planned"][0],
                "planned_direction": r["planned"][1] or "",
                "planned_overridden": r["planned"][2],
                **{area: rag for area, rag, _d, _o in r["areas"]},
                **{f"{area}_direction": direction for area, _r, direction, _o in r["areas"]},
                **{f"{area}_overridden": overridden for area, _r, _d, overridden in r["areas"]},
                "recommended": r["rating"].recommended_level,
                "recommended_direction": r["rating"].level_direction,
                "escalation": r["rating"].escalation_level,
                "escalation_direction": r["escalation_direction"] or "",
                "pending_step_down": r["rating"].pending_step_down,
            }
            for r in sorted(rows, key=lambda r: r["provider"].name)
        ],
        columns=packs.SCORECARD_COLUMNS,
    )

    levels = pd.DataFrame(
        [
            {
                "level": level,
                "providers": sum(1 for r in rows if r["rating"].escalation_level == level),
                "before": sum(1 for r in rows if before.get(r["provider"].pk) == level),
                "recommended": sum(1 for r in rows if r["rating"].recommended_level == level),
                # Of the providers at the level, those whose return for the month was not received.
                "no_return": sum(1 for r in rows if r["rating"].escalation_level == level and not r["received"]),
            }
            for level in Level.values
        ]
    )

    decisions = with_reason_labels(
        [
            d
            for d in decisions_recorded(decisions_since, now, period_from)
            if committee_rules.decision_in_scope(
                committee.scope,
                from_level=d.from_level,
                to_level=d.to_level,
                provider_in_scope_now=d.provider_id in in_scope,
            )
        ]
    )
    decisions_frame = pd.DataFrame(
        [
            {
                "date": timezone.localdate(d.decided_at),
                "month": d.period,
                "provider": d.provider.name,
                "from_level": d.from_level,
                "to_level": d.to_level,
                "kind": str(d.get_kind_display()),
                "reasons": "; ".join(d.reason_labels),
                "rationale": d.rationale,
                "decided_by": d.decided_by.display_name if d.decided_by else _("By rule"),
            }
            for d in decisions
        ],
        columns=packs.DECISION_COLUMNS,
    )
    pending = StepDownProposal.objects.filter(status=ProposalStatus.PENDING, provider_id__in=in_scope).count()

    # Exception pages (METHODOLOGY 6): level 3 or 4, or any Red area (Access by its USC and Planned halves).
    exception_rows = [
        r
        for r in rows
        if rules.has_exception_page(
            r["rating"].escalation_level, [r["usc"][0], r["planned"][0], *(rag for _a, rag, _d, _o in r["areas"])]
        )
    ]
    exception_ids = [r["provider"].pk for r in exception_rows]
    areas = {
        (a.provider_id, a.area): a for a in AreaRating.objects.filter(period=period, provider_id__in=exception_ids)
    }
    concerns = defaultdict(list)
    for rating in (
        IndicatorRating.objects.filter(period=period, provider_id__in=exception_ids, rag__in=[Rag.RED, Rag.AMBER])
        .select_related("indicator")
        .order_by("indicator__area", "-rag", "indicator__name")
    ):
        concerns[rating.provider_id].append(rating)
    # The month's targets, as it was rated (METHODOLOGY, "Targets change over time").
    show_targets_in_force([c.indicator for rows in concerns.values() for c in rows], period)
    # Received returns only, here and in the series: drafts never reach a pack.
    notes = {
        (p, i): note
        for p, i, note in IndicatorValue.objects.filter(
            monthly_return__period=period,
            monthly_return__provider_id__in=exception_ids,
            monthly_return__status__in=RECEIVED_STATUSES,
        )
        .exclude(note="")
        .values_list("monthly_return__provider_id", "indicator_id", "note")
    }
    charted = {}
    for provider_id in exception_ids:
        red_areas = {area for (p, area), a in areas.items() if p == provider_id and a.rag == Rag.RED}
        numeric = [c for c in concerns[provider_id] if not c.indicator.judgement and c.rag == Rag.RED]
        numeric.sort(key=lambda c: (c.indicator.area not in red_areas, c.indicator.area, c.indicator.name))
        charted[provider_id] = numeric[:MAX_CHARTS_PER_PROVIDER]
    chart_indicator_ids = {c.indicator_id for cs in charted.values() for c in cs}
    first_month = shift(period, -(CHART_MONTHS - 1))
    series = defaultdict(list)
    for provider_id, indicator_id, month, value in IndicatorValue.objects.filter(
        monthly_return__provider_id__in=exception_ids,
        indicator_id__in=chart_indicator_ids,
        monthly_return__period__gte=first_month,
        monthly_return__period__lte=period,
        monthly_return__status__in=RECEIVED_STATUSES,
        status=ValueStatus.REPORTED,
        value__isnull=False,
    ).values_list("monthly_return__provider_id", "indicator_id", "monthly_return__period", "value"):
        series[(provider_id, indicator_id)].append((month, float(value)))
    trajectories = defaultdict(list)
    for provider_id, indicator_id, month, value in Trajectory.objects.filter(
        provider_id__in=exception_ids,
        indicator_id__in=chart_indicator_ids,
        period__gte=first_month,
        period__lte=shift(period, 6),
    ).values_list("provider_id", "indicator_id", "period", "value"):
        trajectories[(provider_id, indicator_id)].append((month, float(value)))
    plans = defaultdict(list)
    for plan in ActionPlan.objects.filter(provider_id__in=exception_ids, status=PlanStatus.OPEN).select_related(
        "indicator"
    ):
        plans[plan.provider_id].append(plan)
    reasons = dict(RatingReason.choices)
    flags = exception_flags(period, exception_ids, today)

    exceptions = []
    for r in sorted(exception_rows, key=lambda r: (-(r["rating"].escalation_level or 0), r["provider"].name)):
        provider = r["provider"]
        exceptions.append(
            packs.ExceptionPage(
                provider=provider.name,
                code=provider.code,
                escalation_level=r["rating"].escalation_level,
                recommended_level=r["rating"].recommended_level,
                received=r["received"],
                flags=flags.get(provider.pk, []),
                intervention=str(provider.get_intervention_level_display())
                if provider.intervention_level != InterventionLevel.ROUTINE
                else "",
                areas=[
                    (str(area_labels[area]), a.rag if a else "", a.computed_rag if a and a.override_id else "")
                    for area in AREAS
                    for a in [areas.get((provider.pk, area))]
                ],
                indicators=pd.DataFrame(
                    [
                        {
                            "area": str(area_labels[c.indicator.area]),
                            "indicator": c.indicator.name,
                            "value": float(c.value) if c.value is not None else None,
                            "target": float(c.indicator.target) if c.indicator.target is not None else None,
                            "rag": c.rag,
                            "reason": str(reasons.get(c.reason, c.reason)),
                            "note": notes.get((provider.pk, c.indicator_id), ""),
                        }
                        for c in concerns[provider.pk]
                    ],
                    columns=packs.EXCEPTION_INDICATOR_COLUMNS,
                ),
                charts=[
                    packs.ChartData(
                        title=c.indicator.name,
                        unit=str(c.indicator.get_unit_display()),
                        target=float(c.indicator.target) if c.indicator.target is not None else None,
                        amber=float(c.indicator.amber_threshold) if c.indicator.amber_threshold is not None else None,
                        higher_is_better=c.indicator.polarity == Polarity.HIGHER_BETTER,
                        values=pd.DataFrame(sorted(series[(provider.pk, c.indicator_id)]), columns=["period", "value"]),
                        trajectory=pd.DataFrame(
                            sorted(trajectories[(provider.pk, c.indicator_id)]), columns=["period", "value"]
                        ),
                    )
                    for c in charted[provider.pk]
                ],
                plans=[
                    {
                        "title": p.title,
                        "area": str(p.get_area_display()),
                        "indicator": p.indicator.name if p.indicator else "",
                        "actions": p.actions,
                        "owner": p.owner,
                        "next_review": p.next_review,
                    }
                    for p in plans[provider.pk]
                ],
            )
        )

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
            if row["provider"].pk not in in_scope and committee.scope != committee_rules.SCOPE_ALL:
                continue
            missing.append(
                {
                    "month": month,
                    "provider": row["provider"].name,
                    "code": row["provider"].code,
                    "team": ", ".join(sorted(team_names[t] for t in row["team_ids"] if t in team_names)),
                    "state": _("Draft, not submitted") if monthly_return is not None else _("Not started"),
                }
            )
    completeness_frame = pd.DataFrame(completeness, columns=packs.COMPLETENESS_COLUMNS)
    no_returns_frame = pd.DataFrame(missing, columns=packs.NO_RETURN_COLUMNS)

    horizon_from = month_end(period)
    renewals = (
        Contract.objects.active()
        .with_tier()
        .filter(renewal_due__lte=add_months(horizon_from, 6))
        .filter(**({} if committee.scope == committee_rules.SCOPE_ALL else {"provider_id__in": in_scope}))
        .select_related("provider", "commissioning_team")
        .order_by("renewal_due", "reference")
    )
    renewals_frame = pd.DataFrame(
        [
            {
                "reference": c.reference,
                "provider": c.provider.name,
                "title": c.title,
                "team": c.commissioning_team.name,
                "annual_value": float(c.annual_value),
                "renewal_date": c.renewal_due,
                "tier": c.tier,
                "overdue": c.renewal_due < horizon_from,
            }
            for c in renewals
        ],
        columns=packs.RENEWAL_COLUMNS,
    )

    return packs.PackData(
        committee=committee.code,
        committee_name=committee.display_name,
        period=period,
        period_from=period_from,
        months=months,
        built_on=today,
        levels=levels,
        pending_step_downs=pending,
        decisions=decisions_frame,
        scorecard=scorecard_frame,
        exceptions=exceptions,
        completeness=completeness_frame,
        renewals=renewals_frame,
        renewals_from=horizon_from,
        no_returns=no_returns_frame,
        scope=str(committee.get_scope_display()),
        decisions_since=decisions_since,
        corporate_risks=corporate_risks_frame(
            in_scope if committee.scope != committee_rules.SCOPE_ALL else None, today
        ),
        summits=summits_frame(since_day, today, in_scope),
        # METHODOLOGY 9, read only for a committee whose pack holds the section (reporting.packs.finance).
        finance=pack_finance(period, None if committee.scope == committee_rules.SCOPE_ALL else in_scope)
        if "financial_position" in (committee.sections or [])
        else None,
        # Built on or before the collection deadline: returns may still arrive and ratings change.
        provisional_until=deadline(period) if today <= deadline(period) else None,
    )


def exception_flags(period, provider_ids, today):
    """{provider_id: [a sentence per flag]} for the exception pages: what a Red area or indicator, or a
    provider at level 3 or 4, still lacks (action plan, trajectory, risk assessment), and what has gone
    past its date as of `today` (escalation.flags.follow_through)."""
    found = {}
    for provider_id, provider_flags in follow_through(period, provider_ids, today).items():
        sentences = []
        for item in provider_flags.items:
            if not item.missing:
                continue
            sentences.append(_("%(scope)s: %(what)s.") % {"scope": item.label, "what": _missing_text(item.missing)})
        for overdue in provider_flags.overdue:
            when = date_format(overdue.due, "j M Y") if overdue.due else _("never held")
            sentences.append(
                _("%(label)s: %(detail)s (%(when)s).")
                % {"label": overdue.label, "detail": overdue.detail, "when": when}
            )
        if sentences:
            found[provider_id] = sentences
    return found


def _missing_text(missing):
    """ "No action plan for A, B; No risk assessment": each need once, with the Red indicators it concerns
    (none named when it concerns the whole area or provider)."""
    parts = []
    for need in dict.fromkeys(m.need for m in missing):
        of_need = [m for m in missing if m.need == need]
        names = [m.indicator.name for m in of_need if m.indicator is not None]
        label = str(of_need[0].label)
        if names and all(m.indicator is not None for m in of_need):
            label = _("%(need)s for %(indicators)s") % {"need": label, "indicators": ", ".join(names)}
        parts.append(label)
    return "; ".join(parts)


def corporate_risks_frame(provider_ids, today):
    """The open risks on the corporate register (CRAF: score 15 and above, METHODOLOGY 7), highest
    score first; of the providers named (all when None)."""
    import pandas as pd  # noqa: PLC0415 - pandas is heavy: loaded only when a pack is built

    risks = (
        Risk.objects.filter(status=PlanStatus.OPEN)
        .annotate(risk_score=F("likelihood") * F("consequence"))
        .filter(risk_score__gte=CORPORATE_RISK_SCORE)
        .select_related("provider")
        .order_by("-risk_score", "review_date", "pk")
    )
    if provider_ids is not None:
        risks = risks.filter(provider_id__in=provider_ids)
    return pd.DataFrame(
        [
            {
                "provider": r.provider.name,
                "code": r.provider.code,
                "risk": r.title,
                "score": r.risk_score,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "mitigation": r.mitigation,
                "owner": r.owner,
                "review_date": r.review_date,
                "review_passed": r.review_date < today,
            }
            for r in risks
        ],
        columns=packs.CORPORATE_RISK_COLUMNS,
    )


def summits_frame(since, until, provider_ids):
    """The provider summits held from `since` to `until`, of the providers in scope, oldest first."""
    import pandas as pd  # noqa: PLC0415 - pandas is heavy: loaded only when a pack is built

    summits = (
        summits_held(since, until)
        .filter(provider_id__in=provider_ids)
        .select_related("provider")
        .prefetch_related("actions")
        .order_by("date", "pk")
    )
    return pd.DataFrame(
        [
            {
                "date": m.date,
                "provider": m.provider.name,
                "code": m.provider.code,
                "chair": m.chair,
                "attendees": m.attendees,
                "open_actions": sum(1 for a in m.actions.all() if a.status != ActionStatus.DONE),
            }
            for m in summits
        ],
        columns=packs.SUMMIT_COLUMNS,
    )


# Highlight report (seed 002, 3.3.2) --------------------------------------------------------


def committees_readable_by(user):
    """The committees whose packs a user may read: those naming one of the user's roles
    (assurance.access.restrict_to_roles)."""
    return access.restrict_to_roles(user, Committee.objects.all(), "readers")


def packs_visible_to(user):
    """The packs a user may read: those of the committees naming one of the user's roles."""
    return CommitteePack.objects.select_related("requested_by", "committee").filter(
        committee__in=committees_readable_by(user)
    )


def committees_visible_to(user, *, active_only=False):
    """(code, name) of the committees a user may read, in name order (only those in use, if asked)."""
    committees = committees_readable_by(user)
    if active_only:
        committees = committees.filter(active=True)
    return [(c.code, c.display_name) for c in committees]
