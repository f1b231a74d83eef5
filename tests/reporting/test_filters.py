"""The dashboard's FilterSet (reporting/filters.py): the month, the filters and the order read
from the page's query string, as the dashboard applies them."""

from datetime import date

import pytest

from assurance.models import ProviderRating
from escalation.pipeline import run_period
from providers.models import CommissioningTeam
from reporting.filters import DEFAULT_SORT, ScorecardFilter
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture
def rated(catalogue):
    """P00 (Cardiac) goes Red in two areas in February; P01 (Mental Health) stays Green."""
    for n, team in enumerate(["cardiac", "mental_health"]):
        provider = ContractFactory(
            provider__code=f"P{n:02d}",
            provider__name=f"Provider {n:02d}",
            commissioning_team=CommissioningTeam.objects.get(code=team),
        ).provider
        report(provider, M[0], month_values(5), catalogue)
        report(provider, M[1], month_values(3, 0, 2) if n == 0 else month_values(5), catalogue)
    run_period(M[0])
    run_period(M[1])


def codes(filterset):
    return [r.provider.code for r in filterset.qs]


def scorecard_filter(data):
    return ScorecardFilter(data, queryset=ProviderRating.objects.all(), newest=M[1], today=TODAY)


def test_with_no_month_asked_for_it_shows_the_newest_sorted_by_escalation_level(rated):
    filterset = scorecard_filter({})
    assert (filterset.month, filterset.order) == (M[1], DEFAULT_SORT)
    assert codes(filterset) == ["P00", "P01"]  # level 3 first


def test_a_month_that_is_not_one_shows_the_newest_and_an_unknown_order_the_default(rated):
    filterset = scorecard_filter({"period": "2026-13", "sort": "nonsense"})
    assert filterset.is_valid() and (filterset.month, filterset.order) == (M[1], DEFAULT_SORT)
    assert scorecard_filter({"period": "2026-01", "sort": "provider"}).month == M[0]


def test_the_filters_read_the_page_query_string(rated):
    mental_health = CommissioningTeam.objects.get(code="mental_health")
    assert codes(scorecard_filter({"team": str(mental_health.pk)})) == ["P01"]
    assert codes(scorecard_filter({"level": "3"})) == ["P00"]
    assert codes(scorecard_filter({"changed": "1"})) == ["P00"]
    assert codes(scorecard_filter({"period": "2026-01", "changed": "1"})) == ["P00", "P01"]  # first ratings
    assert codes(scorecard_filter({"no_return": "1"})) == []
    assert codes(scorecard_filter({"sort": "provider"})) == ["P00", "P01"]


def test_a_value_that_is_not_one_is_an_error_and_is_not_shown_as_chosen(rated):
    filterset = scorecard_filter({"level": "7", "sector": "nhs_england", "overdue": "1"})
    assert not filterset.is_valid() and set(filterset.errors) == {"level"}
    assert filterset.selected() == {
        "team": "",
        "sector": "nhs_england",
        "country": "",
        "level": "",
        "changed": False,
        "overdue": True,
        "no_return": False,
        "follow_through": False,
    }


def test_the_dashboard_shows_no_rows_for_a_value_that_is_not_one(as_user, rated):
    from django.urls import reverse

    response = as_user("service_director").get(reverse("reporting:dashboard"), {"level": "7"})
    assert response.status_code == 200 and response.context["rows"] == []
    assert response.context["counts"] == {1: 1, 2: 0, 3: 1, 4: 0}  # the month's counts stay
