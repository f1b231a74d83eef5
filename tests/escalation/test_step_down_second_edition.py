"""METHODOLOGY 4, second edition, through the monthly pipeline and the services: a step-down is
withdrawn when the improvement does not hold; a run starts after the latest change of level and
after the month of the latest rejected or withdrawn proposal."""

import pytest
from django.core.exceptions import ValidationError

from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_period
from escalation.services import (
    WITHDRAWN_MANUAL,
    WITHDRAWN_NOT_HELD,
    manual_step_up,
    proposal_decide,
)
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db

GREEN, TWO_REDS, ONE_RED = month_values(5), month_values(3, 0, 2), month_values(4, 0, 1)


def ambers(*areas):
    """Two Amber areas (level 2): a different pair each month, as an indicator not Green three
    months running is Red (METHODOLOGY 1, persistent)."""
    return {**GREEN, **dict.fromkeys(areas, "92")}


LEVEL_2 = [
    ambers("access", "quality_safety"),
    ambers("finance_activity", "patient_experience"),
    ambers("governance", "access"),
]


def rate(provider, catalogue, plan, start=0):
    """Report and rate `plan` (one month's values each) from M[start] on, oldest first."""
    for month, values in zip(M[start:], plan, strict=False):
        report(provider, month, values, catalogue)
        run_period(month)


def state_of(provider):
    return ProviderEscalation.objects.get(provider=provider)


def test_a_pending_step_down_is_withdrawn_when_the_improvement_does_not_hold(catalogue):
    provider = provider_with_contract()
    # Level 3 in January; Green February to April: a step-down proposed on April's ratings.
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN])
    proposal = StepDownProposal.objects.get()
    assert (proposal.period, proposal.status) == (M[3], "pending")
    # May is recommended level 3 again: not below the current level, so it is withdrawn.
    rate(provider, catalogue, [ONE_RED], start=4)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.withdrawn_period, proposal.withdrawn_reason) == (
        "withdrawn",
        M[4],
        WITHDRAWN_NOT_HELD,
    )
    assert proposal.decided_at is not None
    state = state_of(provider)
    assert (state.level, state.proposal_gate) == (3, M[3])
    # The run must fall after April (the withdrawn proposal's month) and not include May.
    rate(provider, catalogue, [GREEN, GREEN], start=5)
    assert not StepDownProposal.objects.filter(status="pending").exists()
    rate(provider, catalogue, [GREEN], start=7)
    assert StepDownProposal.objects.get(status="pending").period == M[7]


def test_a_withdrawn_step_down_can_never_be_approved_or_rejected(catalogue, executive_director):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN, ONE_RED])
    proposal = StepDownProposal.objects.get()
    for approve in (True, False):
        with pytest.raises(ValidationError, match="withdrawn in May 2026"):
            proposal_decide(proposal=proposal, user=executive_director, approve=approve, rationale="Looks better")
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn" and proposal.decided_by is None
    assert state_of(provider).level == 3


def test_a_manual_step_up_withdraws_a_pending_step_down_with_the_month_and_why(catalogue, service_director):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN])
    manual_step_up(
        provider=provider,
        user=service_director,
        to_level=4,
        reasons=["media_exposure"],
        rationale="Covert filming broadcast",
    )
    proposal = StepDownProposal.objects.get()
    assert (proposal.status, proposal.withdrawn_period, proposal.withdrawn_reason) == (
        "withdrawn",
        M[3],
        WITHDRAWN_MANUAL,
    )
    state = state_of(provider)
    assert (state.level, state.changed_period, state.proposal_gate) == (4, M[3], M[3])


def test_a_manual_step_up_is_not_proposed_for_step_down_the_following_month(catalogue, service_director):
    provider = provider_with_contract()
    rate(provider, catalogue, [GREEN, GREEN, GREEN])
    manual_step_up(
        provider=provider,
        user=service_director,
        to_level=3,
        reasons=["regulator_concern"],
        rationale="HIW improvement notice",
    )
    decision = EscalationDecision.objects.get(kind="manual_step_up")
    assert decision.period == M[2] and state_of(provider).changed_period == M[2]
    # Recommended level 1 in April and May (and March, the month of the change): not yet.
    rate(provider, catalogue, [GREEN, GREEN], start=3)
    assert not StepDownProposal.objects.exists()
    # April, May and June all fall after March: proposed on June's ratings.
    rate(provider, catalogue, [GREEN], start=5)
    assert StepDownProposal.objects.get().period == M[5]


def test_the_month_of_a_first_rating_and_a_rules_step_up(catalogue):
    provider = provider_with_contract()
    rate(provider, catalogue, [GREEN])
    assert state_of(provider).changed_period == M[0]
    rate(provider, catalogue, [GREEN, TWO_REDS], start=1)
    assert state_of(provider).changed_period == M[2]


def test_a_rejection_gates_from_the_proposals_month_not_from_when_someone_clicked(catalogue, executive_director):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN])  # proposed on April's ratings
    rate(provider, catalogue, [GREEN, GREEN], start=4)  # May and June rated while it waits
    proposal = StepDownProposal.objects.get()
    proposal_decide(proposal=proposal, user=executive_director, approve=False, rationale="Not yet sustained")
    assert state_of(provider).proposal_gate == M[3]
    # May, June and July all fall after April: proposed again on July's ratings.
    rate(provider, catalogue, [GREEN], start=6)
    assert StepDownProposal.objects.get(status="pending").period == M[6]


def test_an_approved_step_down_changes_the_level_in_the_proposals_month(catalogue, executive_director):
    provider = provider_with_contract()
    # Level 3 in January, recommended 2 February to April: 3 -> 2 proposed on April's ratings.
    rate(provider, catalogue, [TWO_REDS, *LEVEL_2, GREEN, GREEN])
    proposal = StepDownProposal.objects.get()
    assert (proposal.period, proposal.proposed_level) == (M[3], 2)
    proposal_decide(proposal=proposal, user=executive_director, approve=True, rationale="Sustained")
    state = state_of(provider)
    assert (state.level, state.changed_period) == (2, M[3])
    # May, June and July fall after April: 2 -> 1 proposed on July's ratings.
    rate(provider, catalogue, [GREEN], start=6)
    following = StepDownProposal.objects.get(status="pending")
    assert (following.period, following.from_level, following.proposed_level) == (M[6], 2, 1)


def test_recomputing_the_newest_month_after_a_withdrawal_raises_nothing_new(catalogue):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN, ONE_RED])
    run_period(M[4])
    run_period(M[4])
    assert list(StepDownProposal.objects.values_list("status", flat=True)) == ["withdrawn"]
    assert EscalationDecision.objects.count() == 1
