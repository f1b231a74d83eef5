"""Meetings with actions, action plans and risks on the provider's escalation page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation.models import ActionPlan, Meeting, MeetingAction, ProviderEscalation, Risk
from escalation.selectors import meeting_schedule
from providers.models import CommissioningTeam
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(db):
    return ContractFactory(provider__code="7A4", annual_value=45_000_000, total_value=90_000_000).provider


def url(provider, name, *args):
    return reverse(f"escalation:{name}", args=[provider.code, *args])


def test_a_summit_starts_with_the_appendix_2_agenda(as_user, provider):
    page = as_user("team_member").get(url(provider, "meeting_create") + "?kind=provider_summit").content.decode()
    assert "How concerned should we be?" in page and "No surprises" in page


def test_a_team_member_records_a_meeting_with_actions(as_user, provider, team_member):
    client = as_user("team_member")
    data = {
        "kind": "cqprm",
        "date": "2026-11-05",
        "chair": "Executive Director of Planning",
        "attendees": "",
        "agenda": "",
        "minutes": "Recovery discussed",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Send the recovery plan",
        "actions-0-owner": "COO",
        "actions-0-due_date": "2026-11-20",
        "actions-0-status": "open",
        # The browser sends the status select of the blank rows too (unchanged from its initial value).
        "actions-1-status": "open",
        "actions-2-status": "open",
    }
    response = client.post(url(provider, "meeting_create"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.recorded_by, meeting.provider) == (team_member, provider)
    assert MeetingAction.objects.get().owner == "COO"
    bad = client.post(url(provider, "meeting_create"), {**data, "actions-0-due_date": "soon", "chair": ""})
    page = bad.content.decode()
    assert "There is a problem" in page and "Action 1:" in page
    assert Meeting.objects.count() == 1


def test_another_team_and_the_committee_cannot_record(as_user, provider):
    for persona in ("other_team_member", "committee_member"):
        assert as_user(persona).get(url(provider, "meeting_create")).status_code == 403
        assert as_user(persona).post(url(provider, "risk_create"), {"title": "x"}).status_code == 403
    assert not Risk.objects.exists()


def test_meetings_due_follow_tier_and_level(provider, team_member):
    today = date(2026, 11, 22)
    rows = {r["kind"]: r for r in meeting_schedule(provider, today)}
    assert set(rows) == {"sla", "exec_to_exec"}  # tier 1 (>= £40m), no escalation yet
    ProviderEscalation.objects.create(provider=provider, level=3, since=timezone.now())
    Meeting.objects.create(provider=provider, kind="cqprm", date=date(2026, 10, 1), chair="x", recorded_by=team_member)
    rows = {r["kind"]: r for r in meeting_schedule(provider, today)}
    assert rows["cqprm"]["due"] == date(2026, 11, 1) and rows["cqprm"]["overdue"]
    assert rows["sla"]["overdue"]  # never held


def test_risk_score_and_register(as_user, provider):
    client = as_user("service_director")
    response = client.post(
        url(provider, "risk_create"),
        {
            "title": "Theatre staffing",
            "likelihood": "3",
            "consequence": "5",
            "owner": "Quality lead",
            "review_date": "2027-01-31",
            "status": "open",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.score, risk.register) == (15, "corporate")
    page = client.get(url(provider, "provider_escalation")).content.decode()
    assert "Corporate risk register" in page
    bad = client.post(
        url(provider, "risk_create"),
        {
            "title": "x",
            "likelihood": "6",
            "consequence": "1",
            "owner": "x",
            "review_date": "2027-01-31",
            "status": "open",
        },
    )
    assert bad.status_code == 200 and Risk.objects.count() == 1


def test_an_action_plan_for_a_red_indicator_shows_its_trajectory(as_user, provider):
    from assurance.models import Trajectory

    indicator = IndicatorFactory(area="access", setting="planned", name="RTT 26 weeks (%)")
    Trajectory.objects.create(provider=provider, indicator=indicator, period=date(2026, 12, 1), value=88)
    client = as_user("team_member")
    data = {
        "area": "access",
        "indicator": indicator.pk,
        "title": "RTT recovery",
        "actions": "Weekend lists",
        "review_points": "Monthly CQPRM",
        "next_review": "2026-12-15",
        "risk_assessment": "Harm from waits",
        "owner": "COO",
        "status": "open",
    }
    wrong_area = client.post(url(provider, "action_plan_create"), {**data, "area": "governance"})
    assert "Choose an indicator in the same key area as the plan." in wrong_area.content.decode()
    assert client.post(url(provider, "action_plan_create"), data).status_code == 302
    plan = ActionPlan.objects.get()
    page = client.get(url(provider, "provider_escalation")).content.decode()
    assert "RTT recovery" in page and "Dec 2026 88" in page
    assert plan.created_by.username == "alice"


def test_overdue_actions_are_flagged(as_user, provider, team_member):
    meeting = Meeting.objects.create(
        provider=provider, kind="sla", date=date(2026, 9, 1), chair="x", recorded_by=team_member
    )
    MeetingAction.objects.create(
        meeting=meeting, description="Late thing", owner="x", due_date=timezone.localdate() - timedelta(days=1)
    )
    page = as_user("team_member").get(url(provider, "provider_escalation")).content.decode()
    assert "Late thing" in page and page.split("Late thing")[1].split("</li>")[0].count("Overdue") == 1


def test_team_member_of_the_provider_only(as_user, provider):
    other = ContractFactory(commissioning_team=CommissioningTeam.objects.get(code="mental_health")).provider
    assert as_user("team_member").get(url(other, "risk_create")).status_code == 403
