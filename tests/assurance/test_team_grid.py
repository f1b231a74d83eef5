"""A team's grid for a month (issue 17): expected providers against one area's indicators,
saved in one go through the one write path, with the return form's checks."""

from datetime import date

import pytest
from django.urls import reverse

from assurance.models import IndicatorValue, MonthlyReturn
from providers.models import CommissioningTeam
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(db):
    live = {"start_date": date(2024, 4, 1), "end_date": date(2027, 3, 31)}
    a = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale", **live).provider
    b = ContractFactory(provider__code="7A6", provider__name="Aneurin Bevan", **live).provider
    ended = ContractFactory(
        provider__code="RQ3", provider__name="Not expected", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)
    ).provider
    ContractFactory(provider__code="NQ1", commissioning_team=CommissioningTeam.objects.get(code="mental_health"))
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access")
    IndicatorFactory(code="gov", name="Board papers", area="governance")
    return {"a": a, "b": b, "ended": ended, "rtt": rtt}


def url(**params):
    query = {"team": "cardiac", "period": "2026-09", "area": "access", **params}
    return reverse("assurance:team_grid") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_grid_lists_the_teams_expected_providers_and_the_areas_indicators(as_user, grid):
    page = as_user("team_member").get(url()).content.decode()
    assert "Cardiff and Vale" in page and "Aneurin Bevan" in page
    assert "Not expected" not in page  # no live contract in September 2026
    assert "Cefn Coed" not in page and "RTT 26 weeks (%)" in page and "Board papers" not in page


def test_values_typed_for_several_providers_are_saved_in_one_go(as_user, grid, team_member):
    response = as_user("team_member").post(
        url(), {f"p{grid['a'].pk}-i{grid['rtt'].pk}": "96", f"p{grid['b'].pk}-i{grid['rtt'].pk}": "88.5"}
    )
    assert response.status_code == 302
    values = dict(IndicatorValue.objects.values_list("monthly_return__provider__code", "value"))
    assert values == {"7A4": 96, "7A6": 88.5}
    assert set(MonthlyReturn.objects.values_list("status", flat=True)) == {"draft"}


def test_one_bad_value_saves_nothing_and_says_why(as_user, grid):
    response = as_user("team_member").post(
        url(), {f"p{grid['a'].pk}-i{grid['rtt'].pk}": "96", f"p{grid['b'].pk}-i{grid['rtt'].pk}": "101"}
    )
    assert response.status_code == 200
    assert "A percentage must be between 0 and 100." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_stale_grid_saves_nothing(as_user, grid):
    MonthlyReturn.objects.create(provider=grid["a"], period=date(2026, 9, 1), version=3)
    response = as_user("team_member").post(url(), {f"p{grid['a'].pk}-i{grid['rtt'].pk}": "96", f"v{grid['a'].pk}": "2"})
    assert "Someone else saved" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_another_teams_grid_is_not_found(as_user, grid):
    assert as_user("other_team_member").get(url()).status_code == 404
