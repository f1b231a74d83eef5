"""The home page is each person's work queue, from the data (issue 17)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from assurance.models import AreaRating, MonthlyReturn
from contracts.models import Contract
from escalation.models import ProviderEscalation, StepDownProposal
from reporting.work_queue import work_queue
from tests.contracts.factories import ContractFactory
from tests.escalation.factories import ActionPlanFactory, MeetingActionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)  # collecting October 2026 (due 15 November); September is overdue


def sections(user):
    return {section.key: section for _heading, group in work_queue(user, TODAY) for section in group}


@pytest.fixture
def cardiac_provider(catalogue):
    return ContractFactory(
        provider__code="7A4",
        provider__name="Cardiff and Vale",
        start_date=date(2025, 4, 1),
        end_date=date(2028, 3, 31),
    ).provider


def test_a_team_member_sees_their_overdue_and_draft_returns_with_links(
    team_member, other_team_member, cardiac_provider
):
    MonthlyReturn.objects.create(provider=cardiac_provider, period=date(2026, 10, 1), status="draft")
    queue = sections(team_member)
    assert [item.label for item in queue["overdue"].items] == ["Cardiff and Vale, September 2026"]
    assert queue["overdue"].items[0].url == reverse("assurance:return_entry", args=["7A4", "2026-09"])
    assert [item.label for item in queue["draft"].items] == ["Cardiff and Vale, October 2026"]
    assert queue["draft"].items[0].detail == "Due by 15 November 2026"
    assert queue["overdue"].count == 1 and queue["due"].count == 0
    # Another team's member is not given the provider's return to do.
    other = sections(other_team_member)
    assert other["overdue"].count == 0 and other["draft"].count == 0
    assert other["overdue"].empty == "No return of yours is overdue."


def test_a_director_sees_step_downs_they_own_reviews_actions_and_red_areas_without_a_plan(
    service_director, executive_director, cardiac_provider
):
    ProviderEscalation.objects.create(
        provider=cardiac_provider,
        level=2,
        since=datetime(2026, 6, 1, tzinfo=UTC),
        review_date=date(2026, 11, 1),
    )
    StepDownProposal.objects.create(
        provider=cardiac_provider,
        period=date(2026, 10, 1),
        from_level=2,
        proposed_level=1,
        raised_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    MeetingActionFactory(meeting__provider=cardiac_provider, description="Send the plan", due_date=date(2026, 11, 1))
    AreaRating.objects.create(provider=cardiac_provider, period=date(2026, 10, 1), area="access", rag="R")
    AreaRating.objects.create(provider=cardiac_provider, period=date(2026, 10, 1), area="governance", rag="R")
    ActionPlanFactory(provider=cardiac_provider, area="governance", next_review=date(2027, 1, 15))

    queue = sections(service_director)
    assert [item.label for item in queue["step_downs"].items] == ["Cardiff and Vale"]
    assert queue["step_downs"].items[0].url == reverse("escalation:provider_escalation", args=["7A4"])
    assert "Escalation level review" in queue["reviews"].items[0].detail
    assert any("Send the plan" in item.detail for item in queue["overdue_meetings"].items)
    assert [item.label for item in queue["red_areas"].items] == ["Cardiff and Vale: Access"]
    assert queue["red_areas"].items[0].url.endswith("/action-plans/new/?area=access")
    # Level 2 belongs to the Service Director: the Executive Director is not asked to decide it.
    assert sections(executive_director)["step_downs"].count == 0


def test_an_administrator_sees_contracts_due_for_renewal(administrator, cardiac_provider):
    Contract.objects.update(end_date=date(2027, 3, 31))
    queue = sections(administrator)
    assert queue["renewals"].count == 1
    assert "Due for renewal 31 March 2027" in queue["renewals"].items[0].detail
    assert queue["invitations"].empty


def test_the_home_page_lists_the_queue_with_counts_and_empty_states(as_user, cardiac_provider):
    page = as_user("team_member").get("/").content.decode()
    assert "Overdue returns" in page and "Cardiff and Vale, " in page  # (months depend on today)
    assert "No value in your returns has been queried." in page
    page = as_user("committee_member").get("/").content.decode()
    assert "No committee pack has been published yet." in page
    assert "Overdue returns" not in page
