"""Escalation (METHODOLOGY 4): evaluate a rated month, decide proposals, escalate by hand."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assurance import rules
from assurance.models import ProviderRating
from assurance.periods import format_period, shift
from contracts.tiers import add_months
from providers.models import Provider, User

from .choices import DecisionKind, ProposalStatus
from .models import EscalationDecision, ProviderEscalation, StepDownProposal

log = logging.getLogger(__name__)
REVIEW_MONTHS = 3
# User flags are named after the roles of rules.LEVEL_OWNER (is_service_director, ...).
OWNER_FIELD = {level: f"is_{role}" for level, role in rules.LEVEL_OWNER.items()}


def review_date(now):
    return add_months(timezone.localdate(now), REVIEW_MONTHS)


def evaluate_period(result, *, notify=True, at=None):
    """Apply step-up and step-down rules for a rated month, for each provider it rated.

    Only a month at or after the provider's last evaluated month changes anything: a
    recomputed older month keeps the decisions already recorded.
    """
    period = result.period
    provider_ids = list(result.levels)
    if not provider_ids:
        return
    now = at or timezone.now()
    states = {s.provider_id: s for s in ProviderEscalation.objects.filter(provider_id__in=provider_ids)}
    pending = {p.provider_id: p for p in StepDownProposal.objects.filter(
        provider_id__in=provider_ids, status=ProposalStatus.PENDING)}
    decisions, proposals, withdrawn, new_states, evaluated, stepped_up = [], [], [], [], [], []
    messages = []
    for provider_id in provider_ids:
        levels = result.levels[provider_id]
        state = states.get(provider_id)
        if state is not None and state.last_evaluated_period and period < state.last_evaluated_period:
            continue
        proposal = pending.get(provider_id)
        gate_open = state is None or state.proposal_gate is None or shift(period, -2) > state.proposal_gate
        actions = rules.escalation_actions(
            current=state.level if state else None, recommended=levels[2], last_three=levels,
            pending=proposal.proposed_level if proposal else None, months_after_gate=gate_open)
        concerns = [f"{area}:{rag}" for area, rag in result.concerns.get(provider_id, [])]
        for action, level in actions:
            if action == rules.INITIAL:
                state = ProviderEscalation(provider_id=provider_id, level=level, since=now, review_date=review_date(now))
                new_states.append(state)
                decisions.append(EscalationDecision(
                    provider_id=provider_id, period=period, from_level=None, to_level=level,
                    kind=DecisionKind.INITIAL, reasons=concerns, decided_at=now, review_date=review_date(now)))
            elif action == rules.WITHDRAW_PROPOSAL:
                proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, now
                withdrawn.append(proposal)
                proposal = None
            elif action == rules.RULES_STEP_UP:
                decisions.append(EscalationDecision(
                    provider_id=provider_id, period=period, from_level=state.level, to_level=level,
                    kind=DecisionKind.RULES_STEP_UP, reasons=concerns, decided_at=now, review_date=review_date(now)))
                state.level, state.since, state.review_date = level, now, review_date(now)
                stepped_up.append(state)
                messages.append(("step_up", provider_id, level, period))
            elif action == rules.PROPOSE_STEP_DOWN:
                proposal = StepDownProposal(provider_id=provider_id, period=period, from_level=state.level,
                                            proposed_level=level, raised_at=now)
                proposals.append(proposal)
                messages.append(("proposal", provider_id, level, period))
        if state is not None:
            state.last_evaluated_period = period
            evaluated.append(state)
        pending[provider_id] = proposal
    ProviderEscalation.objects.bulk_create(new_states)
    # Every provider evaluated moves its last evaluated month on (one UPDATE); only those whose
    # level changed need their own row written.
    existing = [s for s in evaluated if s not in new_states]
    ProviderEscalation.objects.filter(pk__in=[s.pk for s in existing]).update(last_evaluated_period=period)
    ProviderEscalation.objects.bulk_update([s for s in stepped_up if s not in new_states],
                                           ["level", "since", "review_date"])
    EscalationDecision.objects.bulk_create(decisions)
    StepDownProposal.objects.bulk_update(withdrawn, ["status", "decided_at"])
    StepDownProposal.objects.bulk_create(proposals)
    _stamp_month(period, {s.provider_id: s.level for s in evaluated}, pending)
    _sync_register({s.provider_id: s.level for s in evaluated})
    if notify and messages:
        transaction.on_commit(lambda: _send(messages))


def _sync_register(levels):
    """The contract register's overall risk rating shows each provider's escalation level."""
    from contracts.models import Contract

    by_level = {}
    for provider_id, level in levels.items():
        by_level.setdefault(level, []).append(provider_id)
    for level, provider_ids in by_level.items():
        Contract.objects.filter(provider_id__in=provider_ids).exclude(risk_rating=level).update(risk_rating=level)


def _stamp_month(period, levels, pending):
    """Record on the month's provider ratings the level and pending step-down after evaluation:
    one UPDATE per combination of the two (a handful), however many providers."""
    groups = {}
    for provider_id, level in levels.items():
        proposal = pending.get(provider_id)
        groups.setdefault((level, proposal.proposed_level if proposal else None), []).append(provider_id)
    for (level, step_down), provider_ids in groups.items():
        ProviderRating.objects.filter(period=period, provider_id__in=provider_ids).update(
            escalation_level=level, pending_step_down=step_down)


def _restamp_latest(state):
    """After a decision between computations, the provider's newest month shows the new state."""
    _sync_register({state.provider_id: state.level})
    if state.last_evaluated_period is None:
        return
    proposal = StepDownProposal.objects.filter(provider_id=state.provider_id, status=ProposalStatus.PENDING).first()
    _stamp_month(state.last_evaluated_period, {state.provider_id: state.level}, {state.provider_id: proposal})


def owners_of(level):
    field = OWNER_FIELD.get(level)
    if field is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, **{field: True}).exclude(email="")


def _by_language(users):
    """Recipients' addresses grouped by the language each chose (the site's default if none)."""
    groups = {}
    for user in users:
        groups.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user.email)
    return groups.items()


def _mail_text(kind, provider, level, period):
    """The subject and body of a step-up or step-down email, in the active language."""
    if kind == "step_up":
        subject = _("%(provider)s has been escalated to level %(level)s") % {"provider": provider.name, "level": level}
        body = _("%(provider)s was escalated to level %(level)s by rule on its ratings for %(period)s.") % {
            "provider": provider.name, "level": level, "period": format_period(period)}
        if level == 4:
            body += "\n" + _("Level 4 is reported to the Board; a provider summit may be arranged.")
        return subject, body
    subject = _("Step-down proposed for %(provider)s: your decision") % {"provider": provider.name}
    body = _("%(provider)s has been recommended below its level for three months. A step-down to "
             "level %(level)s waits for your approval or rejection.") % {"provider": provider.name, "level": level}
    return subject, body


def _send(messages):
    """Email the roles informed of a step-up, and the approver of a proposal (METHODOLOGY 4),
    each in the language they chose."""
    providers = Provider.objects.in_bulk({provider_id for _k, provider_id, _l, _p in messages})
    mails = []
    for kind, provider_id, level, period in messages:
        owner_level = level if kind == "step_up" else ProviderEscalation.objects.get(provider_id=provider_id).level
        for language, addresses in _by_language(owners_of(owner_level)):
            with translation.override(language):
                subject, body = _mail_text(kind, providers[provider_id], level, period)
            mails.append((subject, body, None, addresses))
    try:
        send_mass_mail(mails, fail_silently=False)
    except OSError:
        log.exception("Escalation emails could not be sent")


@transaction.atomic
def proposal_decide(*, proposal, user, approve, rationale, at=None):
    """The director who owns the current level approves or rejects a step-down, with a rationale."""
    proposal = StepDownProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    if not user.owns_level(proposal.from_level):
        raise PermissionDenied(_("Only the director who owns level %(level)s may decide this step-down.") % {
            "level": proposal.from_level})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale for your decision.")})
    now = at or timezone.now()
    state = ProviderEscalation.objects.select_for_update().get(provider_id=proposal.provider_id)
    proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.rationale = user, now, rationale.strip()
    proposal.save()
    if approve:
        EscalationDecision.objects.create(
            provider_id=proposal.provider_id, period=proposal.period, from_level=state.level,
            to_level=proposal.proposed_level, kind=DecisionKind.STEP_DOWN, rationale=rationale.strip(),
            decided_by=user, decided_at=now, review_date=review_date(now))
        state.level, state.since, state.review_date = proposal.proposed_level, now, review_date(now)
    else:
        # A new proposal needs three further qualifying months after the newest month seen.
        state.proposal_gate = state.last_evaluated_period
    state.save()
    _restamp_latest(state)
    return proposal


@transaction.atomic
def manual_step_up(*, provider, user, to_level, reasons, rationale):
    """Raise a provider's level by hand, with reasons from seed 002, 3.5.1 and a rationale."""
    state = ProviderEscalation.objects.select_for_update().filter(provider=provider).first()
    current = state.level if state else None
    if current is not None and to_level <= current:
        raise ValidationError({"to_level": _("Choose a level above the current level %(level)s.") % {"level": current}})
    if not reasons:
        raise ValidationError({"reasons": _("Choose at least one reason for the escalation.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale for the escalation.")})
    now = timezone.now()
    period = state.last_evaluated_period if state and state.last_evaluated_period else timezone.localdate().replace(day=1)
    StepDownProposal.objects.filter(provider=provider, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.WITHDRAWN, decided_at=now)
    decision = EscalationDecision.objects.create(
        provider=provider, period=period, from_level=current, to_level=to_level,
        kind=DecisionKind.MANUAL_STEP_UP, reasons=list(reasons), rationale=rationale.strip(),
        decided_by=user, decided_at=now, review_date=review_date(now))
    if state is None:
        state = ProviderEscalation(provider=provider, since=now, last_evaluated_period=None)
    state.level, state.since, state.review_date = to_level, now, review_date(now)
    state.save()
    _restamp_latest(state)
    transaction.on_commit(lambda: _send([("step_up", provider.pk, to_level, period)]))
    return decision


