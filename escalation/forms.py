from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.choices import Area, Rag

from .choices import EscalationReason, Level


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve the step-down")), ("reject", _("Reject it: keep the current level"))])
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                help_text=_("Kept with the decision, with your name and the time."))


class ManualEscalationForm(forms.Form):
    to_level = forms.TypedChoiceField(label=_("Escalate to"), coerce=int, choices=Level.choices)
    reasons = forms.MultipleChoiceField(label=_("Reasons"), choices=EscalationReason.choices,
                                        widget=forms.CheckboxSelectMultiple)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current:
            self.fields["to_level"].choices = [(v, label) for v, label in Level.choices if v > current]

    def clean_to_level(self):
        level = self.cleaned_data["to_level"]
        if self.current and level <= self.current:
            raise forms.ValidationError(_("Choose a level above the current level."))
        return level


class OverrideForm(forms.Form):
    area = forms.ChoiceField(label=_("Key area"), choices=Area.choices)
    rag = forms.ChoiceField(label=_("Rating that should count"), choices=Rag.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                help_text=_("Why the computed rating does not reflect the provider's position."))
