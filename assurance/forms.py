"""The monthly return entry form: one small form per applicable indicator."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from providers.forms import NHSModelForm
from providers.models import Provider

from . import rules
from .choices import Rag, ValueStatus
from .models import Indicator, Trajectory
from .periods import format_period, parse_period

MAX_NOTE = 4000


class ResultForm(forms.Form):
    """One indicator's result for the month, checked as METHODOLOGY 8 says."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ValueStatus.choices,
                               initial=ValueStatus.REPORTED)
    value = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=40)
    rag = forms.ChoiceField(label=gettext_lazy("RAG"), required=False,
                            choices=[("", gettext_lazy("Not rated"))] + Rag.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator, history, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.history = history  # [(period, IndicatorValue or None)], oldest first
        self.submitting = submitting
        self.outlier = False
        self.limits = rules.process_limits(
            [v.value for _p, v in history if v is not None and v.value is not None]
        ) if not indicator.judgement else None
        if not self.is_bound and self.initial.get("status") == ValueStatus.REPORTED:
            # A saved value outside the usual range is flagged as soon as the page opens.
            self.outlier = self.outside_limits(rules.parse_number(self.initial.get("value")))

    def outside_limits(self, value):
        if value is None or not self.limits:
            return False
        _centre, lower, upper = self.limits
        return value < lower or value > upper

    def clean_value(self):
        try:
            return rules.parse_number(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a number, for example 95 or 95.5.")) from exc

    def clean(self):
        cleaned = super().clean()
        if "value" not in cleaned or "status" not in cleaned:
            return cleaned
        for field, message in rules.result_problems(
            judgement=self.indicator.judgement, unit=self.indicator.unit,
            status=cleaned["status"], value=cleaned["value"], rag=cleaned.get("rag", ""),
        ):
            self.add_error(field, _(message))
        value = cleaned.get("value")
        if cleaned.get("status") == ValueStatus.REPORTED and self.outside_limits(value):
            self.outlier = True
            _centre, lower, upper = self.limits
            if self.submitting and not cleaned.get("note", "").strip():
                self.add_error("note", _(
                    "%(value)s is outside this indicator's usual range for the provider "
                    "(%(lower)s to %(upper)s over the last 12 months). Add a note confirming it "
                    "is right before you submit."
                ) % {"value": number_format(value.normalize(), use_l10n=True),  # "80", not "8E+1" or "80.000"
                     "lower": number_format(round(lower, 1), use_l10n=True),
                     "upper": number_format(round(upper, 1), use_l10n=True)})
        return cleaned

    def result(self):
        data = self.cleaned_data
        return {"status": data["status"], "value": data["value"], "rag": data.get("rag", ""),
                "note": data.get("note", "")}

    @property
    def history_text(self):
        shown = []
        for period, value in self.history:
            if value is None:
                shown.append((format_period(period), "—"))
            elif value.status != ValueStatus.REPORTED:
                shown.append((format_period(period), value.get_status_display()))
            else:
                shown.append((format_period(period), value.rag or f"{value.value.normalize():,f}"))
        return shown


def build_result_forms(indicators, history, existing, data=None, submitting=False):
    """A ResultForm per indicator, prefilled from the saved values."""
    forms_ = []
    for indicator in indicators:
        saved = existing.get(indicator.pk)
        initial = {"status": ValueStatus.REPORTED}
        if saved is not None:
            initial = {"status": saved.status, "rag": saved.rag, "note": saved.note,
                       "value": "" if saved.value is None else f"{saved.value.normalize():f}"}
        forms_.append(ResultForm(
            data=data, prefix=f"i{indicator.pk}", initial=initial, indicator=indicator,
            history=history.get(indicator.pk, []), submitting=submitting,
        ))
    return forms_


class TrajectoryForm(NHSModelForm):
    """An agreed improvement trajectory point: the value a provider should reach in a month."""

    period_text = forms.CharField(label=gettext_lazy("Month"), help_text=gettext_lazy("For example 2026-12."),
                                  max_length=7, widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}))

    class Meta:
        model = Trajectory
        fields = ["provider", "indicator", "value"]

    def __init__(self, *args, allowed_provider_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(active=True)
        if allowed_provider_ids is not None:
            providers = providers.filter(pk__in=allowed_provider_ids)
        self.fields["provider"].queryset = providers
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True, judgement=False)
        self.fields["provider"].empty_label = self.fields["indicator"].empty_label = _("Select an option")
        self.order_fields(["provider", "indicator", "period_text", "value"])

    def clean_period_text(self):
        try:
            return parse_period(self.cleaned_data["period_text"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-12.")) from exc

    def clean(self):
        cleaned = super().clean()
        indicator, value, period = cleaned.get("indicator"), cleaned.get("value"), cleaned.get("period_text")
        if indicator is not None and value is not None:
            problem = rules.value_problem(indicator.unit, value)
            if problem:
                self.add_error("value", _(problem))
        if period is not None:
            self.instance.period = period
            if cleaned.get("provider") and indicator and Trajectory.objects.filter(
                provider=cleaned["provider"], indicator=indicator, period=period
            ).exists():
                self.add_error("period_text", _("A trajectory is already agreed for this provider, indicator and month."))
        return cleaned


class IndicatorForm(NHSModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "description", "area", "setting", "domain", "cohort", "unit", "polarity",
                  "target", "amber_threshold", "critical", "judgement", "services", "data_source", "active"]
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "target": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "any"}),
            "amber_threshold": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "any"}),
            "services": forms.CheckboxSelectMultiple,
        }
