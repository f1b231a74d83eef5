import django_filters
from django.utils.translation import gettext_lazy as _

from providers.filters import ACTIVE_CHOICES, search_q
from providers.forms import FilterForm
from providers.models import Service

from .choices import Area, Cohort, Domain
from .models import Indicator


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name or code"), method="search")
    area = django_filters.ChoiceFilter(choices=Area.choices, empty_label=_("Any area"), label=_("Key area"))
    domain = django_filters.ChoiceFilter(choices=Domain.choices, empty_label=_("Any domain"), label=_("Domain"))
    cohort = django_filters.ChoiceFilter(choices=Cohort.choices, empty_label=_("Any cohort"), label=_("Patient cohort"))
    services = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), empty_label=_("Any service"), label=_("Service")
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("Any")
    )

    class Meta:
        model = Indicator
        form = FilterForm
        fields = ["q", "area", "domain", "cohort", "services", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(["name", "code"], value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "true")
