"""METHODOLOGY 4, second edition: the Executive Committee's decisions for a provider in special
measures, who is informed of every change of level and what the message says, a withdrawn
step-down on the escalation page, and overrides refused for a locked month."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assurance.models import AreaOverride, PeriodLock, ProviderRating
from contracts.models import Contract
from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_period
from escalation.services import (
    WITHDRAWN_EXECUTIVE,
    executive_decision,
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
PAGE = "http://127.0.0.1:8000/providers/{code}/escalation/"


def rate(provider, catalogue, plan, start=0):
    for month, values in zip(M[start:], plan, strict=False):
        report(provider, month, values, catalogue)
        run_period(month)


def url(provider, name="provider_escalation", *args):
    return reverse(f"escalation:{name}", args=[provider.code, *args])


def with_email(user, address, language=""):
    user.email, user.language = address, language
    user.save()
    return user


@pytest.fixture
def special_measures(catalogue):
    """A provider in special measures at level 3, with a step-down to level 1 pending (April)."""
    provider = provider_with_contract()
    provider.intervention_level = "special_measures"
    provider.save()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN])
    return provider


# The Executive Committee's decision -----------------------------------------------------


def test_the_chief_executive_records_an_executive_committee_decision(
    special_measures, chief_executive, service_director, mailoutbox, django_capture_on_commit_callbacks
):
    provider = special_measures
    with_email(service_director, "sd@example.nhs.wales")
    with django_capture_on_commit_callbacks(execute=True):
        decision = executive_decision(
            provider=provider,
            user=chief_executive,
            to_level=2,
            reasons=["regulator_concern"],
            rationale="Welsh Government de-escalation review",
        )
    assert (decision.kind, decision.from_level, decision.to_level, decision.decided_by) == (
        "executive_decision",
        3,
        2,
        chief_executive,
    )
    assert decision.period == M[3] and decision.review_date is not None
    state = ProviderEscalation.objects.get(provider=provider)
    assert (state.level, state.changed_period, state.proposal_gate) == (2, M[3], M[3])
    proposal = StepDownProposal.objects.get()
    assert (proposal.status, proposal.withdrawn_period, proposal.withdrawn_reason) == (
        "withdrawn",
        M[3],
        WITHDRAWN_EXECUTIVE,
    )
    rating = ProviderRating.objects.get(provider=provider, period=M[3])
    assert (rating.escalation_level, rating.pending_step_down) == (2, None)
    assert set(Contract.objects.filter(provider=provider).values_list("risk_rating", flat=True)) == {2}
    # The Service Director owns level 2: told who decided, why, and where to look.
    [mail] = mailoutbox
    assert mail.to == ["sd@example.nhs.wales"]
    assert "Executive Committee decision" in mail.subject
    assert chief_executive.display_name in mail.body and "by rule" not in mail.body
    assert "Welsh Government de-escalation review" in mail.body
    assert "Serious concern from HIW, CQC, CHC, CIW or Welsh Government" in mail.body
    assert PAGE.format(code=provider.code) in mail.body


def test_an_executive_decision_may_also_raise_the_level(special_measures, chief_executive):
    decision = executive_decision(provider=special_measures, user=chief_executive, to_level=4, rationale="Summit")
    assert (decision.from_level, decision.to_level, decision.reasons) == (3, 4, [])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_level": 3, "rationale": "No change"}, "to_level"),
        ({"to_level": 5, "rationale": "Off the scale"}, "to_level"),
        ({"to_level": 1, "rationale": "  "}, "rationale"),
    ],
)
def test_an_executive_decision_needs_another_level_and_a_rationale(special_measures, chief_executive, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        executive_decision(provider=special_measures, user=chief_executive, **kwargs)
    assert field in refused.value.message_dict
    assert not EscalationDecision.objects.filter(kind="executive_decision").exists()


def test_only_the_chief_executive_and_only_in_special_measures(special_measures, executive_director, chief_executive):
    with pytest.raises(PermissionDenied):
        executive_decision(provider=special_measures, user=executive_director, to_level=1, rationale="x")
    special_measures.intervention_level = "targeted_intervention"
    special_measures.save()
    with pytest.raises(ValidationError, match="not in special measures"):
        executive_decision(provider=special_measures, user=chief_executive, to_level=1, rationale="x")
    assert ProviderEscalation.objects.get(provider=special_measures).level == 3


def test_the_page_offers_the_decision_to_the_chief_executive_in_special_measures_only(
    special_measures, as_user, catalogue
):
    assert (
        "Record an Executive Committee decision"
        in as_user("chief_executive").get(url(special_measures)).content.decode()
    )
    for persona in ("executive_director", "service_director", "team_member", "administrator"):
        assert (
            "Record an Executive Committee decision" not in as_user(persona).get(url(special_measures)).content.decode()
        )
    other = provider_with_contract("RBS")
    rate(other, catalogue, [GREEN])
    assert "Record an Executive Committee decision" not in as_user("chief_executive").get(url(other)).content.decode()


@pytest.mark.parametrize(
    "persona", ["executive_director", "service_director", "team_member", "administrator", "committee_member"]
)
def test_anyone_but_the_chief_executive_is_refused(special_measures, as_user, persona):
    response = as_user(persona).post(url(special_measures, "executive_decision"), {"to_level": "1", "rationale": "x"})
    assert response.status_code == 403
    assert not EscalationDecision.objects.filter(kind="executive_decision").exists()


def test_the_chief_executive_records_the_decision_on_the_page(special_measures, as_user):
    client = as_user("chief_executive")
    missing = client.post(url(special_measures, "executive_decision"), {"to_level": "1", "rationale": ""})
    assert "Give the rationale for the Executive Committee decision." in missing.content.decode()
    response = client.post(
        url(special_measures, "executive_decision"), {"to_level": "1", "rationale": "Recovered"}, follow=True
    )
    assert ProviderEscalation.objects.get(provider=special_measures).level == 1
    timeline = response.content.decode().split("Decision timeline")[1]
    assert "Executive Committee decision (special measures)" in timeline and "Recovered" in timeline
    assert "The level was changed by an Executive Committee decision." in timeline


def test_the_page_refuses_a_decision_for_a_provider_not_in_special_measures(catalogue, as_user):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS])
    response = as_user("chief_executive").post(
        url(provider, "executive_decision"), {"to_level": "1", "rationale": "x"}, follow=True
    )
    assert "is not in special measures" in response.content.decode()
    assert ProviderEscalation.objects.get(provider=provider).level == 3


# Who is informed, and what the message says ----------------------------------------------


def test_a_first_rating_at_level_2_or_above_informs_the_owner_by_rule(
    catalogue, executive_director, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(executive_director, "exec@example.nhs.wales")
    provider = provider_with_contract()
    with django_capture_on_commit_callbacks(execute=True):
        rate(provider, catalogue, [month_values(2, 1, 2)])
    [mail] = mailoutbox
    assert mail.to == ["exec@example.nhs.wales"]
    assert "level 3" in mail.subject
    assert "by rule" in mail.body and "January 2026" in mail.body
    # The Red areas triggered level 3; the Amber one did not.
    assert "Patient experience: Red" in mail.body and "Governance: Red" in mail.body
    assert "Amber" not in mail.body
    assert PAGE.format(code=provider.code) in mail.body


def test_a_first_rating_at_level_1_informs_nobody(
    catalogue, service_director, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(service_director, "sd@example.nhs.wales")
    with django_capture_on_commit_callbacks(execute=True):
        rate(provider_with_contract(), catalogue, [GREEN])
    assert mailoutbox == []


def test_a_rules_step_up_names_the_critical_indicator_that_turned_an_area_red(
    catalogue, executive_director, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(executive_director, "exec@example.nhs.wales")
    never_events = catalogue["quality_safety"]
    never_events.name, never_events.critical = "Never events reported", True
    never_events.save()
    provider = provider_with_contract()
    rate(provider, catalogue, [GREEN])
    # Quality and safety: one indicator, Red; Green elsewhere: level 3 by rule.
    with django_capture_on_commit_callbacks(execute=True):
        rate(provider, catalogue, [{**GREEN, "quality_safety": "80"}], start=1)
    [mail] = mailoutbox
    assert "escalated to level 3" in mail.subject
    assert "from level 1 to level 3 by rule" in mail.body and "February 2026" in mail.body
    assert "Quality and safety: Red" in mail.body and "Never events reported" in mail.body
    assert PAGE.format(code=provider.code) in mail.body


def test_a_manual_step_up_says_who_decided_and_why_not_by_rule(
    catalogue, service_director, chief_executive, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(chief_executive, "ceo@example.nhs.wales")
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS])
    with django_capture_on_commit_callbacks(execute=True):
        manual_step_up(
            provider=provider,
            user=service_director,
            to_level=4,
            reasons=["media_exposure", "leadership_governance"],
            rationale="Covert filming broadcast",
        )
    [mail] = mailoutbox
    assert mail.to == ["ceo@example.nhs.wales"]
    assert "by rule" not in mail.body
    assert service_director.display_name in mail.body and "from level 3 to level 4" in mail.body
    assert "Serious media exposure or covert reporting; Poor leadership or governance" in mail.body
    assert "Covert filming broadcast" in mail.body
    assert PAGE.format(code=provider.code) in mail.body


def test_a_proposal_informs_the_approver_and_an_approved_step_down_the_new_levels_owner(
    catalogue, service_director, executive_director, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(service_director, "sd@example.nhs.wales")
    with_email(executive_director, "exec@example.nhs.wales")
    provider = provider_with_contract()
    with django_capture_on_commit_callbacks(execute=True):
        rate(provider, catalogue, [TWO_REDS, *LEVEL_2])
    proposal_mail = mailoutbox[-1]
    assert proposal_mail.to == ["exec@example.nhs.wales"] and "Step-down proposed" in proposal_mail.subject
    assert "April 2026" in proposal_mail.body and PAGE.format(code=provider.code) in proposal_mail.body
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decide(
            proposal=StepDownProposal.objects.get(),
            user=executive_director,
            approve=True,
            rationale="Sustained improvement confirmed at the CQPRM",
        )
    approved = mailoutbox[-1]
    assert approved.to == ["sd@example.nhs.wales"]
    assert executive_director.display_name in approved.body and "by rule" not in approved.body.split("proposed")[0]
    assert "from level 3 to level 2" in approved.body
    assert "Sustained improvement confirmed at the CQPRM" in approved.body
    assert PAGE.format(code=provider.code) in approved.body


def test_each_recipient_reads_the_message_in_their_own_language(
    catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.providers.factories import UserFactory

    UserFactory(username="english", is_executive_director=True, email="en@example.nhs.wales", language="en-gb")
    UserFactory(username="welsh", is_executive_director=True, email="cy@example.nhs.wales", language="cy")
    provider = provider_with_contract()
    rate(provider, catalogue, [GREEN])
    with django_capture_on_commit_callbacks(execute=True):
        rate(provider, catalogue, [TWO_REDS], start=1)
    subjects = {tuple(m.to): m.subject for m in mailoutbox}
    assert "has been escalated to level 3" in subjects[("en@example.nhs.wales",)]
    assert "wedi'i uwchgyfeirio i lefel 3" in subjects[("cy@example.nhs.wales",)]


# A withdrawn step-down on the page -------------------------------------------------------


def test_the_timeline_shows_a_withdrawn_step_down_with_the_month_and_why(catalogue, as_user):
    provider = provider_with_contract()
    rate(provider, catalogue, [TWO_REDS, GREEN, GREEN, GREEN, ONE_RED])
    client = as_user("executive_director")
    timeline = client.get(url(provider)).content.decode().split("Decision timeline")[1]
    assert "Withdrawn" in timeline and "withdrawn on the ratings for May 2026" in timeline
    assert "The improvement did not hold" in timeline
    # Deciding it anyway is refused, and the page says why.
    proposal = StepDownProposal.objects.get()
    response = client.post(
        url(provider, "decide_proposal", proposal.pk), {"decision": "approve", "rationale": "ok"}, follow=True
    )
    assert "withdrawn in May 2026 and can no longer be approved or rejected" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


# A locked month is signed off ------------------------------------------------------------


def test_an_override_for_a_locked_month_is_refused(catalogue, as_user):
    provider = provider_with_contract()
    rate(provider, catalogue, [GREEN, GREEN])
    PeriodLock.objects.create(period=M[1], locked=True)
    client = as_user("executive_director")
    page = client.get(url(provider)).content.decode()
    assert "February 2026 is locked after sign-off; unlock it first, with a reason, to change its ratings." in page
    assert 'action="' + url(provider, "override") not in page
    response = client.post(
        url(provider, "override"), {"area": "governance", "rag": "R", "rationale": "HIW notice"}, follow=True
    )
    assert "February 2026 is locked after sign-off" in response.content.decode()
    assert not AreaOverride.objects.exists()
    assert ProviderRating.objects.get(provider=provider, period=M[1]).reds == 0
