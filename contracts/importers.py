"""Import of contracts.csv (DESIGN.md, "Data interchange")."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from providers.importers import team_errors
from providers.importing import (
    CodeChoiceField,
    Importer,
    IsoDateField,
    MoneyField,
    RowError,
    YesNoField,
    update_or_create_if_changed,
)
from providers.models import CommissioningTeam, Provider, Service

from .choices import ContractStatus, ContractType
from .models import Contract
from .services import contract_set_services


class ContractRow(forms.Form):
    reference = forms.CharField(max_length=50)
    provider_code = forms.CharField(max_length=10)
    title = forms.CharField(max_length=255)
    contract_type = CodeChoiceField(choices=ContractType.choices)
    status = CodeChoiceField(choices=ContractStatus.choices)
    commissioning_team = forms.CharField(max_length=40)
    annual_value = MoneyField()
    total_value = MoneyField()
    start_date = IsoDateField()
    end_date = IsoDateField()
    strategic_importance = YesNoField(required=False)
    services = forms.CharField(required=False)

    def clean_provider_code(self):
        return self.cleaned_data["provider_code"].upper()

    def clean_services(self):
        codes = [c.strip() for c in self.cleaned_data["services"].split(";") if c.strip()]
        return list(dict.fromkeys(codes))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        annual, total = cleaned.get("annual_value"), cleaned.get("total_value")
        if annual is not None and total is not None and total < annual:
            self.add_error("total_value", _("The total value must be at least the annual value."))
        return cleaned


class ContractImporter(Importer):
    label = gettext_lazy("Contracts")
    columns = [
        "reference", "provider_code", "title", "contract_type", "status", "commissioning_team",
        "annual_value", "total_value", "start_date", "end_date", "strategic_importance", "services",
    ]
    key = "reference"
    form_class = ContractRow

    def prepare(self):
        self.providers = {p.code: p for p in Provider.objects.all()}
        self.teams = {t.code: t for t in CommissioningTeam.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}

    def check_row(self, cleaned, line):
        errors = team_errors(self.teams, cleaned.get("commissioning_team"), line)
        provider_code = cleaned.get("provider_code")
        if provider_code is not None and provider_code not in self.providers:
            errors.append(RowError(line, "provider_code", _("No provider has the code “%(code)s”; import it first.") % {
                "code": provider_code}))
        unknown = [code for code in cleaned.get("services", []) if code not in self.services]
        if unknown:
            errors.append(RowError(line, "services", _("Unknown service code(s): %(codes)s.") % {
                "codes": ", ".join(unknown)}))
        return errors

    def save_row(self, cleaned):
        values = {
            "provider": self.providers[cleaned["provider_code"]],
            "title": cleaned["title"],
            "contract_type": cleaned["contract_type"],
            "status": cleaned["status"],
            "commissioning_team": self.teams[cleaned["commissioning_team"]],
            "annual_value": cleaned["annual_value"],
            "total_value": cleaned["total_value"],
            "start_date": cleaned["start_date"],
            "end_date": cleaned["end_date"],
            "strategic_importance": cleaned["strategic_importance"],
        }
        contract, outcome = update_or_create_if_changed(
            Contract, {"reference": cleaned["reference"]}, values
        )
        lines_changed = contract_set_services(
            contract, [self.services[code] for code in cleaned["services"]]
        )
        if lines_changed and outcome == "unchanged":
            outcome = "updated"
        return outcome
