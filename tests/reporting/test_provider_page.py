"""The provider page: register facts, level and decisions, the 24-month strip, an SPC chart per
numeric indicator, contracts, plans, meetings, risks and overrides."""

import json

import pytest
from django.urls import reverse

from escalation.pipeline import run_period
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(catalogue):
    provider = ContractFactory(provider__code="7A4").provider
    for month, values in zip(M[:6], [month_values(5)] * 5 + [month_values(4, 0, 1)], strict=True):
        report(provider, month, values, catalogue)
        run_period(month)
    return provider


def url(provider):
    return reverse("reporting:provider_detail", args=[provider.code])


def test_the_page_has_a_strip_and_a_chart_per_indicator_with_a_data_table(as_user, rated):
    response = as_user("service_director").get(url(rated))
    page = response.content.decode()
    assert len(response.context["figures"]) == 5
    figure = response.context["figures"][0]
    assert [t["name"] for t in figure["figure"]["data"]][:4] == ["Value", "Mean", "Upper process limit", "Lower process limit"]
    assert f'id="{figure["data_id"]}"' in page and json.loads(page.split(f'id="{figure["data_id"]}" type="application/json">')[1].split("</script>")[0])
    assert "The chart&#x27;s data as a table" in page or "The chart's data as a table" in page
    strip = page.split('id="area-strip"')[1].split("</table>")[0]
    assert strip.count("app-strip__cell--G") >= 20 and "app-strip__cell--R" in strip
    assert "plotly/plotly.min.js" in page  # served from our static files, no CDN


@pytest.mark.parametrize(("persona", "status"), [("team_member", 200), ("administrator", 200), ("committee_member", 403)])
def test_who_sees_the_provider_page(as_user, rated, persona, status):
    assert as_user(persona).get(url(rated)).status_code == status


def test_an_unrated_provider_says_so(as_user):
    provider = ContractFactory().provider
    assert "has not been rated yet" in as_user("service_director").get(url(provider)).content.decode()
