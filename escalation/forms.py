from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assurance.choices import Area, Rag
from providers.forms import NHSModelForm

from .choices import DeepDiveScope, EscalationReason, IntelligenceKind, Level, MeetingKind
from .models import ActionPlan, IntelligenceEntry, Meeting, MeetingAction, Risk


class PageForm(forms.Form):
    """Several of these forms share one page: each gets its own element ids (auto_id)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ProposalDecisionForm(PageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(
        label=_("Your decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve the step-down")), ("reject", _("Reject it: keep the current level"))],
        error_messages={"required": _("Choose whether to approve or reject the step-down.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Kept with the decision, with your name and the time."),
        error_messages={"required": _("Give the rationale for your decision.")},
    )


class ManualEscalationForm(PageForm):
    id_prefix = "escalate"
    to_level = forms.TypedChoiceField(
        label=_("Escalate to"),
        coerce=int,
        choices=Level.choices,
        error_messages={"required": _("Select the level to escalate to.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        choices=EscalationReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason for the escalation.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Give the rationale for the escalation.")},
    )
    intelligence = forms.ModelMultipleChoiceField(
        label=_("Intelligence cited (optional)"),
        queryset=IntelligenceEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Entries from the provider's intelligence log that support the escalation."),
    )

    def __init__(self, *args, current=None, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        entries = IntelligenceEntry.objects.filter(provider=provider) if provider else IntelligenceEntry.objects.none()
        self.fields["intelligence"].queryset = entries
        self.fields["intelligence"].label_from_instance = lambda e: f"{e.date:%d %b %Y}: {e.title} ({e.source})"
        levels = [(v, label) for v, label in Level.choices if not current or v > current]
        self.fields["to_level"].choices = [("", _("Select a level"))] + levels if levels else []

    def clean_to_level(self):
        level = self.cleaned_data["to_level"]
        if self.current and level <= self.current:
            raise forms.ValidationError(_("Choose a level above the current level."))
        return level


class ExecutiveDecisionForm(PageForm):
    """The Executive Committee's decision on the level of a provider in special measures:
    any level but the current one, up or down (seed 002, 3.5.1)."""

    id_prefix = "executive"
    to_level = forms.TypedChoiceField(
        label=_("Set the level to"),
        coerce=int,
        choices=Level.choices,
        error_messages={"required": _("Select the level the Executive Committee decided.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons (optional)"),
        choices=EscalationReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("The Executive Committee's reasoning, kept with the decision, your name and the time."),
        error_messages={"required": _("Give the rationale for the Executive Committee decision.")},
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        levels = [(v, label) for v, label in Level.choices if v != current]
        self.fields["to_level"].choices = [("", _("Select a level"))] + levels

    def clean_to_level(self):
        level = self.cleaned_data["to_level"]
        if level == self.current:
            raise forms.ValidationError(_("Choose a level other than the current level."))
        return level


class OverrideForm(PageForm):
    id_prefix = "override"
    area = forms.ChoiceField(label=_("Key area"), choices=Area.choices)
    rag = forms.ChoiceField(
        label=_("Rating that should count"),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the rating that should count.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Why the computed rating does not reflect the provider's position."),
        error_messages={"required": _("Give the rationale for the override.")},
    )


class MeetingForm(NHSModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "date",
            "chair",
            "executive_chair",
            "scope",
            "scope_detail",
            "other_providers",
            "attendees",
            "agenda",
            "minutes",
        ]
        widgets = {
            "other_providers": forms.SelectMultiple(attrs={"size": 8}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 8}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, provider=None, level=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider, self.level = provider, level
        others = self.fields["other_providers"]
        others.queryset = others.queryset.filter(active=True).order_by("name")
        if provider is not None:
            others.queryset = others.queryset.exclude(pk=provider.pk)
        others.help_text = _("For a deep dive across providers: the providers it also covers.")
        self.fields["scope"].required = False  # blank: one provider, as before deep dives could cover several

    def clean_scope(self):
        return self.cleaned_data.get("scope") or DeepDiveScope.PROVIDER

    def clean(self):
        cleaned = super().clean()
        kind, scope = cleaned.get("kind"), cleaned.get("scope")
        if kind != MeetingKind.DEEP_DIVE and (
            cleaned.get("other_providers") or scope not in (None, DeepDiveScope.PROVIDER)
        ):
            self.add_error("scope", _("Only a deep dive covers a specialty or geography across providers."))
        if kind == MeetingKind.DEEP_DIVE and scope != DeepDiveScope.PROVIDER:
            if not cleaned.get("scope_detail"):
                self.add_error("scope_detail", _("Name the specialty or geography the deep dive covers."))
            if not cleaned.get("other_providers"):
                self.add_error("other_providers", _("Choose the other providers the deep dive covers."))
        # METHODOLOGY 5: at level 4 the CQPRM is chaired by the executive lead.
        if self.level == 4 and kind == MeetingKind.CQPRM and not cleaned.get("executive_chair"):
            self.add_error(
                "executive_chair", _("At level 4 the CQPRM is chaired by the executive lead: give their name and post.")
            )
        return cleaned


class MeetingActionForm(NHSModelForm):
    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


MeetingActionFormSet = inlineformset_factory(Meeting, MeetingAction, form=MeetingActionForm, extra=3, can_delete=True)


class ActionPlanForm(NHSModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "area",
            "indicator",
            "title",
            "actions",
            "review_points",
            "next_review",
            "risk_assessment",
            "support_needed",
            "owner",
            "status",
        ]
        widgets = {
            "next_review": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actions": forms.Textarea(attrs={"rows": 5}),
            "review_points": forms.Textarea(attrs={"rows": 3}),
            "risk_assessment": forms.Textarea(attrs={"rows": 3}),
            "support_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        indicator, area = cleaned.get("indicator"), cleaned.get("area")
        if indicator is not None and area and indicator.area != area:
            self.add_error("indicator", _("Choose an indicator in the same key area as the plan."))
        return cleaned


class RiskForm(NHSModelForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "area",
            "team",
            "description",
            "likelihood",
            "consequence",
            "controls",
            "mitigation",
            "owner",
            "review_date",
            "status",
        ]
        widgets = {
            "review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "likelihood": forms.Select(choices=[(n, n) for n in range(1, 6)]),
            "consequence": forms.Select(choices=[(n, n) for n in range(1, 6)]),
            "description": forms.Textarea(attrs={"rows": 3}),
            "controls": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }


class IntelligenceForm(NHSModelForm):
    """A piece of intelligence about a provider: a link (http or https only) or an attachment
    (the model checks its type and size), or neither when there is nothing to link to."""

    class Meta:
        model = IntelligenceEntry
        fields = ["kind", "date", "title", "source", "area", "severity", "rating", "summary", "link", "attachment"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rating") and cleaned.get("kind") not in (
            IntelligenceKind.INSPECTION_RATING,
            IntelligenceKind.REGULATOR_REPORT,
        ):
            self.add_error("rating", _("A regulator rating goes with an inspection rating or a regulator report."))
        if cleaned.get("kind") == IntelligenceKind.INSPECTION_RATING and not cleaned.get("rating"):
            self.add_error("rating", _("Choose the rating the regulator gave."))
        return cleaned
