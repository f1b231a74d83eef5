"""Escalation (METHODOLOGY 4): evaluate a rated month, decide proposals, escalate by hand, and
the Executive Committee's decisions for providers in special measures."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assurance import rating_versions, rules
from assurance.models import IndicatorRating, ProviderRating, RatingRun
from assurance.services import area_override_set, request_recompute
from contracts.models import Contract
from providers.models import Provider, User
from providers.periods import add_months, shift

from .choices import DecisionKind, Level, ProposalStatus
from .models import EscalationDecision, ProviderEscalation, StepDownProposal
from .selectors import reason_label

log = logging.getLogger(__name__)
REVIEW_MONTHS = 3
# User flags are named after the roles of rules.LEVEL_OWNER (is_service_director, ...).
OWNER_FIELD = {level: f"is_{role}" for level, role in rules.LEVEL_OWNER.items()}

# Why a proposal was withdrawn: kept in English and translated when shown ({% translate %}).
WITHDRAWN_NOT_HELD = gettext_noop(
    "The improvement did not hold: a newer month's recommended level was not below the current level."
)
WITHDRAWN_MANUAL = gettext_noop("The level was changed by a manual escalation.")
WITHDRAWN_EXECUTIVE = gettext_noop("The level was changed by an Executive Committee decision.")

# The kinds of message (METHODOLOGY 4, "Who is informed").
INITIAL, STEP_UP, MANUAL, EXECUTIVE, STEP_DOWN, PROPOSAL = (
    "initial",
    "step_up",
    "manual_step_up",
    "executive_decision",
    "step_down",
    "proposal",
)


@dataclass(frozen=True)
class Notice:
    """What happened to a provider's level, and who or what decided it, for the emails."""

    kind: str
    provider_id: int
    period: object
    to_level: int
    from_level: int | None = None
    areas: tuple = ()  # (area, rag) that triggered a change by rule
    decided_by: str = ""  # the person who decided, by name
    reasons: tuple = ()  # seed 002 reason codes
    rationale: str = ""

    @property
    def recipient_level(self):
        """A proposal goes to the owner of the current level; a change of level to the new one's."""
        return self.from_level if self.kind == PROPOSAL else self.to_level


def review_date(now):
    return add_months(timezone.localdate(now), REVIEW_MONTHS)


def newest_month(state):
    """The month of a change of level made by a person: the newest month evaluated, or, before
    any, the current month (METHODOLOGY 4)."""
    if state is not None and state.last_evaluated_period:
        return state.last_evaluated_period
    return timezone.localdate().replace(day=1)


def evaluate_period(result, *, notify=True, at=None):
    """Apply step-up, withdrawal and step-down rules for a rated month, for each provider it rated.

    Only a month at or after the provider's last evaluated month changes anything: a
    recomputed older month keeps the decisions already recorded.
    """
    period = result.period
    provider_ids = list(result.levels)
    if not provider_ids:
        return
    now = at or timezone.now()
    states = {s.provider_id: s for s in ProviderEscalation.objects.filter(provider_id__in=provider_ids)}
    pending = {
        p.provider_id: p
        for p in StepDownProposal.objects.filter(provider_id__in=provider_ids, status=ProposalStatus.PENDING)
    }
    decisions, proposals, withdrawn, new_states, evaluated, changed = [], [], [], [], [], []
    notices = []
    for provider_id in provider_ids:
        levels = result.levels[provider_id]
        state = states.get(provider_id)
        if state is not None and state.last_evaluated_period and period < state.last_evaluated_period:
            continue
        proposal = pending.get(provider_id)
        actions = rules.escalation_actions(
            current=state.level if state else None,
            recommended=levels[2],
            last_three=levels,
            pending=proposal.proposed_level if proposal else None,
            run_start=shift(period, -2),
            last_change=state.changed_period if state else None,
            last_gate=state.proposal_gate if state else None,
        )
        concerns = result.concerns.get(provider_id, [])
        for action, level in actions:
            areas = tuple(rules.triggering_areas(level, concerns))
            reasons = [f"{area}:{rag}" for area, rag in areas]
            if action == rules.INITIAL:
                state = ProviderEscalation(
                    provider_id=provider_id, level=level, since=now, review_date=review_date(now), changed_period=period
                )
                new_states.append(state)
                decisions.append(
                    EscalationDecision(
                        provider_id=provider_id,
                        period=period,
                        from_level=None,
                        to_level=level,
                        kind=DecisionKind.INITIAL,
                        reasons=reasons,
                        decided_at=now,
                        review_date=review_date(now),
                    )
                )
                notices.append(Notice(INITIAL, provider_id, period, level, areas=areas))
            elif action == rules.WITHDRAW_PROPOSAL:
                _withdraw(proposal, period, WITHDRAWN_NOT_HELD, now)
                state.proposal_gate = proposal.period
                withdrawn.append(proposal)
                changed.append(state)
                proposal = None
            elif action == rules.RULES_STEP_UP:
                decisions.append(
                    EscalationDecision(
                        provider_id=provider_id,
                        period=period,
                        from_level=state.level,
                        to_level=level,
                        kind=DecisionKind.RULES_STEP_UP,
                        reasons=reasons,
                        decided_at=now,
                        review_date=review_date(now),
                    )
                )
                notices.append(Notice(STEP_UP, provider_id, period, level, from_level=state.level, areas=areas))
                state.level, state.since, state.review_date = level, now, review_date(now)
                state.changed_period = period
                changed.append(state)
            elif action == rules.PROPOSE_STEP_DOWN:
                proposal = StepDownProposal(
                    provider_id=provider_id, period=period, from_level=state.level, proposed_level=level, raised_at=now
                )
                proposals.append(proposal)
                notices.append(Notice(PROPOSAL, provider_id, period, level, from_level=state.level))
        if state is not None:
            state.last_evaluated_period = period
            evaluated.append(state)
        pending[provider_id] = proposal
    ProviderEscalation.objects.bulk_create(new_states)
    # Every provider evaluated moves its last evaluated month on (one UPDATE); only those whose
    # level or gate changed need their own row written.
    new = {id(s) for s in new_states}
    ProviderEscalation.objects.filter(pk__in=[s.pk for s in evaluated if id(s) not in new]).update(
        last_evaluated_period=period
    )
    ProviderEscalation.objects.bulk_update(
        list({id(s): s for s in changed if id(s) not in new}.values()),
        ["level", "since", "review_date", "changed_period", "proposal_gate"],
    )
    EscalationDecision.objects.bulk_create(decisions)
    StepDownProposal.objects.bulk_update(withdrawn, ["status", "decided_at", "withdrawn_period", "withdrawn_reason"])
    StepDownProposal.objects.bulk_create(proposals)
    _stamp_month(period, {s.provider_id: s.level for s in evaluated}, pending)
    _sync_register({s.provider_id: s.level for s in evaluated})
    if notify and notices:
        transaction.on_commit(lambda: _send(notices))


def _withdraw(proposal, period, reason, now):
    """A pending proposal withdrawn: the month that showed it, and why (METHODOLOGY 4)."""
    proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, now
    proposal.withdrawn_period, proposal.withdrawn_reason = period, reason


def _withdraw_pending(state, provider, period, reason, now):
    """Withdraw the provider's pending proposal, if any, when its level changes another way;
    the proposal's month gates the next one."""
    proposal = (
        StepDownProposal.objects.select_for_update().filter(provider=provider, status=ProposalStatus.PENDING).first()
    )
    if proposal is None:
        return None
    _withdraw(proposal, period, reason, now)
    proposal.save(update_fields=["status", "decided_at", "withdrawn_period", "withdrawn_reason"])
    if state is not None:
        state.proposal_gate = proposal.period
    return proposal


def _sync_register(levels):
    """The contract register's overall risk rating shows each provider's escalation level."""
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
            escalation_level=level, pending_step_down=step_down
        )
    rating_versions.bump(period)  # the dashboard's cache of this month is read afresh


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


def _month(period):
    return formats.date_format(period, "F Y")


def _critical_reds(notices):
    """{(provider_id, period): [(area, indicator name)]} of critical indicators rated Red in
    the months of the changes made by rule: they turned their area Red (METHODOLOGY 2)."""
    wanted = {(n.provider_id, n.period) for n in notices if n.kind in (INITIAL, STEP_UP) and n.areas}
    if not wanted:
        return {}
    found = {}
    for provider_id, period, area, name in (
        IndicatorRating.objects.filter(
            provider_id__in={p for p, _m in wanted},
            period__in={m for _p, m in wanted},
            indicator__critical=True,
            rag=rules.R,
        )
        .order_by("indicator__name")
        .values_list("provider_id", "period", "indicator__area", "indicator__name")
    ):
        if (provider_id, period) in wanted:
            found.setdefault((provider_id, period), []).append((area, name))
    return found


def _mail_text(notice, provider, critical=()):
    """The subject and body of an escalation email, in the active language: what happened,
    who or what decided it and why, and the link to the provider's escalation page."""
    names = {
        "provider": provider.name,
        "level": notice.to_level,
        "from": notice.from_level,
        "month": _month(notice.period),
        "name": notice.decided_by,
    }
    lines = []
    if notice.kind == PROPOSAL:
        subject = _("Step-down proposed for %(provider)s: your decision") % names
        lines.append(
            _(
                "By rule, the recommended level of %(provider)s has been below its current level %(from)s "
                "in each of the three months up to %(month)s. A step-down to level %(level)s waits for "
                "your approval or rejection."
            )
            % names
        )
    elif notice.kind == STEP_DOWN:
        subject = _("%(provider)s has been stepped down to level %(level)s") % names
        lines.append(
            _(
                "%(name)s approved the step-down of %(provider)s from level %(from)s to level %(level)s, "
                "proposed by rule on its ratings for %(month)s."
            )
            % names
        )
    elif notice.kind == EXECUTIVE:
        subject = _("Executive Committee decision: %(provider)s is now at level %(level)s") % names
        if notice.from_level is None:
            lines.append(
                _(
                    "%(name)s recorded an Executive Committee decision for %(provider)s, which is in "
                    "special measures: it is now at level %(level)s."
                )
                % names
            )
        else:
            lines.append(
                _(
                    "%(name)s recorded an Executive Committee decision for %(provider)s, which is in "
                    "special measures: its level changes from level %(from)s to level %(level)s."
                )
                % names
            )
    elif notice.kind == MANUAL:
        subject = _("%(provider)s has been escalated to level %(level)s") % names
        if notice.from_level is None:
            lines.append(_("%(name)s escalated %(provider)s to level %(level)s by hand.") % names)
        else:
            lines.append(_("%(name)s escalated %(provider)s from level %(from)s to level %(level)s by hand.") % names)
    elif notice.kind == INITIAL:
        subject = _("%(provider)s starts at escalation level %(level)s") % names
        lines.append(
            _(
                "%(provider)s was rated for the first time on its ratings for %(month)s and starts at "
                "level %(level)s, by rule."
            )
            % names
        )
    else:
        subject = _("%(provider)s has been escalated to level %(level)s") % names
        lines.append(
            _(
                "%(provider)s was escalated from level %(from)s to level %(level)s by rule, on its "
                "ratings for %(month)s."
            )
            % names
        )
    if notice.areas:
        areas = [_("The areas that triggered it:")]
        for area, rag in notice.areas:
            line = "- " + reason_label(f"{area}:{rag}")
            indicators = [name for indicator_area, name in critical if indicator_area == area]
            if indicators and rag == rules.R:
                line += " " + _("(critical indicator rated Red: %(indicators)s)") % {
                    "indicators": "; ".join(indicators)
                }
            areas.append(line)
        lines.append("\n".join(areas))
    if notice.reasons:
        lines.append(_("Reasons: %(reasons)s") % {"reasons": "; ".join(reason_label(r) for r in notice.reasons)})
    if notice.rationale:
        lines.append(_("Rationale: %(rationale)s") % {"rationale": notice.rationale})
    if notice.to_level == 4 and notice.kind not in (PROPOSAL, STEP_DOWN):
        lines.append(_("Level 4 is reported to the Board; a provider summit may be arranged."))
    url = settings.SITE_URL + reverse("escalation:provider_escalation", args=[provider.code])
    lines.append(_("See the escalation page: %(url)s") % {"url": url})
    return subject, "\n\n".join(lines)


def _send(notices):
    """Email the owner of the new level of every change of level, and the approver of every
    proposal (METHODOLOGY 4), each in the language they chose."""
    providers = Provider.objects.in_bulk({n.provider_id for n in notices})
    critical = _critical_reds(notices)
    mails = []
    for notice in notices:
        for language, addresses in _by_language(owners_of(notice.recipient_level)):
            with translation.override(language):
                subject, body = _mail_text(
                    notice, providers[notice.provider_id], critical.get((notice.provider_id, notice.period), ())
                )
            mails.append((subject, body, None, addresses))
    if not mails:
        return
    try:
        send_mass_mail(mails, fail_silently=False)
    except OSError:
        log.exception("Escalation emails could not be sent")


@transaction.atomic
def proposal_decide(*, proposal, user, approve, rationale, at=None, notify=True):
    """The director who owns the current level approves or rejects a step-down, with a rationale."""
    proposal = StepDownProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == ProposalStatus.WITHDRAWN:
        message = _("This step-down was withdrawn in %(month)s and can no longer be approved or rejected.") % {
            "month": _month(proposal.withdrawn_period or proposal.period)
        }
        if proposal.withdrawn_reason:
            message += " " + _(proposal.withdrawn_reason)
        raise ValidationError(message)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    if not user.owns_level(proposal.from_level):
        raise PermissionDenied(
            _("Only the director who owns level %(level)s may decide this step-down.") % {"level": proposal.from_level}
        )
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale for your decision.")})
    now = at or timezone.now()
    state = ProviderEscalation.objects.select_for_update().get(provider_id=proposal.provider_id)
    proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.rationale = user, now, rationale.strip()
    proposal.save()
    if approve:
        from_level = state.level
        EscalationDecision.objects.create(
            provider_id=proposal.provider_id,
            period=proposal.period,
            from_level=from_level,
            to_level=proposal.proposed_level,
            kind=DecisionKind.STEP_DOWN,
            rationale=rationale.strip(),
            decided_by=user,
            decided_at=now,
            review_date=review_date(now),
        )
        state.level, state.since, state.review_date = proposal.proposed_level, now, review_date(now)
        # The month of an approved step-down is the proposal's month (METHODOLOGY 4).
        state.changed_period = proposal.period
        notice = Notice(
            STEP_DOWN,
            proposal.provider_id,
            proposal.period,
            proposal.proposed_level,
            from_level=from_level,
            decided_by=user.display_name,
            rationale=rationale.strip(),
        )
        if notify:
            transaction.on_commit(lambda: _send([notice]))
    else:
        # The next proposal needs three months after the proposal's month, however soon anyone clicked.
        state.proposal_gate = proposal.period
    state.save()
    _restamp_latest(state)
    rating_versions.bump(proposal.period)  # the dashboard lists the month's decisions
    return proposal


def _change_level(*, provider, user, state, to_level, kind, reasons, rationale, withdrawn_reason, at=None, notify=True):
    """A person's change of level: the decision, the month of the change, the pending proposal
    withdrawn, the review date, the register and the newest month re-stamped, the new level's
    owner informed."""
    now = at or timezone.now()
    period = newest_month(state)
    current = state.level if state else None
    if state is None:
        state = ProviderEscalation(provider=provider, since=now, last_evaluated_period=None)
    _withdraw_pending(state, provider, period, withdrawn_reason, now)
    decision = EscalationDecision.objects.create(
        provider=provider,
        period=period,
        from_level=current,
        to_level=to_level,
        kind=kind,
        reasons=list(reasons),
        rationale=rationale.strip(),
        decided_by=user,
        decided_at=now,
        review_date=review_date(now),
    )
    state.level, state.since, state.review_date = to_level, now, review_date(now)
    state.changed_period = period
    state.save()
    _restamp_latest(state)
    if period is not None:
        rating_versions.bump(period)  # the dashboard lists the month's decisions
    notice = Notice(
        MANUAL if kind == DecisionKind.MANUAL_STEP_UP else EXECUTIVE,
        provider.pk,
        period,
        to_level,
        from_level=current,
        decided_by=user.display_name,
        reasons=tuple(reasons),
        rationale=rationale.strip(),
    )
    if notify:
        transaction.on_commit(lambda: _send([notice]))
    return decision


@transaction.atomic
def manual_step_up(*, provider, user, to_level, reasons, rationale, intelligence=()):
    """Raise a provider's level by hand, with reasons from seed 002, 3.5.1 and a rationale,
    citing entries of the provider's intelligence log (issue 18) if any."""
    state = ProviderEscalation.objects.select_for_update().filter(provider=provider).first()
    current = state.level if state else None
    if current is not None and to_level <= current:
        raise ValidationError({"to_level": _("Choose a level above the current level %(level)s.") % {"level": current}})
    if not reasons:
        raise ValidationError({"reasons": _("Choose at least one reason for the escalation.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale for the escalation.")})
    if any(entry.provider_id != provider.pk for entry in intelligence):
        raise ValidationError({"intelligence": _("Cite only intelligence about this provider.")})
    decision = _change_level(
        provider=provider,
        user=user,
        state=state,
        to_level=to_level,
        kind=DecisionKind.MANUAL_STEP_UP,
        reasons=reasons,
        rationale=rationale,
        withdrawn_reason=WITHDRAWN_MANUAL,
    )
    if intelligence:
        decision.intelligence.set(intelligence)
    return decision


def may_record_executive_decision(user, provider):
    """Whether to offer the decision: to the Chief Executive (who records decisions), for a
    provider in special measures (METHODOLOGY 4, seed 002 3.5.1)."""
    return (
        provider.in_special_measures
        and user.is_authenticated
        and user.owns_level(4)
        and user.has_perm("escalation.add_escalationdecision")
    )


def special_measures_required(provider):
    """An Executive Committee decision is only for a provider in special measures (METHODOLOGY 4)."""
    if not provider.in_special_measures:
        raise ValidationError(
            _(
                "%(provider)s is not in special measures: an Executive Committee decision is "
                "only for a provider in special measures."
            )
            % {"provider": provider.name}
        )


@transaction.atomic
def executive_decision(*, provider, user, to_level, rationale, reasons=(), at=None, notify=True):
    """The Chief Executive records an Executive Committee decision setting the level of a provider
    in special measures to any of 1 to 4, up or down, with a rationale (and any reasons)."""
    if not user.owns_level(4):
        raise PermissionDenied(_("Only the Chief Executive may record an Executive Committee decision."))
    provider = Provider.objects.get(pk=provider.pk)  # its intervention level as it stands now
    special_measures_required(provider)
    state = ProviderEscalation.objects.select_for_update().filter(provider=provider).first()
    current = state.level if state else None
    if to_level not in Level.values:
        raise ValidationError({"to_level": _("Choose a level from 1 to 4.")})
    if to_level == current:
        raise ValidationError(
            {"to_level": _("Choose a level other than the current level %(level)s.") % {"level": current}}
        )
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale for the Executive Committee decision.")})
    return _change_level(
        provider=provider,
        user=user,
        state=state,
        to_level=to_level,
        kind=DecisionKind.EXECUTIVE_DECISION,
        reasons=reasons,
        rationale=rationale,
        withdrawn_reason=WITHDRAWN_EXECUTIVE,
        at=at,
        notify=notify,
    )


@transaction.atomic
def override_area(*, provider, period, area, rag, rationale, user):
    """A director's override of an area's RAG for a month, and the re-rate that makes it count.

    The override is recorded (assurance.services.area_override_set: refused for a locked month,
    ReturnLocked, or without a rationale) and the provider's month is re-rated once it commits,
    followed by a RatingRun (request_recompute). Returns (the override, the RatingRun).
    """
    override = area_override_set(provider=provider, period=period, area=area, rag=rag, rationale=rationale, user=user)
    run = request_recompute([provider.pk], [period], user=user, trigger=RatingRun.Trigger.OVERRIDE)
    return override, run
