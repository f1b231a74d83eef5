"""The escalation page of a provider: level, timeline, step-down decisions, overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, UpdateView

from assurance import access
from assurance.models import ProviderRating, RatingRun
from assurance.selectors import locked_periods
from assurance.services import ReturnLocked
from assurance.views import rating_notice
from providers.models import Provider

from . import selectors, services
from .choices import SUMMIT_AGENDA, MeetingKind
from .forms import (
    ActionPlanForm,
    ExecutiveDecisionForm,
    ManualEscalationForm,
    MeetingActionFormSet,
    MeetingForm,
    OverrideForm,
    ProposalDecisionForm,
    RiskForm,
)
from .models import ActionPlan, Meeting, ProviderEscalation, Risk, StepDownProposal


def page(request, provider, **forms):
    context = selectors.escalation_summary(provider)
    context.update(selectors.provider_records(provider, timezone.localdate()))
    context["can_record"] = access.can_record(request.user, provider)
    state = context["state"]
    pending = context["pending"]
    context.update(
        {
            "provider": provider,
            "can_decide": pending is not None and request.user.owns_level(pending.from_level),
            "decision_form": forms.get("decision_form") or ProposalDecisionForm(),
            "escalation_form": forms.get("escalation_form")
            or ManualEscalationForm(current=state.level if state else None),
            "override_form": forms.get("override_form") or OverrideForm(),
            "can_executive_decide": services.may_record_executive_decision(request.user, provider),
            "executive_form": forms.get("executive_form")
            or ExecutiveDecisionForm(current=state.level if state else None),
            "latest_locked": bool(context["latest"] and locked_periods([context["latest"]])),
        }
    )
    return render(request, "escalation/provider_escalation.html", context)


@require_GET
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
        services.proposal_decide(
            proposal=proposal,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            rationale=form.cleaned_data["rationale"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your decision on the step-down for %(provider)s has been recorded.") % {"provider": provider.name},
        )
    return redirect("escalation:provider_escalation", code=provider.code)


@require_POST
@login_required
@permission_required("escalation.add_escalationdecision", raise_exception=True)
def escalate(request, code):
    provider = get_object_or_404(Provider, code=code)
    state = ProviderEscalation.objects.filter(provider=provider).first()
    form = ManualEscalationForm(request.POST, current=state.level if state else None)
    if not form.is_valid():
        return page(request, provider, escalation_form=form)
    services.manual_step_up(
        provider=provider,
        user=request.user,
        to_level=form.cleaned_data["to_level"],
        reasons=form.cleaned_data["reasons"],
        rationale=form.cleaned_data["rationale"],
    )
    messages.success(
        request,
        _("%(provider)s has been escalated to level %(level)s.")
        % {"provider": provider.name, "level": form.cleaned_data["to_level"]},
    )
    return redirect("escalation:provider_escalation", code=provider.code)


@require_POST
@login_required
@permission_required("escalation.add_escalationdecision", raise_exception=True)
def executive_decision(request, code):
    """The Chief Executive records the Executive Committee's decision for a provider in special measures."""
    provider = get_object_or_404(Provider, code=code)
    if not request.user.owns_level(4):
        raise PermissionDenied
    state = ProviderEscalation.objects.filter(provider=provider).first()
    form = ExecutiveDecisionForm(request.POST, current=state.level if state else None)
    try:
        services.special_measures_required(provider)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("escalation:provider_escalation", code=provider.code)
    if not form.is_valid():
        return page(request, provider, executive_form=form)
    try:
        services.executive_decision(
            provider=provider,
            user=request.user,
            to_level=form.cleaned_data["to_level"],
            reasons=form.cleaned_data["reasons"],
            rationale=form.cleaned_data["rationale"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The Executive Committee decision has been recorded: %(provider)s is now at level %(level)s.")
            % {"provider": provider.name, "level": form.cleaned_data["to_level"]},
        )
    return redirect("escalation:provider_escalation", code=provider.code)


@require_POST
@login_required
@permission_required("assurance.add_areaoverride", raise_exception=True)
def override(request, code):
    provider = get_object_or_404(Provider, code=code)
    latest = (
        ProviderRating.objects.filter(provider=provider).order_by("-period").values_list("period", flat=True).first()
    )
    form = OverrideForm(request.POST)
    if latest is None:
        messages.error(request, _("%(provider)s has not been rated yet.") % {"provider": provider.name})
        return redirect("escalation:provider_escalation", code=provider.code)
    if not form.is_valid():
        return page(request, provider, override_form=form)
    try:
        _override, run = services.override_area(
            provider=provider,
            period=latest,
            area=form.cleaned_data["area"],
            rag=form.cleaned_data["rag"],
            rationale=form.cleaned_data["rationale"],
            user=request.user,
        )
    except ReturnLocked as exc:
        messages.error(request, str(exc))
        return redirect("escalation:provider_escalation", code=provider.code)
    run.refresh_from_db()  # the re-rate was asked for on commit: done by now, unless a worker has it
    if run.status == RatingRun.Status.DONE:
        messages.success(request, _("The override has been recorded and the month re-rated."))
    else:
        messages.success(request, _("The override has been recorded."))
        rating_notice(request, run)
    return redirect("escalation:provider_escalation", code=provider.code)


# Meetings, action plans and risks -------------------------------------------------------


class ProviderRecordMixin(PermissionRequiredMixin):
    """Create or edit a record about a provider; team members only for their teams' providers."""

    template_name = "register/form.html"
    title = ""

    def has_permission(self):
        if not super().has_permission():
            return False
        self.provider = get_object_or_404(Provider, code=self.kwargs["code"])
        return access.can_record(self.request.user, self.provider, action=self.permission_required)

    def get_queryset(self):
        return self.model.objects.filter(provider=self.provider)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title % {"provider": self.provider.name}
        context["cancel_url"] = reverse("escalation:provider_escalation", args=[self.provider.code])
        return context

    def get_success_url(self):
        return reverse("escalation:provider_escalation", args=[self.provider.code])

    def form_valid(self, form):
        form.instance.provider = self.provider
        response = super().form_valid(form)
        messages.success(self.request, _("%(record)s has been saved.") % {"record": self.object})
        return response


class MeetingFormMixin(ProviderRecordMixin):
    model = Meeting
    form_class = MeetingForm
    template_name = "escalation/meeting_form.html"
    permission_required = "escalation.add_meeting"

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind")
        if kind in MeetingKind.values:
            initial["kind"] = kind
            if kind == MeetingKind.PROVIDER_SUMMIT:
                initial["agenda"] = SUMMIT_AGENDA
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "actions", kwargs.get("actions") or MeetingActionFormSet(instance=getattr(self, "object", None))
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if "pk" in self.kwargs else None
        form = self.get_form()
        actions = MeetingActionFormSet(request.POST, instance=self.object or Meeting())
        if form.is_valid() and actions.is_valid():
            with transaction.atomic():
                form.instance.provider = self.provider
                if not form.instance.pk:
                    form.instance.recorded_by = request.user
                self.object = form.save()
                actions.instance = self.object
                actions.save()
            messages.success(request, _("%(record)s has been saved.") % {"record": self.object})
            return redirect(self.get_success_url())
        form.extra_error_summary = [
            (f"id_{f.prefix}-{field}", _("Action %(n)s: %(message)s") % {"n": n, "message": m})
            for n, f in enumerate(actions.forms, start=1)
            for field, ms in f.errors.items()
            for m in ms
        ]
        return self.render_to_response(self.get_context_data(form=form, actions=actions))


class MeetingCreateView(MeetingFormMixin, CreateView):
    title = _lazy("Record a meeting with %(provider)s")


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    title = _lazy("Edit a meeting with %(provider)s")
    permission_required = "escalation.change_meeting"


class ActionPlanCreateView(ProviderRecordMixin, CreateView):
    model = ActionPlan
    form_class = ActionPlanForm
    permission_required = "escalation.add_actionplan"
    title = _lazy("Action plan for %(provider)s")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("area", "indicator"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class ActionPlanUpdateView(ProviderRecordMixin, UpdateView):
    model = ActionPlan
    form_class = ActionPlanForm
    permission_required = "escalation.change_actionplan"
    title = _lazy("Action plan for %(provider)s")


class RiskCreateView(ProviderRecordMixin, CreateView):
    model = Risk
    form_class = RiskForm
    permission_required = "escalation.add_risk"
    title = _lazy("Record a risk about %(provider)s")


class RiskUpdateView(ProviderRecordMixin, UpdateView):
    model = Risk
    form_class = RiskForm
    permission_required = "escalation.change_risk"
    title = _lazy("Edit a risk about %(provider)s")
