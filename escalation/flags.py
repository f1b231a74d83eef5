"""What a Red needs, and what has gone past its date (issue 18; seed 003, section 8).

`follow_through(period, provider_ids, today)` is the one read: the provider page, the dashboard's
"Needs follow-through" filter, the work queue and the packs' exception pages all use it.

For the month given, each provider asked about gets a `ProviderFlags`:

- `items`: one `AreaFlags` per key area that is Red that month, or holds a Red indicator, and one
  for the provider as a whole (`area` None) when it is at level 3 or 4. Each lists what is
  missing (`Missing`: ACTION_PLAN, TRAJECTORY or RISK_ASSESSMENT, with the indicator concerned or
  None for the area or provider). Items with nothing missing are kept (`flagged` False) so a
  page can say "has its action plan, trajectory and risk assessment".
- `overdue`: `Overdue` dates gone by, as of `today`: the escalation review date, open action
  plans' and open risks' review dates, open meeting actions' due dates and meetings due (METHODOLOGY 5).

What counts (assurance.rules.follow_through):

- an action plan: an open ActionPlan of the provider in the area. A Red area is covered by any open
  plan in it (its recovery plan covers its Red indicators); a Red indicator in an area that is not
  Red needs a plan for the whole area or for itself. With no plan in the area at all, it is said
  once, for the area;
- a trajectory: an agreed Trajectory for the Red indicator for the month or later (a judgement
  indicator has no numeric trajectory and is not asked for one); at level 3 or 4, any such trajectory;
- a risk assessment: an open Risk of the provider recorded against the area, said once per area
  (at level 3 or 4, any open risk).

Overdue: the escalation review date (level 2 and above), open plans' next review, open risks'
review date, open meeting actions' due date, and meetings due (METHODOLOGY 5).

The provider's level is the month's (ProviderRating.escalation_level), or its current level when
the month has no rating. A few queries whatever the number of providers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from assurance.choices import Area, Rag
from assurance.models import AreaRating, IndicatorRating, ProviderRating, Trajectory
from assurance.rules import (
    ACTION_PLAN,
    RISK_ASSESSMENT,
    TRAJECTORY,
    is_overdue,
    missing_for_red,
    needs_follow_through,
)

from .choices import ActionStatus, PlanStatus
from .models import ActionPlan, MeetingAction, ProviderEscalation, Risk
from .selectors import meeting_schedules

NEED_LABELS = {
    ACTION_PLAN: _("No action plan"),
    TRAJECTORY: _("No agreed trajectory"),
    RISK_ASSESSMENT: _("No risk assessment"),
}
AREA_LABELS = dict(Area.choices)

# What an Overdue is about.
ESCALATION_REVIEW, PLAN_REVIEW, RISK_REVIEW, ACTION_DUE, MEETING_DUE = (
    "escalation_review",
    "plan_review",
    "risk_review",
    "action_due",
    "meeting_due",
)
OVERDUE_LABELS = {
    ESCALATION_REVIEW: _("Escalation review date passed"),
    PLAN_REVIEW: _("Action plan review date passed"),
    RISK_REVIEW: _("Risk review date passed"),
    ACTION_DUE: _("Meeting action overdue"),
    MEETING_DUE: _("Meeting overdue"),
}


@dataclass(frozen=True)
class Missing:
    need: str  # ACTION_PLAN, TRAJECTORY or RISK_ASSESSMENT
    indicator: object = None  # the Red indicator concerned; None: the area (or the provider)

    @property
    def label(self):
        return NEED_LABELS[self.need]


@dataclass(frozen=True)
class Overdue:
    what: str  # ESCALATION_REVIEW, PLAN_REVIEW, RISK_REVIEW, ACTION_DUE or MEETING_DUE
    due: date | None  # None: a meeting that has never been held
    detail: str  # the plan's or risk's title, the action, the kind of meeting
    area: str = ""  # the key area of a plan or risk, when it has one
    pk: int | None = None  # the plan, risk or meeting concerned (for links)

    @property
    def label(self):
        return OVERDUE_LABELS[self.what]


@dataclass
class AreaFlags:
    area: str | None  # None: the provider as a whole (level 3 or 4)
    red_area: bool = False
    red_indicators: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def label(self):
        return AREA_LABELS[self.area] if self.area else _("Level 3 or 4")

    @property
    def flagged(self):
        return bool(self.missing)


@dataclass
class ProviderFlags:
    provider_id: int
    level: int | None = None
    items: list = field(default_factory=list)
    overdue: list = field(default_factory=list)

    @property
    def missing_count(self):
        return sum(len(item.missing) for item in self.items)

    @property
    def flagged(self):
        """Anything missing or overdue."""
        return bool(self.missing_count or self.overdue)

    def for_area(self, area):
        """The area's item (None if it needs nothing) and its overdue plans and risks."""
        item = next((i for i in self.items if i.area == area), None)
        return item, [o for o in self.overdue if o.area == area]


@dataclass
class Known:
    """What a page has already read of one provider (`escalation`: its ProviderEscalation or None;
    every one of its action plans, risks and trajectories, in their usual order), so that
    follow_through does not read them again (the provider page: six queries fewer)."""

    escalation: object
    plans: list
    risks: list
    trajectories: list


def follow_through(period, provider_ids, today, *, schedules=None, known=None):
    """{provider_id: ProviderFlags} for every provider id given, for the month `period` (a date,
    the month's first day) and as of `today` (a date, for what is overdue). `schedules`: the
    providers' meeting_schedules as of `today`, when the caller has already read them.

    `known`: a Known, when one provider is asked about and the caller has read its records.

    Stable signature (used by the provider page, the dashboard, the work queue and the packs).
    """
    provider_ids = list(provider_ids)
    flags = {pk: ProviderFlags(pk) for pk in provider_ids}
    if not provider_ids:
        return flags
    if known is not None and len(provider_ids) != 1:
        raise ValueError("follow_through takes what is known of one provider only")
    _levels(flags, period, known)
    _red_items(flags, period, known)
    _overdue(flags, today, schedules, known)
    return flags


def flagged_provider_ids(period, provider_ids, today, *, meetings=False):
    """The providers (of those given) with anything missing or overdue: the dashboard's "Needs
    follow-through" filter. Meetings overdue count only with `meetings` (the dashboard has its
    own "With a meeting overdue" filter, and a provider never met would otherwise always show)."""
    flagged = set()
    for pk, f in follow_through(period, provider_ids, today).items():
        overdue = [o for o in f.overdue if meetings or o.what != MEETING_DUE]
        if f.missing_count or overdue:
            flagged.add(pk)
    return flagged


def _levels(flags, period, known=None):
    if known is not None:
        current = {known.escalation.provider_id: known.escalation.level} if known.escalation else {}
    else:
        current = dict(ProviderEscalation.objects.filter(provider_id__in=flags).values_list("provider_id", "level"))
    month = dict(
        ProviderRating.objects.filter(provider_id__in=flags, period=period, escalation_level__isnull=False).values_list(
            "provider_id", "escalation_level"
        )
    )
    for pk, f in flags.items():
        f.level = month.get(pk, current.get(pk))


def _open_records(ids, period, known=None):
    """Each provider's open plans [(area, indicator_id or None)], the areas of its open risks ("" for
    a risk with no area) and the indicators with a trajectory for the month or later."""
    plans = defaultdict(list)  # provider -> [(area, indicator_id or None)]
    risks = defaultdict(set)  # provider -> areas with an open risk ("" for a risk with no area)
    trajectories = defaultdict(set)  # provider -> indicators with a trajectory for the month or later
    if known is not None:
        for plan in known.plans:
            if plan.status == PlanStatus.OPEN:
                plans[plan.provider_id].append((plan.area, plan.indicator_id))
        for risk in known.risks:
            if risk.status == PlanStatus.OPEN:
                risks[risk.provider_id].add(risk.area)
        for trajectory in known.trajectories:
            if trajectory.period >= period:
                trajectories[trajectory.provider_id].add(trajectory.indicator_id)
    else:
        for pk, area, indicator_id in ActionPlan.objects.filter(
            provider_id__in=ids, status=PlanStatus.OPEN
        ).values_list("provider_id", "area", "indicator_id"):
            plans[pk].append((area, indicator_id))
        for pk, area in Risk.objects.filter(provider_id__in=ids, status=PlanStatus.OPEN).values_list(
            "provider_id", "area"
        ):
            risks[pk].add(area)
        for pk, indicator_id in (
            Trajectory.objects.filter(provider_id__in=ids, period__gte=period)
            .values_list("provider_id", "indicator_id")
            .distinct()
        ):
            trajectories[pk].add(indicator_id)
    return plans, risks, trajectories


def _red_items(flags, period, known=None):
    ids = list(flags)
    red_areas = defaultdict(set)
    for pk, area in AreaRating.objects.filter(provider_id__in=ids, period=period, rag=Rag.RED).values_list(
        "provider_id", "area"
    ):
        red_areas[pk].add(area)
    red_indicators = defaultdict(list)
    for rating in (
        IndicatorRating.objects.filter(provider_id__in=ids, period=period, rag=Rag.RED)
        .select_related("indicator")
        .order_by("indicator__name")
    ):
        red_indicators[rating.provider_id].append(rating.indicator)
    plans, risks, trajectories = _open_records(ids, period, known)

    for pk, f in flags.items():
        by_area = defaultdict(list)
        for indicator in red_indicators[pk]:
            by_area[indicator.area].append(indicator)
        for area, _label in Area.choices:
            if area not in red_areas[pk] and not by_area[area]:
                continue
            item = AreaFlags(area, red_area=area in red_areas[pk], red_indicators=by_area[area])
            area_plans = [i for a, i in plans[pk] if a == area]
            # The area's own needs: a plan (any open plan in the area for a Red area; else one for
            # the area or for each Red indicator) and a risk assessment, each said once.
            item.missing += [
                Missing(need)
                for need in missing_for_red(
                    has_action_plan=bool(area_plans), has_trajectory=None, has_risk_assessment=area in risks[pk]
                )
            ]
            for indicator in item.red_indicators:
                covered = bool(area_plans) and (item.red_area or None in area_plans or indicator.pk in area_plans)
                item.missing += [
                    Missing(need, indicator)
                    for need in missing_for_red(
                        has_action_plan=None if not area_plans else covered,  # no plan at all: said once above
                        has_trajectory=None if indicator.judgement else indicator.pk in trajectories[pk],
                        has_risk_assessment=None,  # the area's
                    )
                ]
            f.items.append(item)
        if needs_follow_through(escalation_level=f.level):
            item = AreaFlags(None)
            item.missing = [
                Missing(need)
                for need in missing_for_red(
                    has_action_plan=bool(plans[pk]),
                    has_trajectory=bool(trajectories[pk]),
                    has_risk_assessment=bool(risks[pk]),
                )
            ]
            f.items.append(item)


def _overdue(flags, today, schedules=None, known=None):
    ids = list(flags)
    if known is not None:
        states = [known.escalation] if known.escalation else []
        states = [s for s in states if s.review_date and s.review_date < today and s.level >= 2]
        open_plans = [p for p in known.plans if p.status == PlanStatus.OPEN and p.next_review and p.next_review < today]
        open_risks = [r for r in known.risks if r.status == PlanStatus.OPEN and r.review_date and r.review_date < today]
    else:
        states = ProviderEscalation.objects.filter(provider_id__in=ids, review_date__lt=today, level__gte=2)
        open_plans = ActionPlan.objects.filter(provider_id__in=ids, status=PlanStatus.OPEN, next_review__lt=today)
        open_risks = Risk.objects.filter(provider_id__in=ids, status=PlanStatus.OPEN, review_date__lt=today)
    # The escalation's review date, for a provider escalated (level 2 or above): level 1 is routine.
    for state in states:
        flags[state.provider_id].overdue.append(
            Overdue(ESCALATION_REVIEW, state.review_date, _("Level %(level)s") % {"level": state.level})
        )
    for plan in open_plans:
        flags[plan.provider_id].overdue.append(Overdue(PLAN_REVIEW, plan.next_review, plan.title, plan.area, plan.pk))
    for risk in open_risks:
        flags[risk.provider_id].overdue.append(Overdue(RISK_REVIEW, risk.review_date, risk.title, risk.area, risk.pk))
    for action in (
        MeetingAction.objects.filter(meeting__provider_id__in=ids, due_date__lt=today)
        .exclude(status=ActionStatus.DONE)
        .select_related("meeting")
    ):
        flags[action.meeting.provider_id].overdue.append(
            Overdue(ACTION_DUE, action.due_date, action.description, pk=action.meeting_id)
        )
    for pk, rows in (meeting_schedules(ids, today) if schedules is None else schedules).items():
        for row in rows:
            if row["last"] is None or is_overdue(row["due"], today):
                flags[pk].overdue.append(Overdue(MEETING_DUE, row["due"] if row["last"] else None, row["label"]))
    for f in flags.values():
        f.overdue.sort(key=lambda o: (o.due is not None, o.due or date.min))


def work_queue_items(period, providers, today):
    """The work queue's follow-through items (issue 18) for `providers` (Provider objects):
    one dict per thing missing or overdue, most pressing first (overdue before missing, oldest
    date first), each with: provider, area (code or None), kind ("missing" or "overdue"), what
    (a need or an Overdue code), label, detail, due (a date or None) and url (where to act).
    """
    from django.urls import reverse  # noqa: PLC0415 - URLs only for the queue's links

    providers = {p.pk: p for p in providers}
    items = []
    for pk, flags in follow_through(period, list(providers), today).items():
        provider = providers[pk]
        page = reverse("reporting:provider_detail", args=[provider.code])
        for o in flags.overdue:
            items.append(
                {
                    "provider": provider,
                    "area": o.area or None,
                    "kind": "overdue",
                    "what": o.what,
                    "label": o.label,
                    "detail": o.detail,
                    "due": o.due,
                    "url": f"{page}#overdue",
                }
            )
        for item in flags.items:
            for m in item.missing:
                items.append(
                    {
                        "provider": provider,
                        "area": item.area,
                        "kind": "missing",
                        "what": m.need,
                        "label": m.label,
                        "detail": m.indicator.name if m.indicator else item.label,
                        "due": None,
                        "url": f"{page}#follow-through",
                    }
                )
    items.sort(key=lambda i: (i["kind"] != "overdue", i["due"] or date.max, i["provider"].name))
    return items
