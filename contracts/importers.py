"""Imports of contracts.csv and contract_lines.csv (DESIGN.md, "Data interchange").

contracts.csv's `services` column makes the contract's lines exactly those services (adding
and removing lines); contract_lines.csv then sets each line's planned annual activity and
cost. A contract_lines.csv row for a service the contract does not have yet adds that line,
as the services column would: the file is the register's own list of lines, so it is taken
as it stands rather than refused row by row. A later contracts.csv whose services column
leaves that service out removes the line again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from providers.importers import team_errors
from providers.importing import (
    CodeChoiceField,
    Importer,
    IsoDateField,
    MoneyField,
    RegisterCodeField,
    RowError,
    WholeNumberField,
    YesNoField,
    code_list_errors,
    split_codes,
    unknown_code_message,
    unknown_codes_message,
)
from providers.models import CommissioningTeam, Provider, Service
from providers.periods import format_period, month_end, parse_period

from .choices import ContractStatus, ContractType
from .models import Contract, ContractLine
from .services import KEEP, ActualsRefused, contract_line_save, contract_save, line_actual_save

# contracts.csv's optional columns (the rest of seed 002's register): set when the column is in
# the file (a blank cell clears the value), left as they are when it is not.
OPTIONAL_COLUMNS = ["service_area", "service_description", "operational_lead", "contractual_lead", "renewal_date"]


class ContractRow(forms.Form):
    reference = forms.CharField(max_length=50)
    provider_code = RegisterCodeField()
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
    service_area = forms.CharField(max_length=200, required=False)
    service_description = forms.CharField(required=False)
    operational_lead = forms.CharField(max_length=200, required=False)
    contractual_lead = forms.CharField(max_length=200, required=False)
    renewal_date = IsoDateField(required=False)

    def clean_services(self):
        codes = split_codes(self.cleaned_data["services"])
        problems = code_list_errors(codes)
        if problems:
            raise forms.ValidationError(problems)
        return codes

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        renewal = cleaned.get("renewal_date")
        if start and renewal and renewal < start:
            self.add_error("renewal_date", _("The renewal date must be on or after the start date."))
        annual, total = cleaned.get("annual_value"), cleaned.get("total_value")
        if annual is not None and total is not None and total < annual:
            self.add_error("total_value", _("The total value must be at least the annual value."))
        return cleaned


class ContractImporter(Importer):
    label = gettext_lazy("Contracts")
    columns = [
        "reference",
        "provider_code",
        "title",
        "contract_type",
        "status",
        "commissioning_team",
        "annual_value",
        "total_value",
        "start_date",
        "end_date",
        "strategic_importance",
        "services",
    ]
    key = "reference"
    form_class = ContractRow

    def prepare(self):
        self.providers = {p.code: p for p in Provider.objects.all()}
        self.teams = {t.code: t for t in CommissioningTeam.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}

    def validate_row(self, row, line):
        cleaned, errors = super().validate_row(row, line)
        cleaned["optional_columns"] = [column for column in OPTIONAL_COLUMNS if column in row]
        return cleaned, errors

    def check_row(self, cleaned, line):
        errors = team_errors(self.teams, cleaned.get("commissioning_team"), line)
        provider_code = cleaned.get("provider_code")
        if provider_code is not None and provider_code not in self.providers:
            errors.append(
                RowError(
                    line,
                    "provider_code",
                    unknown_code_message(
                        _("No provider has the code “%(code)s”; import it first.") % {"code": provider_code},
                        provider_code,
                        self.providers,
                    ),
                )
            )
        unknown = [code for code in cleaned.get("services", []) if code not in self.services]
        if unknown:
            errors.append(RowError(line, "services", unknown_codes_message(unknown, self.services)))
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
        for column in cleaned["optional_columns"]:
            values[column] = cleaned[column]
        # The services column is the contract's whole list of lines; kept lines keep their figures.
        lines = {self.services[code]: KEEP for code in cleaned["services"]}
        _contract, outcome = contract_save(reference=cleaned["reference"], data=values, lines=lines)
        return outcome


class ContractLineRow(forms.Form):
    contract_reference = forms.CharField(max_length=50)
    service_code = RegisterCodeField()
    planned_annual_activity = WholeNumberField(required=False)
    planned_annual_cost = MoneyField(required=False)


class ContractLineImporter(Importer):
    """contract_lines.csv: each line's planned annual activity and cost (blank: not planned).

    A row for a service the contract does not have yet adds the line (see the module's note).
    """

    label = gettext_lazy("Contract lines")
    columns = ["contract_reference", "service_code", "planned_annual_activity", "planned_annual_cost"]
    key = ("contract_reference", "service_code")
    form_class = ContractLineRow

    def prepare(self):
        self.contracts = {c.reference: c for c in Contract.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}

    def check_row(self, cleaned, line):
        errors = []
        reference, code = cleaned.get("contract_reference"), cleaned.get("service_code")
        if reference is not None and reference not in self.contracts:
            errors.append(
                RowError(
                    line,
                    "contract_reference",
                    _("No contract has the reference “%(reference)s”; import it in contracts.csv first.")
                    % {"reference": reference},
                )
            )
        if code is not None and code not in self.services:
            errors.append(
                RowError(
                    line,
                    "service_code",
                    unknown_code_message(
                        _("No service has the code “%(code)s”.") % {"code": code}, code, self.services
                    ),
                )
            )
        return errors

    def save_row(self, cleaned):
        return contract_line_save(
            contract=self.contracts[cleaned["contract_reference"]],
            service=self.services[cleaned["service_code"]],
            planned_activity=cleaned["planned_annual_activity"],
            planned_cost=cleaned["planned_annual_cost"],
        )


class PeriodField(forms.CharField):
    """A month written YYYY-MM, as the first day of the month."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-04.")) from exc


class ActivityRow(forms.Form):
    contract_reference = forms.CharField(max_length=50)
    service_code = RegisterCodeField()
    period = PeriodField()
    activity = WholeNumberField(required=False)
    cost = MoneyField(required=False)

    def clean(self):
        cleaned = super().clean()
        activity, cost = cleaned.get("activity"), cleaned.get("cost")
        # Both blank: a row of the team template not filled in yet, skipped (nothing recorded).
        if activity is None and cost is not None and "activity" not in self.errors:
            self.add_error("activity", _("Enter the activity as well as the cost, or leave both blank."))
        if cost is None and activity is not None and "cost" not in self.errors:
            self.add_error("cost", _("Enter the cost as well as the activity, or leave both blank."))
        return cleaned


class ActivityImporter(Importer):
    """activity.csv: each contract line's actual activity and cost in a month (METHODOLOGY 9).

    The line is the contract's line for the service, the contract must be live that month and
    the month not locked; re-importing a row replaces that month's actuals. `locked` holds the
    locked months and `allowed_team_ids` the teams whose contracts the uploader may fill (None:
    any); both come from assurance, which contracts may not import. `changed` lists the
    (provider id, month) whose figures changed, for the ratings to follow.
    """

    label = gettext_lazy("Activity and cost")
    columns = ["contract_reference", "service_code", "period", "activity", "cost"]
    key = ("contract_reference", "service_code", "period")
    form_class = ActivityRow

    def __init__(self, *, locked=frozenset(), allowed_team_ids=None):
        self.locked = frozenset(locked)
        self.allowed_team_ids = allowed_team_ids
        self.changed = set()

    def describe_key(self, key):
        reference, code, period = key
        return f"{reference}, {code}, {format_period(period)}"

    def prepare(self):
        self.contracts = {c.reference: c for c in Contract.objects.select_related("provider")}
        self.lines = {
            (line.contract.reference, line.service.code): line
            for line in ContractLine.objects.select_related("contract", "service")
        }
        self.changed = set()

    def check_row(self, cleaned, line):
        errors = []
        reference, code, period = (cleaned.get(k) for k in ("contract_reference", "service_code", "period"))
        contract = self.contracts.get(reference) if reference is not None else None
        if reference is not None and contract is None:
            errors.append(
                RowError(
                    line,
                    "contract_reference",
                    _("No contract has the reference “%(reference)s”.") % {"reference": reference},
                )
            )
        elif (
            contract is not None
            and self.allowed_team_ids is not None
            and (contract.commissioning_team_id not in self.allowed_team_ids)
        ):
            errors.append(
                RowError(
                    line,
                    "contract_reference",
                    _("Contract %(reference)s belongs to another team, so you cannot record its actuals.")
                    % {"reference": reference},
                )
            )
        elif contract is not None and code is not None and (reference, code) not in self.lines:
            errors.append(
                RowError(
                    line,
                    "service_code",
                    _("Contract %(reference)s has no line for the service “%(code)s”.")
                    % {"reference": reference, "code": code},
                )
            )
        if cleaned.get("activity") is None and cleaned.get("cost") is None:
            return errors  # a blank row records nothing, so neither the lock nor the dates matter
        if period is not None and period in self.locked:
            errors.append(
                RowError(
                    line,
                    "period",
                    _("%(period)s is locked after sign-off; ask an administrator to unlock it.")
                    % {"period": format_period(period)},
                )
            )
        elif contract is not None and period is not None and not _live_in(contract, period):
            errors.append(
                RowError(
                    line,
                    "period",
                    _("Contract %(reference)s is not live in %(period)s (%(start)s to %(end)s, %(status)s).")
                    % {
                        "reference": reference,
                        "period": format_period(period),
                        "start": contract.start_date.isoformat(),
                        "end": contract.end_date.isoformat(),
                        "status": contract.get_status_display(),
                    },
                )
            )
        return errors

    def save_row(self, cleaned):
        if cleaned["activity"] is None and cleaned["cost"] is None:
            return "unchanged"
        line = self.lines[(cleaned["contract_reference"], cleaned["service_code"])]
        try:
            outcome = line_actual_save(
                line=line,
                period=cleaned["period"],
                activity=cleaned["activity"],
                cost=cleaned["cost"],
                locked=self.locked,
            )
        except ActualsRefused as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        if outcome != "unchanged":
            self.changed.add((line.contract.provider_id, cleaned["period"]))
        return outcome


def _live_in(contract, period):
    """METHODOLOGY, "Who is rated": not a draft, and running during the month."""
    return (
        contract.status != ContractStatus.DRAFT
        and contract.start_date <= month_end(period)
        and contract.end_date >= period
    )
