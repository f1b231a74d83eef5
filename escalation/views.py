"""The escalation page of a provider: level, timeline, step-down decisions, overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assurance.choices import Area
from assurance.services import area_override_set
from providers.models import Provider

from . import selectors, services
from .choices import EscalationReason
from .forms import ManualEscalationForm, OverrideForm, ProposalDecisionForm
from .models import StepDownProposal
from .pipeline import run_period

REASON_LABELS = dict(EscalationReason.choices)
AREA_LABELS = dict(Area.choices)


def page(request, provider, **forms):
    context = selectors.escalation_summary(provider)
    state = context["state"]
    pending = context["pending"]
    context.update({
        "provider": provider,
        "reason_labels": REASON_LABELS,
        "area_labels": AREA_LABELS,
        "can_decide": pending is not None and request.user.owns_level(pending.from_level),
        "decision_form": forms.get("decision_form") or ProposalDecisionForm(),
        "escalation_form": forms.get("escalation_form") or ManualEscalationForm(current=state.level if state else None),
        "override_form": forms.get("override_form") or OverrideForm(),
    })
    return render(request, "escalation/provider_escalation.html", context)


@login_required
@permission_required("escalation.view_providerescalation", raise_exception=True)
def provider_escalation(request, code):
    return page(request, get_object_or_404(Provider, code=code))


@require_POST
@login_required
@permission_required("escalation.change_stepdownproposal", raise_exception=True)
def decide_proposal(request, code, pk):
    provider = get_object_or_404(Provider, code=code)
    proposal = get_object_or_404(StepDownProposal, pk=pk, provider=provider)
    if not request.user.owns_level(proposal.from_level):
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        return page(request, provider, decision_form=form)
    try:
        services.proposal_decide(proposal=proposal, user=request.user, approve=form.cleaned_data["decision"] == "approve",
                                 rationale=form.cleaned_data["rationale"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your decision on the step-down for %(provider)s has been recorded.") % {
            "provider": provider.name})
    return redirect("escalation:provider_escalation", code=provider.code)


@require_POST
@login_required
@permission_required("escalation.add_escalationdecision", raise_exception=True)
def escalate(request, code):
    provider = get_object_or_404(Provider, code=code)
    state = selectors.escalation_summary(provider)["state"]
    form = ManualEscalationForm(request.POST, current=state.level if state else None)
    if not form.is_valid():
        return page(request, provider, escalation_form=form)
    services.manual_step_up(provider=provider, user=request.user, to_level=form.cleaned_data["to_level"],
                            reasons=form.cleaned_data["reasons"], rationale=form.cleaned_data["rationale"])
    messages.success(request, _("%(provider)s has been escalated to level %(level)s.") % {
        "provider": provider.name, "level": form.cleaned_data["to_level"]})
    return redirect("escalation:provider_escalation", code=provider.code)


@require_POST
@login_required
@permission_required("assurance.add_areaoverride", raise_exception=True)
def override(request, code):
    provider = get_object_or_404(Provider, code=code)
    latest = selectors.escalation_summary(provider)["latest"]
    form = OverrideForm(request.POST)
    if latest is None:
        messages.error(request, _("%(provider)s has not been rated yet.") % {"provider": provider.name})
        return redirect("escalation:provider_escalation", code=provider.code)
    if not form.is_valid():
        return page(request, provider, override_form=form)
    area_override_set(provider=provider, period=latest, area=form.cleaned_data["area"], rag=form.cleaned_data["rag"],
                      rationale=form.cleaned_data["rationale"], user=request.user)
    run_period(latest, [provider.pk])  # the override counts from now on
    messages.success(request, _("The override has been recorded and the month re-rated."))
    return redirect("escalation:provider_escalation", code=provider.code)
