"""What a Red needs (seed 003, section 8; issue 18): an action plan, a trajectory and a risk
assessment for every Red area or indicator and every provider at level 3 or 4; and what has
gone past its date."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from assurance.models import AreaRating, IndicatorRating, ProviderRating, Trajectory
from assurance.rules import follow_through as rules
from escalation.flags import ACTION_DUE, ESCALATION_REVIEW, MEETING_DUE, PLAN_REVIEW, RISK_REVIEW, follow_through
from escalation.models import ProviderEscalation
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory
from tests.escalation.estate import provider_with_contract
from tests.escalation.factories import ActionPlanFactory, MeetingActionFactory, MeetingFactory, RiskFactory

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 30)
PLAN, TRAJ, RISK = rules.ACTION_PLAN, rules.TRAJECTORY, rules.RISK_ASSESSMENT


# The rules, as the seed reads -----------------------------------------------------------------

# has an action plan | has a trajectory | has a risk assessment -> what is missing
MISSING = [
    (True, True, True, ()),
    (False, True, True, (PLAN,)),
    (True, False, True, (TRAJ,)),
    (True, True, False, (RISK,)),
    (False, False, False, (PLAN, TRAJ, RISK)),
    (False, None, False, (PLAN, RISK)),  # a judgement indicator is not asked for a trajectory
    (None, None, None, ()),  # nothing asked of it
]


@pytest.mark.parametrize(("plan", "trajectory", "risk", "missing"), MISSING)
def test_what_a_red_lacks(plan, trajectory, risk, missing):
    assert rules.missing_for_red(has_action_plan=plan, has_trajectory=trajectory, has_risk_assessment=risk) == missing


# escalation level | RAG -> needs the three
NEEDS = [(1, None, False), (2, "A", False), (2, "R", True), (3, None, True), (4, "G", True), (None, "R", True)]


@pytest.mark.parametrize(("level", "rag", "needs"), NEEDS)
def test_red_or_level_three_and_four_need_follow_through(level, rag, needs):
    assert rules.needs_follow_through(escalation_level=level, rag=rag) is needs


# due | today | done -> overdue
OVERDUE = [
    (date(2026, 6, 16), date(2026, 11, 30), False, True),  # "Next review 16 June 2026" gone by
    (date(2026, 11, 30), date(2026, 11, 30), False, False),  # due today is not overdue
    (date(2026, 12, 1), date(2026, 11, 30), False, False),
    (date(2026, 6, 16), date(2026, 11, 30), True, False),  # done: nothing overdue
    (None, date(2026, 11, 30), False, False),
]


@pytest.mark.parametrize(("due", "today", "done", "overdue"), OVERDUE)
def test_dates_gone_by_are_overdue(due, today, done, overdue):
    assert rules.is_overdue(due, today, done=done) is overdue


# The read ---------------------------------------------------------------------------------------


def red(provider, area, *indicators, level=None):
    AreaRating.objects.create(provider=provider, period=OCT, area=area, computed_rag="R", rag="R")
    for indicator in indicators:
        IndicatorRating.objects.create(provider=provider, indicator=indicator, period=OCT, rag="R", reason="off_target")
    ProviderRating.objects.update_or_create(
        provider=provider, period=OCT, defaults={"reds": 1, "recommended_level": 3, "escalation_level": level}
    )


def needs(flags):
    return sorted(
        (item.area, m.need, m.indicator.code if m.indicator else None) for item in flags.items for m in item.missing
    )


@pytest.mark.django_db
def test_a_red_area_with_nothing_is_flagged_for_all_three():
    provider = provider_with_contract()
    indicator = IndicatorFactory(code="hcai")
    red(provider, "quality_safety", indicator, level=2)

    flags = follow_through(OCT, [provider.pk], TODAY)[provider.pk]

    assert needs(flags) == [
        ("quality_safety", PLAN, None),  # said once, for the area
        ("quality_safety", RISK, None),
        ("quality_safety", TRAJ, "hcai"),
    ]
    assert flags.flagged


@pytest.mark.django_db
def test_a_red_area_with_its_plan_trajectory_and_risk_is_not_flagged():
    provider = provider_with_contract()
    indicator = IndicatorFactory(code="hcai")
    red(provider, "quality_safety", indicator, level=2)
    ActionPlanFactory(provider=provider, area="quality_safety", indicator=None)
    Trajectory.objects.create(provider=provider, indicator=indicator, period=date(2026, 12, 1), value=95)
    RiskFactory(provider=provider, area="quality_safety")

    flags = follow_through(OCT, [provider.pk], TODAY)[provider.pk]

    assert needs(flags) == []
    assert [item.area for item in flags.items] == ["quality_safety"]  # still listed: it is Red


@pytest.mark.django_db
def test_old_trajectories_closed_plans_and_other_areas_risks_do_not_count():
    provider = provider_with_contract()
    indicator = IndicatorFactory(code="hcai")
    red(provider, "quality_safety", indicator, level=2)
    ActionPlanFactory(provider=provider, area="quality_safety", status="closed")
    Trajectory.objects.create(provider=provider, indicator=indicator, period=date(2026, 9, 1), value=95)
    RiskFactory(provider=provider, area="access")

    assert needs(follow_through(OCT, [provider.pk], TODAY)[provider.pk]) == [
        ("quality_safety", PLAN, None),
        ("quality_safety", RISK, None),
        ("quality_safety", TRAJ, "hcai"),
    ]


@pytest.mark.django_db
def test_a_red_indicator_in_an_area_that_is_not_red_needs_its_own_plan():
    provider = provider_with_contract()
    covered, uncovered = IndicatorFactory(code="a"), IndicatorFactory(code="b")
    judgement = JudgementIndicatorFactory(code="c", area="quality_safety")
    for indicator in (covered, uncovered, judgement):
        IndicatorRating.objects.create(provider=provider, indicator=indicator, period=OCT, rag="R", reason="x")
    ActionPlanFactory(provider=provider, area="quality_safety", indicator=covered)
    Trajectory.objects.create(provider=provider, indicator=covered, period=OCT, value=95)
    RiskFactory(provider=provider, area="quality_safety")

    assert needs(follow_through(OCT, [provider.pk], TODAY)[provider.pk]) == [
        ("quality_safety", PLAN, "b"),
        ("quality_safety", PLAN, "c"),
        ("quality_safety", TRAJ, "b"),  # the judgement indicator is not asked for a trajectory
    ]


@pytest.mark.django_db
def test_a_provider_at_level_three_needs_the_three_whatever_its_areas():
    provider = provider_with_contract()
    ProviderEscalation.objects.create(provider=provider, level=3, since=timezone.now())

    flags = follow_through(OCT, [provider.pk], TODAY)[provider.pk]

    assert flags.level == 3
    assert needs(flags) == [(None, PLAN, None), (None, RISK, None), (None, TRAJ, None)]


@pytest.mark.django_db
def test_dates_gone_by_are_listed_oldest_first():
    provider = provider_with_contract()
    ProviderEscalation.objects.create(provider=provider, level=2, since=timezone.now(), review_date=date(2026, 6, 16))
    ActionPlanFactory(provider=provider, title="Theatre recovery", next_review=date(2026, 9, 30))
    ActionPlanFactory(provider=provider, next_review=date(2026, 9, 1), status="closed")  # closed: not flagged
    RiskFactory(provider=provider, title="Staffing", review_date=date(2026, 11, 1))
    meeting = MeetingFactory(provider=provider, date=TODAY)  # a CQPRM held today: not overdue
    MeetingActionFactory(meeting=meeting, description="Send the RTT plan", due_date=date(2026, 10, 20))
    MeetingActionFactory(meeting=meeting, due_date=date(2026, 10, 1), status="done")

    overdue = follow_through(OCT, [provider.pk], TODAY)[provider.pk].overdue

    assert [(o.what, o.due, o.detail) for o in overdue if o.what != MEETING_DUE] == [
        (ESCALATION_REVIEW, date(2026, 6, 16), "Level 2"),
        (PLAN_REVIEW, date(2026, 9, 30), "Theatre recovery"),
        (ACTION_DUE, date(2026, 10, 20), "Send the RTT plan"),
        (RISK_REVIEW, date(2026, 11, 1), "Staffing"),
    ]


@pytest.mark.django_db
def test_a_meeting_due_and_not_held_is_overdue():
    provider = provider_with_contract()
    ProviderEscalation.objects.create(provider=provider, level=3, since=timezone.now())
    MeetingFactory(provider=provider, kind="cqprm", date=date(2026, 9, 15))  # monthly at level 3

    overdue = follow_through(OCT, [provider.pk], TODAY)[provider.pk].overdue

    assert (MEETING_DUE, date(2026, 10, 15)) in [(o.what, o.due) for o in overdue]


@pytest.mark.django_db
def test_every_provider_asked_about_has_an_answer_in_a_few_queries(django_assert_max_num_queries):
    providers = [provider_with_contract(code) for code in ("A1", "A2", "A3")]
    red(providers[0], "access", IndicatorFactory(area="access"))
    with django_assert_max_num_queries(16):
        flags = follow_through(OCT, [p.pk for p in providers], TODAY)
    assert set(flags) == {p.pk for p in providers}
    assert flags[providers[0].pk].missing_count == 3
    assert flags[providers[1].pk].missing_count == 0


@pytest.mark.django_db
def test_the_work_queue_lists_overdue_first_then_what_is_missing():
    from escalation.flags import work_queue_items

    provider = provider_with_contract()
    red(provider, "access", IndicatorFactory(area="access", code="rtt"))
    ActionPlanFactory(provider=provider, area="access", title="RTT recovery", next_review=date(2026, 9, 30))
    items = work_queue_items(OCT, [provider], TODAY)
    assert [(i["kind"], i["what"]) for i in items][:1] == [("overdue", PLAN_REVIEW)]
    assert ("missing", RISK, "access") in [(i["kind"], i["what"], i["area"]) for i in items]
    assert all(i["url"].startswith(f"/providers/{provider.code}/#") for i in items)


@pytest.mark.django_db
def test_the_provider_page_and_the_dashboard_show_the_flags(as_user):
    provider = provider_with_contract()
    red(provider, "access", IndicatorFactory(area="access", code="rtt"), level=3)
    green = provider_with_contract("GRN")
    ProviderRating.objects.create(provider=green, period=OCT, recommended_level=1, escalation_level=1)
    client = as_user("executive_director")

    page = client.get(f"/providers/{provider.code}/").content.decode()
    assert "What the Reds need" in page
    assert "No action plan" in page and "No risk assessment" in page

    flagged = client.get("/dashboard/", {"period": "2026-10", "follow_through": "1"}).content.decode()
    everyone = client.get("/dashboard/", {"period": "2026-10"}).content.decode()
    assert provider.name in flagged and green.name in everyone
    assert green.name not in flagged  # nothing Red, nothing overdue but its meetings (a filter of their own)


@pytest.mark.django_db
def test_a_red_areas_recovery_plan_covers_its_red_indicators():
    provider = provider_with_contract()
    first, second = IndicatorFactory(code="a"), IndicatorFactory(code="b")
    red(provider, "quality_safety", first, second, level=3)
    ActionPlanFactory(provider=provider, area="quality_safety", indicator=first)
    RiskFactory(provider=provider, area="quality_safety")
    for indicator in (first, second):
        Trajectory.objects.create(provider=provider, indicator=indicator, period=OCT, value=95)
    assert needs(follow_through(OCT, [provider.pk], TODAY)[provider.pk]) == []


@pytest.mark.django_db
def test_a_routine_providers_review_date_is_not_flagged():
    provider = provider_with_contract()
    ProviderEscalation.objects.create(provider=provider, level=1, since=timezone.now(), review_date=date(2026, 6, 16))
    overdue = follow_through(OCT, [provider.pk], TODAY)[provider.pk].overdue
    assert ESCALATION_REVIEW not in [o.what for o in overdue]


@pytest.mark.django_db
def test_the_team_members_work_queue_lists_their_providers_follow_through(objects, team_member, other_team_member):
    from providers.models import Provider
    from reporting.work_queue import work_queue

    provider = Provider.objects.get(code=objects["a"])  # Alice's team's
    red(provider, "access", IndicatorFactory(area="access", code="rtt"), level=3)

    def section(user):
        return next(s for _h, group in work_queue(user, TODAY) for s in group if s.key == "follow_through")

    assert any("No risk assessment" in item.detail for item in section(team_member).items)
    assert all(item.label == provider.name for item in section(team_member).items)
    assert provider.name not in [item.label for item in section(other_team_member).items]  # not Bob's provider


@pytest.mark.django_db
def test_what_the_provider_page_already_read_gives_the_same_flags():
    """The provider page hands follow_through the records it has read (issue 20: six queries fewer);
    the flags are the same as when follow_through reads them itself, plans, risks and dates gone by."""
    from escalation.flags import Known
    from escalation.models import ActionPlan, Risk

    provider = provider_with_contract()
    hcai, falls = IndicatorFactory(code="hcai"), IndicatorFactory(code="falls", area="governance")
    red(provider, "quality_safety", hcai, level=3)
    red(provider, "governance", falls, level=3)
    ActionPlanFactory(provider=provider, area="quality_safety", indicator=None, next_review=date(2026, 10, 1))
    ActionPlanFactory(provider=provider, area="governance", indicator=falls, status="closed")
    Trajectory.objects.create(provider=provider, indicator=hcai, period=date(2026, 12, 1), value=95)
    Trajectory.objects.create(provider=provider, indicator=falls, period=date(2026, 6, 1), value=95)
    RiskFactory(provider=provider, area="governance", review_date=date(2026, 9, 1))
    ProviderEscalation.objects.update_or_create(
        provider=provider,
        defaults={"level": 3, "since": timezone.make_aware(datetime(2026, 7, 1)), "review_date": date(2026, 8, 1)},
    )

    read = follow_through(OCT, [provider.pk], TODAY)[provider.pk]
    known = Known(
        escalation=ProviderEscalation.objects.get(provider=provider),
        plans=list(ActionPlan.objects.filter(provider=provider)),
        risks=list(Risk.objects.filter(provider=provider)),
        trajectories=list(Trajectory.objects.filter(provider=provider).order_by("period")),
    )
    given = follow_through(OCT, [provider.pk], TODAY, known=known)[provider.pk]
    assert (given.level, needs(given), given.overdue) == (read.level, needs(read), read.overdue)
    assert needs(read) and read.overdue  # something to compare
