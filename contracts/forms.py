"""Forms for the contract register and the register import."""

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from providers.forms import NHSModelForm
from providers.models import Provider

from .models import Contract, ContractLine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ContractForm(NHSModelForm):
    class Meta:
        model = Contract
        fields = [
            "reference",
            "provider",
            "title",
            "contract_type",
            "status",
            "commissioning_team",
            "annual_value",
            "total_value",
            "start_date",
            "end_date",
            "renewal_date",
            "strategic_importance",
            "service_area",
            "service_description",
            "operational_lead",
            "contractual_lead",
        ]
        widgets = {
            "reference": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "annual_value": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "min": 0, "step": "0.01"}),
            "total_value": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "min": 0, "step": "0.01"}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "renewal_date": DateInput(),
            "service_description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "annual_value": _("In pounds. £40m or more makes the contract tier 1; £10m to £40m tier 2."),
            "total_value": _("In pounds, for the whole contract including any extension periods."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer active providers, and the contract's own provider even if it is inactive.
        self.fields["provider"].queryset = Provider.objects.filter(Q(active=True) | Q(pk=self.instance.provider_id))


class ContractLineForm(NHSModelForm):
    class Meta:
        model = ContractLine
        fields = ["service", "planned_activity", "planned_cost"]
        widgets = {
            "planned_activity": forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "min": 0}),
            "planned_cost": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "min": 0, "step": "0.01"}),
        }


class BaseContractLineFormSet(BaseInlineFormSet):
    def planned_lines(self):
        """The lines as values for contracts.services.contract_save: {service: (activity, cost)}
        for every line kept or added (a deleted or blank line is left out)."""
        return {
            form.cleaned_data["service"]: (
                form.cleaned_data.get("planned_activity"),
                form.cleaned_data.get("planned_cost"),
            )
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("service")
            and not self._should_delete_form(form)
        }

    def validate_unique(self):
        """One line per service, said on the line that repeats it (not Django's generic text)."""
        first_line = {}
        for number, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            service = form.cleaned_data.get("service")
            if service is None:
                continue
            if service in first_line:
                form.add_error(
                    "service",
                    _("%(service)s is already on line %(line)s.") % {"service": service, "line": first_line[service]},
                )
            else:
                first_line[service] = number

    def error_summary(self):
        """(anchor, message) for every line error, for the page's error summary."""
        items = [("lines", str(error)) for error in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            for field, messages in form.errors.items():
                anchor = form[field].auto_id if field in form.fields else f"id_{form.prefix}-service"
                for message in messages:
                    items.append((anchor, _("Line %(line)s: %(message)s") % {"line": number, "message": message}))
        return items


ContractLineFormSet = inlineformset_factory(
    Contract, ContractLine, form=ContractLineForm, formset=BaseContractLineFormSet, extra=3, can_delete=True
)
