"""FilterSets for the provider, service and team lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Country, InterventionLevel, Sector
from .forms import FilterForm
from .models import CommissioningTeam, Provider, Service

ACTIVE_CHOICES = [("true", _("Active")), ("false", _("Inactive"))]


def search_q(fields, value):
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value.strip()})
    return query


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name or code"), method="search")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label=_("Any sector"))
    country = django_filters.ChoiceFilter(choices=Country.choices, empty_label=_("Any country"))
    team = django_filters.ModelChoiceFilter(
        label=_("Commissioning team"),
        queryset=CommissioningTeam.objects.all(),
        field_name="contracts__commissioning_team",
        distinct=True,
        empty_label=_("Any team"),
    )
    intervention_level = django_filters.ChoiceFilter(
        label=_("Intervention level"), choices=InterventionLevel.choices, empty_label=_("Any level")
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("Any")
    )

    class Meta:
        form = FilterForm
        model = Provider
        fields = ["q", "sector", "country", "team", "intervention_level", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(["name", "code"], value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "true")


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name or code"), method="search")
    commissioning_team = django_filters.ModelChoiceFilter(
        label=_("Commissioning team"), queryset=CommissioningTeam.objects.all(), empty_label=_("Any team")
    )

    class Meta:
        form = FilterForm
        model = Service
        fields = ["q", "commissioning_team"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(["name", "code"], value))
