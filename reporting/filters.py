"""The dashboard's filters: a FilterSet over the month's provider ratings, like the register's
list pages (providers/filters.py, contracts/filters.py).

The query string is the page's: period (YYYY-MM), team, sector, country, level, changed,
overdue, no_return, follow_through and sort. A month or an order that is not one is ignored (the newest
month, the default order); a team, sector, country or level that is not one matches no
provider, as on the register's pages.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from assurance.models import ProviderRating
from contracts.models import Contract
from escalation.choices import Level
from escalation.flags import flagged_provider_ids
from escalation.selectors import providers_with_overdue_meetings
from providers.choices import Country, Sector
from providers.forms import FilterForm
from providers.models import CommissioningTeam
from providers.periods import parse_period, shift

SORTS = {
    "provider": ["provider__name"],
    "level": [F("recommended_level").desc(nulls_last=True), "provider__name"],
    "escalation": [F("escalation_level").desc(nulls_last=True), "provider__name"],
    "reds": ["-reds", "-ambers", "provider__name"],
}
DEFAULT_SORT = "escalation"


def changed_since_last_month():
    """The database's version of a scorecard row's "changed" (see `selectors.scorecard`), on the
    annotations before_recommended, before_escalation, before_received and rated_before.
    NULLs compared with < or > are never true, so each way a value can differ is spelt out."""

    def differs(before, now):
        return (
            Q(**{f"{before}__isnull": True, f"{now}__isnull": False})
            | Q(**{f"{before}__isnull": False, f"{now}__isnull": True})
            | Q(**{f"{before}__lt": F(now)})
            | Q(**{f"{before}__gt": F(now)})
        )

    newly_rated = Q(rated_before=False) | Q(before_received=False)
    return differs("before_escalation", "escalation_level") | (
        Q(received=True) & (newly_rated | differs("before_recommended", "recommended_level"))
    )


class MonthField(forms.CharField):
    """A month as YYYY-MM; anything else is no month, so the page shows the newest."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_period(value) if value else None
        except ValueError:
            return None


class MonthFilter(django_filters.Filter):
    """The month shown (always applied: with none asked for, the newest rated)."""

    field_class = MonthField

    def filter(self, qs, value):
        return qs.filter(period=self.parent.month)


class SortField(forms.CharField):
    """An order's name from SORTS; anything else is the default order."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in SORTS else DEFAULT_SORT


class SortFilter(django_filters.Filter):
    """The rows' order, by name (SORTS): composite orders, levels with the unrated last."""

    field_class = SortField

    def filter(self, qs, value):
        return qs.order_by(*SORTS[value])


class ScorecardFilter(django_filters.FilterSet):
    """The dashboard's filters over ProviderRating, applied in this order: the month first, so
    the overdue-meeting filter looks only at the providers the others left."""

    period = MonthFilter(label=_("Month"))
    team = django_filters.ModelChoiceFilter(
        label=_("Commissioning team"),
        queryset=CommissioningTeam.objects.all(),
        method="filter_team",
        empty_label=_("Any team"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), field_name="provider__sector", choices=Sector.choices, empty_label=_("Any sector")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="provider__country", choices=Country.choices, empty_label=_("Any country")
    )
    level = django_filters.ChoiceFilter(
        label=_("Escalation level"), field_name="escalation_level", choices=Level.choices, empty_label=_("Any level")
    )
    no_return = django_filters.BooleanFilter(
        label=_("With no return this month"), method="filter_no_return", widget=forms.CheckboxInput
    )
    changed = django_filters.BooleanFilter(
        label=_("Changed since last month"), method="filter_changed", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("With a meeting overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    follow_through = django_filters.BooleanFilter(
        label=_("Needs follow-through"), method="filter_follow_through", widget=forms.CheckboxInput
    )
    sort = SortFilter(label=_("Sort by:"))

    class Meta:
        model = ProviderRating
        form = FilterForm
        fields = [
            "period",
            "team",
            "sector",
            "country",
            "level",
            "no_return",
            "changed",
            "overdue",
            "follow_through",
            "sort",
        ]

    def __init__(self, data=None, queryset=None, *, newest=None, today=None, **kwargs):
        """`newest`: the month shown when none is asked for; `today`: for overdue meetings."""
        super().__init__(data, queryset, **kwargs)
        self.newest, self.today = newest, today

    def cleaned(self):
        """The form's values, each field cleaned on its own: one in error leaves the others."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def month(self):
        """The month shown: the one asked for (rated or not), or else the newest rated; None if neither."""
        return self.cleaned().get("period") or self.newest

    @property
    def order(self):
        """The name of the rows' order (SORTS)."""
        return self.cleaned().get("sort") or DEFAULT_SORT

    def selected(self):
        """What the filter form shows as chosen (a value in error: nothing)."""
        data = self.cleaned()
        return {
            "team": str(data["team"].pk) if data.get("team") else "",
            "sector": data.get("sector") or "",
            "country": data.get("country") or "",
            "level": data.get("level") or "",
            "changed": bool(data.get("changed")),
            "overdue": bool(data.get("overdue")),
            "no_return": bool(data.get("no_return")),
            "follow_through": bool(data.get("follow_through")),
        }

    def filter_team(self, queryset, name, value):
        """A team's providers: those holding a contract (not a draft) the team commissions."""
        return queryset.filter(
            provider_id__in=Contract.objects.commissioned().filter(commissioning_team=value).values("provider_id")
        )

    def filter_no_return(self, queryset, name, value):
        return queryset.filter(received=False) if value else queryset

    def filter_changed(self, queryset, name, value):
        if not value:
            return queryset
        last = ProviderRating.objects.filter(provider_id=OuterRef("provider_id"), period=shift(self.month, -1))
        return queryset.annotate(
            before_recommended=Subquery(last.values("recommended_level")[:1]),
            before_escalation=Subquery(last.values("escalation_level")[:1]),
            before_received=Subquery(last.values("received")[:1]),
            rated_before=Exists(last),
        ).filter(changed_since_last_month())

    def filter_overdue(self, queryset, name, value):
        """Reads the meetings of the providers the other filters left (one query for them all)."""
        if not value:
            return queryset
        candidates = list(queryset.values_list("provider_id", flat=True))
        return queryset.filter(provider_id__in=providers_with_overdue_meetings(candidates, self.today))

    def filter_follow_through(self, queryset, name, value):
        """Issue 18: a Red or a provider at level 3 or 4 missing its action plan, trajectory or risk
        assessment, or a review date, action or meeting gone by (escalation.flags)."""
        if not value:
            return queryset
        candidates = list(queryset.values_list("provider_id", flat=True))
        return queryset.filter(provider_id__in=flagged_provider_ids(self.month, candidates, self.today))
