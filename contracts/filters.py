"""The contract register's filters."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from providers.filters import search_q
from providers.forms import FilterForm
from providers.models import CommissioningTeam, Provider
from providers.periods import add_months

from .choices import ContractStatus, ContractType, RenewalWindow, Tier
from .models import Contract

STRATEGIC_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search reference, title or provider"), method="search")
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(), empty_label=_("Any provider"), label=_("Provider")
    )
    commissioning_team = django_filters.ModelChoiceFilter(
        queryset=CommissioningTeam.objects.all(), empty_label=_("Any team"), label=_("Commissioning team")
    )
    contract_type = django_filters.ChoiceFilter(
        choices=ContractType.choices, empty_label=_("Any type"), label=_("Type")
    )
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, empty_label=_("Any status"), label=_("Status"))
    tier = django_filters.ChoiceFilter(
        choices=Tier.choices, empty_label=_("Any tier"), label=_("Value tier"), method="filter_tier"
    )
    renewal = django_filters.ChoiceFilter(
        choices=RenewalWindow.choices,
        empty_label=_("Any time"),
        label=_("Due for renewal"),
        method="filter_renewal",
    )
    strategic = django_filters.ChoiceFilter(
        choices=STRATEGIC_CHOICES,
        empty_label=_("Any"),
        label=_("Strategic importance"),
        method="filter_strategic",
    )

    class Meta:
        form = FilterForm
        model = Contract
        fields = ["q", "provider", "commissioning_team", "contract_type", "status", "tier", "renewal", "strategic"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(["reference", "title", "provider__name", "provider__code"], value))

    def filter_tier(self, queryset, name, value):
        # `tier` is annotated by Contract.objects.with_tier() from the same thresholds as tiers.py.
        return queryset.filter(tier=int(value))

    def filter_renewal(self, queryset, name, value):
        today = timezone.localdate()
        live = queryset.exclude(status__in=[ContractStatus.EXPIRED, ContractStatus.INACTIVE])
        if value == RenewalWindow.OVERDUE:
            return live.filter(renewal_due__lt=today)
        return live.filter(renewal_due__lte=add_months(today, int(value)))

    def filter_strategic(self, queryset, name, value):
        return queryset.filter(strategic_importance=value == "yes")
