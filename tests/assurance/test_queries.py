"""Queries on values and return for correction (issue 17): who may, what is kept, who is told."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from assurance.models import MonthlyReturn, QueryComment, ReturnSentBack, ValueQuery
from reporting.work_queue import queried_returns
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"


@pytest.fixture
def submitted(team_member):
    """Alice's team's provider, with a submitted September return."""
    team_member.email = "alice@example.nhs.uk"
    team_member.save()
    provider = ContractFactory(
        provider__code="7A4", provider__name="Cardiff and Vale", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)
    ).provider
    indicator = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access")
    monthly_return = MonthlyReturn.objects.create(provider=provider, period=date(2026, 9, 1), status="submitted")
    return {"provider": provider, "indicator": indicator, "return": monthly_return}


def url(name, *extra):
    return reverse(f"assurance:{name}", args=["7A4", PERIOD, *extra])


def test_a_director_queries_a_value_the_team_answers_and_closes_it(
    as_user, submitted, service_director, team_member, django_capture_on_commit_callbacks
):
    director = as_user("service_director")
    with django_capture_on_commit_callbacks(execute=True):
        response = director.post(
            url("query_raise"), {"indicator": submitted["indicator"].pk, "text": "Is 12% right?", "follow_up": "1"}
        )
    assert response.status_code == 302 and response["Location"].endswith("#queries")
    query = ValueQuery.objects.get()
    assert (query.raised_by, query.follow_up, query.status) == (service_director, True, "open")
    assert [m.to for m in mail.outbox] == [["alice@example.nhs.uk"]]
    assert "RTT 26 weeks (%)" in mail.outbox[0].body and "/returns/7A4/2026-09/" in mail.outbox[0].body
    assert [item.detail for item in queried_returns(team_member)] == ["Query on RTT 26 weeks (%)"]

    alice = as_user("team_member")
    alice.post(url("query_answer", query.pk), {"text": "Yes: checked with the PTL.", "reply": "1"})
    alice.post(url("query_answer", query.pk), {"text": "", "close": "1"})
    query.refresh_from_db()
    assert query.status == "closed" and query.closed_by == team_member
    assert list(QueryComment.objects.values_list("text", flat=True)) == ["Is 12% right?", "Yes: checked with the PTL."]
    page = alice.get(url("return_entry")).content.decode()
    assert "Yes: checked with the PTL." in page and "Closed by" in page
    assert queried_returns(team_member) == []


def test_a_query_needs_a_comment(as_user, submitted):
    as_user("service_director").post(url("query_raise"), {"indicator": submitted["indicator"].pk, "text": " "})
    assert not ValueQuery.objects.exists()


def test_another_team_and_the_committee_may_not_query(as_user, submitted):
    for persona in ("other_team_member", "committee_member"):
        response = as_user(persona).post(url("query_raise"), {"indicator": submitted["indicator"].pk, "text": "?"})
        assert response.status_code == 403, persona
    assert not ValueQuery.objects.exists()


def test_a_director_sends_a_submitted_return_back_and_the_team_resubmits(
    as_user, submitted, service_director, team_member, django_capture_on_commit_callbacks
):
    monthly_return = submitted["return"]
    page = as_user("service_director").get(url("return_entry")).content.decode()
    assert "Send back to draft" in page
    with django_capture_on_commit_callbacks(execute=True):
        as_user("service_director").post(url("return_send_back"), {"reason": "Values are for August."})
    monthly_return.refresh_from_db()
    assert monthly_return.status == "draft" and monthly_return.version == 1
    sent = ReturnSentBack.objects.get()
    assert (sent.sent_by, sent.reason) == (service_director, "Values are for August.")
    assert any("sent back" in m.subject for m in mail.outbox)
    page = as_user("team_member").get(url("return_entry")).content.decode()
    assert "Sent back for correction" in page and "Values are for August." in page
    assert [item.detail for item in queried_returns(team_member)] == ["Sent back for correction"]


def test_only_a_director_sends_back_and_only_a_submitted_return(as_user, submitted):
    assert as_user("team_member").post(url("return_send_back"), {"reason": "x"}).status_code == 403
    MonthlyReturn.objects.update(status="draft")
    assert as_user("service_director").post(url("return_send_back"), {"reason": "x"}).status_code == 403
    assert not ReturnSentBack.objects.exists()


def test_a_send_back_needs_a_reason(as_user, submitted):
    as_user("service_director").post(url("return_send_back"), {"reason": ""})
    assert MonthlyReturn.objects.get().status == "submitted"


def test_queries_and_the_sending_back_are_in_the_highlight_report(as_user, submitted):
    as_user("service_director").post(
        url("query_raise"), {"indicator": submitted["indicator"].pk, "text": "Is 12% right?", "follow_up": "1"}
    )
    as_user("service_director").post(url("return_send_back"), {"reason": "Values are for August."})
    page = as_user("service_director").get(reverse("reporting:highlight_report", args=["7A4", PERIOD])).content.decode()
    assert "Queries and corrections" in page
    assert "Is 12% right?" in page and "flagged for follow-up" in page and "Values are for August." in page
