"""The escalation page: who sees it, who decides a step-down, manual escalation, overrides."""

import pytest
from django.urls import reverse

from assurance.models import AreaOverride, AreaRating, ProviderRating, RatingRun
from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(catalogue):
    """A provider at level 3 with a pending step-down to level 1."""
    provider = provider_with_contract()
    for month, values in zip(M, [month_values(3, 0, 2)] + [month_values(5)] * 3, strict=False):
        report(provider, month, values, catalogue)
        run_period(month)
    return provider, StepDownProposal.objects.get(status="pending")


def url(provider, name="provider_escalation", *args):
    return reverse(f"escalation:{name}", args=[provider.code, *args])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("team_member", 200), ("service_director", 200), ("administrator", 200), ("committee_member", 403)],
)
def test_who_sees_the_escalation_page(as_user, pending, persona, status):
    provider, _proposal = pending
    assert as_user(persona).get(url(provider)).status_code == status


def test_only_the_owner_of_the_level_sees_and_uses_the_decision_form(as_user, pending):
    provider, proposal = pending
    page = as_user("service_director").get(url(provider)).content.decode()
    assert "Step-down proposed: level 3 to level 1" in page and "Record my decision" not in page
    refused = as_user("service_director").post(
        url(provider, "decide_proposal", proposal.pk), {"decision": "approve", "rationale": "ok"}
    )
    assert refused.status_code == 403
    client = as_user("executive_director")
    assert "Record my decision" in client.get(url(provider)).content.decode()
    missing = client.post(url(provider, "decide_proposal", proposal.pk), {"decision": "approve", "rationale": ""})
    assert "Give the rationale for your decision." in missing.content.decode()
    client.post(url(provider, "decide_proposal", proposal.pk), {"decision": "approve", "rationale": "Sustained"})
    assert ProviderEscalation.objects.get(provider=provider).level == 1
    timeline = client.get(url(provider)).content.decode().split("Decision timeline")[1]
    assert "Step-down approved" in timeline and "Sustained" in timeline


def test_a_director_escalates_by_hand_with_reasons(
    as_user, pending, mailoutbox, chief_executive, django_capture_on_commit_callbacks
):
    provider, proposal = pending
    chief_executive.email = "ceo@example.nhs.wales"
    chief_executive.save()
    client = as_user("service_director")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(provider, "escalate"),
            {"to_level": "4", "reasons": ["media_exposure"], "rationale": "Covert filming broadcast"},
        )
    assert response.status_code == 302
    decision = EscalationDecision.objects.get(kind="manual_step_up")
    assert (decision.from_level, decision.to_level, decision.reasons) == (3, 4, ["media_exposure"])
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert [m.to for m in mailoutbox] == [["ceo@example.nhs.wales"]]
    page = client.get(url(provider)).content.decode()
    assert "Serious media exposure or covert reporting" in page


def test_team_members_cannot_escalate_or_override(as_user, pending):
    provider, _proposal = pending
    client = as_user("team_member")
    assert (
        client.post(
            url(provider, "escalate"), {"to_level": "4", "reasons": ["media_exposure"], "rationale": "x"}
        ).status_code
        == 403
    )
    assert client.post(url(provider, "override"), {"area": "access", "rag": "R", "rationale": "x"}).status_code == 403
    assert not AreaOverride.objects.exists()


def test_an_override_shows_computed_and_override_side_by_side(
    as_user, pending, executive_director, django_capture_on_commit_callbacks
):
    provider, _proposal = pending
    client = as_user("executive_director")
    with django_capture_on_commit_callbacks(execute=True):  # the re-rate is asked for once the override commits
        response = client.post(
            url(provider, "override"), {"area": "governance", "rag": "A", "rationale": "Inspection notice"}, follow=True
        )
    assert "The override has been recorded" in response.content.decode()
    run = RatingRun.objects.get()
    assert (run.trigger, run.requested_by, run.periods, run.status) == (
        "override",
        executive_director,
        ["2026-04"],
        "done",
    )
    area = AreaRating.objects.get(provider=provider, period=M[3], area="governance")
    assert (area.computed_rag, area.rag) == ("G", "A")
    page = client.get(url(provider)).content.decode()
    overrides = page.split('id="overrides"')[1]
    assert "Inspection notice" in overrides and executive_director.get_full_name() in overrides
    assert ProviderRating.objects.get(provider=provider, period=M[3]).ambers == 1


def test_step_up_and_proposal_emails(catalogue, mailoutbox, executive_director, django_capture_on_commit_callbacks):
    """The role for the new level is told of a step-up; the owner of the level of a proposal."""
    executive_director.email = "exec@example.nhs.wales"
    executive_director.save()
    provider = provider_with_contract()
    plan = [month_values(5), month_values(4, 0, 1), month_values(5), month_values(5), month_values(5)]
    for month, values in zip(M, plan, strict=False):
        report(provider, month, values, catalogue)
    with django_capture_on_commit_callbacks(execute=True):
        run_period(M[0])
        run_period(M[1])
    assert [m.to for m in mailoutbox] == [["exec@example.nhs.wales"]]
    assert "escalated to level 3" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        for month in M[2:5]:
            run_period(month)
    assert len(mailoutbox) == 2
    assert "Step-down proposed" in mailoutbox[1].subject and mailoutbox[1].to == ["exec@example.nhs.wales"]
