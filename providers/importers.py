"""Imports of providers.csv and services.csv (DESIGN.md, "Data interchange")."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Country, InterventionLevel, Regulator, Sector
from .importing import (
    CodeChoiceField,
    Importer,
    RegisterCodeField,
    RowError,
    update_or_create_if_changed,
)
from .models import CommissioningTeam, Provider, Service


class ProviderRow(forms.Form):
    code = RegisterCodeField()  # kept exactly as written (DESIGN.md): 7A1, RQ3, NCBPS13X, E.B.3
    name = forms.CharField(max_length=200)
    sector = CodeChoiceField(choices=Sector.choices)
    country = CodeChoiceField(choices=Country.choices)
    regulator = CodeChoiceField(choices=[("", "")] + Regulator.choices, required=False)
    intervention_level = CodeChoiceField(choices=InterventionLevel.choices)


class ProviderImporter(Importer):
    label = gettext_lazy("Providers")
    columns = ["code", "name", "sector", "country", "regulator", "intervention_level"]
    key = "code"
    form_class = ProviderRow

    def save_row(self, cleaned):
        values = {k: cleaned[k] for k in self.columns if k != "code"}
        _provider, outcome = update_or_create_if_changed(Provider, {"code": cleaned["code"]}, values)
        return outcome


def team_errors(teams, code, line):
    """A row naming a commissioning team that does not exist."""
    if code is None or code in teams:
        return []
    return [
        RowError(
            line,
            "commissioning_team",
            _("“%(code)s” is not a commissioning team code; use one of: %(codes)s.")
            % {"code": code, "codes": ", ".join(sorted(teams))},
        )
    ]


class ServiceRow(forms.Form):
    code = RegisterCodeField()
    name = forms.CharField(max_length=200)
    commissioning_team = forms.CharField(max_length=40)


class ServiceImporter(Importer):
    label = gettext_lazy("Services")
    columns = ["code", "name", "commissioning_team"]
    key = "code"
    form_class = ServiceRow

    def prepare(self):
        self.teams = {team.code: team for team in CommissioningTeam.objects.all()}

    def check_row(self, cleaned, line):
        return team_errors(self.teams, cleaned.get("commissioning_team"), line)

    def save_row(self, cleaned):
        values = {"name": cleaned["name"], "commissioning_team": self.teams[cleaned["commissioning_team"]]}
        _service, outcome = update_or_create_if_changed(Service, {"code": cleaned["code"]}, values)
        return outcome
