"""Each person's work queue, from the data (issue 17): the home page.

What is waiting for this person, by role: a team member's returns (overdue, due, draft,
queried); a director's step-downs awaiting their decision, reviews past due, overdue meetings
and actions and Red areas without an action plan; a Joint Committee member's newest packs; an
administrator's register renewals and pending invitations. Each item links to where the job is
done, and only to a page the person may open (assurance.access and the permissions decide).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assurance import selectors as assurance_selectors
from assurance.access import can_enter_return, team_providers
from assurance.choices import Area, Rag, ReturnStatus
from assurance.models import AreaRating, MonthlyReturn, ValueQuery
from contracts.choices import ContractStatus
from contracts.models import Contract
from escalation.choices import ActionStatus, PlanStatus, ProposalStatus
from escalation.flags import work_queue_items
from escalation.models import ActionPlan, MeetingAction, ProviderEscalation, Risk, StepDownProposal
from escalation.selectors import providers_with_overdue_meetings
from providers.periods import add_months, format_period, shift
from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER

SHOWN = 10  # items listed per section; the count says how many there are in all


@dataclass
class Item:
    """One job: what it is, where it is done, and a line of detail (a date, a reason)."""

    label: str
    url: str
    detail: str = ""


@dataclass
class Section:
    """A heading of the queue, its items (the first SHOWN of `count`), and what to say when empty."""

    key: str
    title: str
    empty: str
    items: list = field(default_factory=list)
    count: int = 0
    more_url: str = ""

    def add(self, items, more_url="", make=None):
        """`items` are Items, or rows that `make` turns into Items: only the first SHOWN are made
        (at 5,000 providers a director's queue had thousands of Red areas to count, ten to show)."""
        self.count = len(items)
        self.items = [make(row) for row in items[:SHOWN]] if make else items[:SHOWN]
        self.more_url = more_url if self.count > SHOWN else ""
        return self


def collection_period(today):
    """The month being collected now: last month (as the returns overview)."""
    return shift(today.replace(day=1), -1)


# Team members ---------------------------------------------------------------------------


def queried_returns(user):
    """Open queries on the values of returns the user enters, and returns sent back to them."""
    items = []
    for query in (
        ValueQuery.objects.filter(status=ValueQuery.Status.OPEN, monthly_return__provider__in=team_providers(user))
        .select_related("monthly_return__provider", "indicator")
        .order_by("created_at")
    ):
        monthly_return = query.monthly_return
        if can_enter_return(user, monthly_return.provider):
            items.append(
                Item(
                    _("%(provider)s, %(month)s")
                    % {"provider": monthly_return.provider.name, "month": date_format(monthly_return.period, "F Y")},
                    f"{monthly_return.get_absolute_url()}#query-{query.pk}",
                    _("Query on %(indicator)s") % {"indicator": query.indicator.name},
                )
            )
    for monthly_return in (
        MonthlyReturn.objects.filter(
            status=ReturnStatus.DRAFT, send_backs__isnull=False, provider__in=team_providers(user)
        )
        .select_related("provider")
        .distinct()
    ):
        items.append(
            Item(
                _("%(provider)s, %(month)s")
                % {"provider": monthly_return.provider.name, "month": date_format(monthly_return.period, "F Y")},
                f"{monthly_return.get_absolute_url()}#sent-back",
                _("Sent back for correction"),
            )
        )
    return items


def team_member_sections(user, today):
    period = collection_period(today)
    overdue, due, draft = [], [], []
    for month in (shift(period, -1), period):
        overview = assurance_selectors.collection_overview(month, today)
        for row in overview["rows"]:
            provider = row["provider"]
            if row["state"] not in (
                assurance_selectors.OVERDUE,
                assurance_selectors.NOT_STARTED,
                assurance_selectors.DRAFT,
            ):
                continue
            if not can_enter_return(user, provider):
                continue
            url = reverse("assurance:return_entry", args=[provider.code, format_period(month)])
            label = _("%(provider)s, %(month)s") % {"provider": provider.name, "month": date_format(month, "F Y")}
            deadline = overview["deadline"]
            detail = _("Due by %(date)s") % {"date": date_format(deadline, "j F Y")}
            if row["state"] == assurance_selectors.OVERDUE:
                overdue.append(Item(label, url, _("Was due by %(date)s") % {"date": date_format(deadline, "j F Y")}))
            elif row["state"] == assurance_selectors.DRAFT:
                draft.append(Item(label, url, detail))
            else:
                due.append(Item(label, url, detail))
    collection = reverse("assurance:collection")
    return [
        Section("overdue", _("Overdue returns"), _("No return of yours is overdue.")).add(overdue, collection),
        Section("due", _("Returns due"), _("No return is waiting to be started.")).add(due, collection),
        Section("draft", _("Draft returns"), _("You have no draft returns.")).add(draft, collection),
        Section("queried", _("Queried returns"), _("No value in your returns has been queried.")).add(
            queried_returns(user)
        ),
        follow_through_section(user, today),
    ]


def follow_through_section(user, today):
    """Issue 18: what the Reds of the user's providers still need (an action plan, a trajectory, a
    risk assessment) and their dates gone by, for the newest rated month (escalation.flags)."""
    latest = AreaRating.objects.aggregate(latest=Max("period"))["latest"]
    items = []
    if latest is not None:
        for entry in work_queue_items(latest, list(team_providers(user)), today):
            detail = f"{entry['label']}: {entry['detail']}"
            if entry["due"]:
                detail += " " + _("(was due %(date)s)") % {"date": date_format(entry["due"], "j F Y")}
            items.append(Item(entry["provider"].name, entry["url"], detail))
    return Section(
        "follow_through",
        _("Reds needing follow-through"),
        _("Every Red of your providers has its action plan, trajectory and risk assessment, and nothing is overdue."),
    ).add(items, reverse("reporting:dashboard") + "?follow_through=1")


# Directors ------------------------------------------------------------------------------


def escalation_url(provider):
    return reverse("escalation:provider_escalation", args=[provider.code])


def director_sections(user, today):
    step_downs = [
        Item(
            proposal.provider.name,
            escalation_url(proposal.provider),
            _("Step down from level %(from)s to %(to)s, raised %(date)s")
            % {
                "from": proposal.from_level,
                "to": proposal.proposed_level,
                "date": date_format(proposal.raised_at.date(), "j F Y"),
            },
        )
        for proposal in StepDownProposal.objects.filter(status=ProposalStatus.PENDING)
        .select_related("provider")
        .order_by("raised_at")
        if user.owns_level(proposal.from_level)
    ]

    reviews = []
    for escalation in ProviderEscalation.objects.filter(review_date__lt=today).select_related("provider"):
        reviews.append((escalation.review_date, escalation.provider, _("Escalation level review")))
    for plan in ActionPlan.objects.filter(status=PlanStatus.OPEN, next_review__lt=today).select_related("provider"):
        reviews.append((plan.next_review, plan.provider, _("Action plan: %(title)s") % {"title": plan.title}))
    for risk in Risk.objects.filter(status=PlanStatus.OPEN, review_date__lt=today).select_related("provider"):
        if risk.provider is not None:
            reviews.append((risk.review_date, risk.provider, _("Risk: %(title)s") % {"title": risk.title}))
    reviews.sort(key=lambda review: review[0])
    review_items = [
        Item(
            provider.name,
            escalation_url(provider),
            _("%(what)s, was due %(date)s") % {"what": what, "date": date_format(when, "j F Y")},
        )
        for when, provider, what in reviews
    ]

    overdue = []
    for action in (
        MeetingAction.objects.filter(status=ActionStatus.OPEN, due_date__lt=today)
        .select_related("meeting__provider")
        .order_by("due_date")
    ):
        provider = action.meeting.provider
        overdue.append(
            Item(
                provider.name,
                escalation_url(provider),
                _("Action “%(action)s” (%(owner)s), was due %(date)s")
                % {"action": action.description, "owner": action.owner, "date": date_format(action.due_date, "j F Y")},
            )
        )
    escalated = list(
        ProviderEscalation.objects.filter(level__gte=2).select_related("provider").order_by("-level", "provider__name")
    )
    late_meetings = providers_with_overdue_meetings([e.provider_id for e in escalated], today)
    for escalation in escalated:
        if escalation.provider_id in late_meetings:
            overdue.append(
                Item(
                    escalation.provider.name,
                    escalation_url(escalation.provider),
                    _("A meeting is overdue (level %(level)s)") % {"level": escalation.level},
                )
            )

    latest = AreaRating.objects.aggregate(latest=Max("period"))["latest"]
    red_rows = []  # (provider name, code, area) of each Red area with no open plan
    if latest is not None:
        planned = set(ActionPlan.objects.filter(status=PlanStatus.OPEN).values_list("provider_id", "area"))
        red_rows = [
            (name, code, area)
            for provider_id, name, code, area in AreaRating.objects.filter(period=latest, rag=Rag.RED)
            .order_by("provider__name", "area")
            .values_list("provider_id", "provider__name", "provider__code", "area")
            if (provider_id, area) not in planned
        ]
    area_labels = dict(Area.choices)

    def red_item(row):
        name, code, area = row
        return Item(
            f"{name}: {area_labels[area]}",
            reverse("escalation:action_plan_create", args=[code]) + f"?area={area}",
            _("Red in %(month)s, no open action plan") % {"month": date_format(latest, "F Y")},
        )

    dashboard = reverse("reporting:dashboard")
    return [
        Section(
            "step_downs", _("Step-downs awaiting your decision"), _("No step-down is waiting for your decision.")
        ).add(step_downs),
        Section("reviews", _("Reviews past due"), _("No review is past due.")).add(review_items),
        Section("overdue_meetings", _("Overdue meetings and actions"), _("No meeting or action is overdue.")).add(
            overdue, dashboard + "?overdue=on"
        ),
        Section("red_areas", _("Red areas without an action plan"), _("Every Red area has an action plan.")).add(
            red_rows, dashboard, make=red_item
        ),
    ]


# Joint Committee and administrators ------------------------------------------------------


def committee_sections(user, today):
    from reporting.selectors import packs_visible_to  # noqa: PLC0415 - the selectors package imports this app's models

    packs = [
        Item(
            pack.committee.display_name,
            reverse("reporting:pack_detail", args=[pack.pk]),
            date_format(pack.period, "F Y"),
        )
        for pack in packs_visible_to(user).filter(status="ready").order_by("-period", "-pk")[:SHOWN]
    ]
    return [
        Section("packs", _("Newest committee packs"), _("No committee pack has been published yet.")).add(
            packs, reverse("reporting:pack_archive")
        )
    ]


def pending_invitations():
    """Invitations not yet accepted (providers.selectors, issue 15)."""
    from providers import selectors as provider_selectors  # noqa: PLC0415 - optional until issue 15 lands

    finder = getattr(provider_selectors, "pending_invitations", None)
    return list(finder().select_related("user")) if finder else []


def administrator_sections(user, today):
    horizon = add_months(today, 6)
    renewals = [
        Item(
            f"{contract.reference}: {contract.provider.name}",
            reverse("contracts:contract_detail", args=[contract.pk]),
            (_("Renewal was due %(date)s") if contract.renewal_due < today else _("Due for renewal %(date)s"))
            % {"date": date_format(contract.renewal_due, "j F Y")},
        )
        for contract in Contract.objects.with_tier()
        .exclude(status__in=[ContractStatus.EXPIRED, ContractStatus.INACTIVE])
        .filter(renewal_due__lte=horizon)
        .select_related("provider")
        .order_by("renewal_due", "reference")
    ]
    invitations = [
        Item(
            invitation.user.display_name,
            reverse("people:detail", args=[invitation.user.pk]),
            _("Invited %(date)s, expires %(expires)s")
            % {
                "date": date_format(invitation.created_at.date(), "j F Y"),
                "expires": date_format(invitation.expires_at.date(), "j F Y"),
            },
        )
        for invitation in pending_invitations()
    ]
    return [
        Section(
            "renewals",
            _("Contracts due for renewal within six months"),
            _("No contract is due for renewal in the next six months."),
        ).add(renewals, reverse("contracts:contract_list") + "?renewal=6"),
        Section("invitations", _("Invitations not yet accepted"), _("Every invitation has been accepted.")).add(
            invitations, reverse("people:list")
        ),
    ]


ROLE_QUEUES = [
    (TEAM_MEMBER, gettext_lazy("Your returns"), team_member_sections),
    (DIRECTOR, gettext_lazy("Awaiting you as a director"), director_sections),
    (COMMITTEE_MEMBER, gettext_lazy("For the Joint Committee"), committee_sections),
    (ADMINISTRATOR, gettext_lazy("The register"), administrator_sections),
]


def work_queue(user, today: date):
    """[(role heading, [Section])] for each of the user's roles, in the order of DESIGN.md."""
    return [(heading, build(user, today)) for role, heading, build in ROLE_QUEUES if user.has_role(role)]
