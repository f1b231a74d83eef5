"""The escalation page of a provider: level, timeline, step-down decisions, overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, UpdateView

from assurance import access
from assurance.choices import Area
from assurance.models import ProviderRating, RatingRun
from assurance.selectors import locked_periods
from assurance.services import ReturnLocked
from assurance.views import rating_notice
from contracts import exports
from providers.models import CommissioningTeam, Provider

from . import registers, selectors, services
from .choices import SUMMIT_AGENDA, SUMMIT_ATTENDEES, IntelligenceKind, MeetingKind, RiskRegister
from .forms import (
    ActionPlanForm,
    ExecutiveDecisionForm,
    IntelligenceForm,
    ManualEscalationForm,
    MeetingActionFormSet,
    MeetingForm,
    OverrideForm,
    ProposalDecisionForm,
    RiskForm,
)
from .models import ActionPlan, IntelligenceEntry, Meeting, ProviderEscalation, Risk, StepDownProposal


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
            or ManualEscalationForm(current=state.level if state else None, provider=provider),
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
    form = ManualEscalationForm(request.POST, current=state.level if state else None, provider=provider)
    if not form.is_valid():
        return page(request, provider, escalation_form=form)
    services.manual_step_up(
        provider=provider,
        user=request.user,
        to_level=form.cleaned_data["to_level"],
        reasons=form.cleaned_data["reasons"],
        rationale=form.cleaned_data["rationale"],
        intelligence=list(form.cleaned_data["intelligence"]),
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
            if kind == MeetingKind.PROVIDER_SUMMIT:  # seed 002, Appendix 2: who attends and the agenda
                initial["agenda"] = SUMMIT_AGENDA
                initial["attendees"] = SUMMIT_ATTENDEES
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        state = ProviderEscalation.objects.filter(provider=self.provider).first()
        kwargs.update(provider=self.provider, level=state.level if state else None)
        return kwargs

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
                self.object = form.save()  # with its other providers (a deep dive across providers)
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

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("area") in Area.values:  # from a Red area's "No risk assessment" flag
            initial["area"] = self.request.GET["area"]
        return initial


class RiskUpdateView(ProviderRecordMixin, UpdateView):
    model = Risk
    form_class = RiskForm
    permission_required = "escalation.change_risk"
    title = _lazy("Edit a risk about %(provider)s")


# Risk registers (METHODOLOGY 7) ----------------------------------------------------------------

REGISTER_TITLES = {
    RiskRegister.TEAM: _lazy("Commissioning team risk register (scores 8 to 12)"),
    RiskRegister.CORPORATE: _lazy("Corporate risk register, CRAF (scores 15 and above)"),
}


@require_GET
@login_required
@permission_required("escalation.view_risk", raise_exception=True)
def risk_register(request, register):
    """A register's open risks, filtered by team, provider, owner and review overdue; CSV or XLSX."""
    if register not in registers.REGISTERS:
        raise Http404
    scope = access.provider_scope(request.user, "escalation.view_risk")
    team_id = request.GET.get("team", "")
    team = CommissioningTeam.objects.filter(pk=team_id).first() if team_id.isdigit() else None
    provider = scope.filter(code=request.GET.get("provider", "")).first()
    owner = request.GET.get("owner", "").strip()[:200]
    overdue = request.GET.get("overdue") == "on"
    sort = request.GET.get("sort") if request.GET.get("sort") in registers.SORTS else "score"
    risks = registers.register_risks(
        register,
        provider_ids=None if not access.is_team_limited(request.user) else list(scope.values_list("pk", flat=True)),
        team=team,
        provider=provider,
        owner=owner,
        overdue=overdue,
        today=timezone.localdate(),
        sort=sort,
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        header, rows = registers.export_rows(risks)
        name = f"risk-register-{register}-{timezone.localdate():%Y-%m-%d}.{export}"
        if export == "csv":
            response = HttpResponse(exports.to_csv(header, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(header, rows, str(_("Risks"))),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for file_format in ("csv", "xlsx"):
        query["export"] = file_format
        links[file_format] = f"?{query.urlencode()}"
    page_obj = Paginator(risks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "escalation/risk_register.html",
        {
            "title": REGISTER_TITLES[register],
            "register": register,
            "other": RiskRegister.CORPORATE if register == RiskRegister.TEAM else RiskRegister.TEAM,
            "page_obj": page_obj,
            "risks": page_obj.object_list,
            "count": len(risks),
            "teams": CommissioningTeam.objects.order_by("name"),
            "providers": scope.filter(risks__isnull=False).distinct().order_by("name"),
            "selected": {
                "team": str(team.pk) if team else "",
                "provider": provider.code if provider else "",
                "owner": owner,
                "overdue": overdue,
                "sort": sort,
            },
            "export": links,
        },
    )


# Provider intelligence (issue 18) --------------------------------------------------------------


def _intelligence_provider(request, code, action):
    provider = get_object_or_404(Provider, code=code)
    if not access.can(request.user, action, provider):
        raise PermissionDenied
    return provider


@require_GET
@login_required
def intelligence_list(request, code):
    """A provider's intelligence log, newest first, filtered by kind or area."""
    provider = _intelligence_provider(request, code, "escalation.view_intelligenceentry")
    entries = IntelligenceEntry.objects.filter(provider=provider).select_related("provider", "recorded_by")
    kind = request.GET.get("kind", "")
    area = request.GET.get("area", "")
    if kind in IntelligenceKind.values:
        entries = entries.filter(kind=kind)
    if area in Area.values:
        entries = entries.filter(area=area)
    order = "date" if request.GET.get("sort") == "oldest" else "-date"
    page_obj = Paginator(entries.order_by(order, "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "escalation/intelligence_list.html",
        {
            "provider": provider,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "kinds": IntelligenceKind.choices,
            "areas": Area.choices,
            "selected": {"kind": kind, "area": area, "sort": request.GET.get("sort", "")},
            "can_record": access.can(request.user, "escalation.add_intelligenceentry", provider),
            "can_edit": access.can(request.user, "escalation.change_intelligenceentry", provider),
        },
    )


class IntelligenceFormMixin(ProviderRecordMixin):
    model = IntelligenceEntry
    form_class = IntelligenceForm

    def get_success_url(self):
        return reverse("escalation:intelligence_list", args=[self.provider.code])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        context["multipart"] = True
        return context


class IntelligenceCreateView(IntelligenceFormMixin, CreateView):
    permission_required = "escalation.add_intelligenceentry"
    title = _lazy("Record intelligence about %(provider)s")

    def form_valid(self, form):
        form.instance.recorded_by = self.request.user
        return super().form_valid(form)


class IntelligenceUpdateView(IntelligenceFormMixin, UpdateView):
    permission_required = "escalation.change_intelligenceentry"
    title = _lazy("Edit intelligence about %(provider)s")


@require_GET
@login_required
def intelligence_attachment(request, code, pk):
    """An entry's attachment, to those who may read the provider's intelligence, always as a download."""
    provider = _intelligence_provider(request, code, "escalation.view_intelligenceentry")
    entry = get_object_or_404(IntelligenceEntry, pk=pk, provider=provider)
    if not entry.attachment:
        raise Http404
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=entry.attachment.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response
