"""The API's query parameters, as django-filter FilterSets (the schema lists them from here).

Months are YYYY-MM (`period`, or `period_from` / `period_to`), providers and teams are named by
their register codes, levels by number. A value that is not one is a 400 saying which; a code
that names nothing matches nothing, as on the register's pages.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.choices import Area, Rag, RatingReason
from assurance.models import Indicator, IndicatorRating, MonthlyReturn, ProviderRating
from contracts.choices import ContractStatus, Level
from contracts.models import Contract
from escalation.choices import DecisionKind
from escalation.models import EscalationDecision, ProviderEscalation
from providers.choices import Country, Sector
from providers.models import Provider
from providers.periods import parse_period

from ..models import CommitteePack


class MonthFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-04.")) from exc


class MonthFilter(django_filters.Filter):
    field_class = MonthFormField


def team_providers(code):
    """The providers a commissioning team holds a commissioned (not draft) contract with."""
    return Contract.objects.commissioned().filter(commissioning_team__code=code).values("provider_id")


class ProviderScopedFilter(django_filters.FilterSet):
    """provider (code) and team (code) on any model with a provider."""

    provider = django_filters.CharFilter(field_name="provider__code", help_text=_("A provider's code, e.g. 7A1."))
    team = django_filters.CharFilter(method="filter_team", help_text=_("A commissioning team's code, e.g. cardiac."))

    def filter_team(self, queryset, name, value):
        return queryset.filter(provider_id__in=team_providers(value))


class PeriodFilter(ProviderScopedFilter):
    """period, or period_from and period_to (both included), on a `period` month field."""

    period = MonthFilter(field_name="period", help_text=_("One month, YYYY-MM."))
    period_from = MonthFilter(field_name="period", lookup_expr="gte", help_text=_("From this month, YYYY-MM."))
    period_to = MonthFilter(field_name="period", lookup_expr="lte", help_text=_("Up to this month, YYYY-MM."))


class ProviderFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(method="filter_team", help_text=_("A commissioning team's code."))
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    country = django_filters.ChoiceFilter(choices=Country.choices)
    level = django_filters.TypedChoiceFilter(
        field_name="escalation__level", choices=Level.choices, coerce=int, help_text=_("Escalation level, 1 to 4.")
    )

    class Meta:
        model = Provider
        fields = ["team", "sector", "country", "level"]

    def filter_team(self, queryset, name, value):
        return queryset.filter(pk__in=team_providers(value))


class ContractFilter(ProviderScopedFilter):
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)
    team = django_filters.CharFilter(field_name="commissioning_team__code", help_text=_("The owning team's code."))

    class Meta:
        model = Contract
        fields = ["provider", "team", "status"]


class IndicatorFilter(django_filters.FilterSet):
    area = django_filters.ChoiceFilter(choices=Area.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = Indicator
        fields = ["area", "active"]


class RatingFilter(PeriodFilter):
    level = django_filters.TypedChoiceFilter(
        field_name="escalation_level", choices=Level.choices, coerce=int, help_text=_("Escalation level, 1 to 4.")
    )
    received = django_filters.BooleanFilter(help_text=_("false: the months recorded as No return."))

    class Meta:
        model = ProviderRating
        fields = ["period", "period_from", "period_to", "provider", "team", "level", "received"]


class IndicatorRatingFilter(PeriodFilter):
    indicator = django_filters.CharFilter(field_name="indicator__code", help_text=_("An indicator's code."))
    rag = django_filters.ChoiceFilter(choices=Rag.choices)
    reason = django_filters.ChoiceFilter(choices=RatingReason.choices)

    class Meta:
        model = IndicatorRating
        fields = ["period", "period_from", "period_to", "provider", "team", "indicator", "rag", "reason"]


class LevelFilter(ProviderScopedFilter):
    level = django_filters.TypedChoiceFilter(
        choices=Level.choices, coerce=int, help_text=_("Escalation level, 1 to 4.")
    )

    class Meta:
        model = ProviderEscalation
        fields = ["provider", "team", "level"]


class DecisionFilter(PeriodFilter):
    level = django_filters.TypedChoiceFilter(
        field_name="to_level", choices=Level.choices, coerce=int, help_text=_("The level decided, 1 to 4.")
    )
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices)

    class Meta:
        model = EscalationDecision
        fields = ["period", "period_from", "period_to", "provider", "team", "level", "kind"]


class PackFilter(django_filters.FilterSet):
    # Committees are rows (reporting.models.Committee): matched by code, e.g. joint_committee.
    committee = django_filters.CharFilter(field_name="committee", help_text=_("The committee's code, e.g. pfig."))
    period = MonthFilter(field_name="period", help_text=_("The pack's month, YYYY-MM."))

    class Meta:
        model = CommitteePack
        fields = ["committee", "period"]


class ReturnFilter(PeriodFilter):
    class Meta:
        model = MonthlyReturn
        fields = ["period", "period_from", "period_to", "provider", "team"]
