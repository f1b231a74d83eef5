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


def series_block(page):
    """The page's one JSON block of compact chart series."""
    return json.loads(page.split('id="spc-series" type="application/json">')[1].split("</script>")[0])


def test_the_page_has_a_strip_and_a_chart_per_indicator_with_a_data_table(as_user, rated):
    response = as_user("service_director").get(url(rated))
    page = response.content.decode()
    assert len(response.context["figures"]) == 5
    figure = response.context["figures"][0]
    block = series_block(page)
    assert list(block["labels"].values())[:4] == ["Value", "Mean", "Upper process limit", "Lower process limit"]
    assert set(block["charts"]) == {f["id"] for f in response.context["figures"]}
    assert f'data-spc="{figure["id"]}"' in page
    assert "The chart&#x27;s data as a table" in page or "The chart's data as a table" in page
    strip = page.split('id="area-strip"')[1].split("</table>")[0]
    assert strip.count("app-strip__cell--G") >= 20 and "app-strip__cell--R" in strip
    assert "plotly/plotly.min.js" in page and "js/spc-charts.mjs" in page  # served from our static files, no CDN


def test_each_chart_is_a_compact_series_not_a_plotly_figure(as_user, rated, catalogue):
    """The page carries numbers for the browser to draw (values, mean, limits, special causes,
    target, amber threshold, trajectory, month labels), never a serialised plotly figure."""
    from decimal import Decimal

    from assurance.models import Trajectory

    indicator = catalogue["access"]  # target 95, amber threshold 90
    Trajectory.objects.create(provider=rated, indicator=indicator, period=M[5], value=Decimal("88.5"))
    response = as_user("service_director").get(url(rated))
    page = response.content.decode()
    for plotly_json in ('"layout"', '"template"', '"xaxis"', "hovertemplate", '"type": "scatter"'):
        assert plotly_json not in page
    figure = next(f for f in response.context["figures"] if f["indicator"] == indicator)
    series = series_block(page)["charts"][figure["id"]]
    assert series["x"] == [m.isoformat() for m in M[:6]]
    assert series["y"] == [float(v) for _month, v, _s in figure["table"]]
    chart = figure["chart"]
    assert (series["mean"], series["upper"], series["lower"]) == pytest.approx((chart.centre, chart.upper, chart.lower))
    special = sorted(series["improving"] + series["concerning"])
    assert special == [n for n, s in enumerate(chart.special) if s]
    assert (series["target"], series["amber"]) == (95.0, 90.0)
    assert series["trajectory"] == {"x": [M[5].isoformat()], "y": [88.5]}
    assert series["ticks"][1][0] == M[0].strftime("%b %Y")
    # The table below the chart (its text alternative) says the same in words.
    section = page.split(f'data-spc="{figure["id"]}"')[1].split("</section>")[0]
    assert "target 95" in section and "amber threshold 90" in section and "process limits" in section


@pytest.mark.parametrize(
    ("persona", "status"), [("team_member", 200), ("administrator", 200), ("committee_member", 403)]
)
def test_who_sees_the_provider_page(as_user, rated, persona, status):
    assert as_user(persona).get(url(rated)).status_code == status


def test_an_unrated_provider_says_so(as_user):
    provider = ContractFactory().provider
    assert "has not been rated yet" in as_user("service_director").get(url(provider)).content.decode()


def test_the_page_brings_together_level_decisions_contracts_and_monitoring(as_user, rated, team_member):
    from datetime import date

    from escalation.models import ActionPlan, Meeting, Risk

    Meeting.objects.create(
        provider=rated, kind="cqprm", date=date(2026, 5, 20), chair="Dafydd Thomas", recorded_by=team_member
    )
    ActionPlan.objects.create(
        provider=rated,
        area="access",
        title="Access recovery",
        actions="Weekend lists",
        review_points="CQPRM",
        next_review=date(2026, 7, 1),
        risk_assessment="Harm",
        owner="COO",
        created_by=team_member,
    )
    Risk.objects.create(
        provider=rated, title="Theatre staffing", likelihood=3, consequence=4, owner="COO", review_date=date(2026, 9, 1)
    )
    page = as_user("service_director").get(url(rated)).content.decode()
    level = page.split('id="current-level"')[1].split("</dd>")[0]
    assert "Level 3: escalated monitoring" in level  # the last month has a Red area
    for anchor in (
        'id="ratings"',
        'id="timeline"',
        'id="indicators"',
        'id="contracts"',
        'id="action-plans"',
        'id="meetings"',
        'id="risks"',
        'id="history"',
    ):
        assert anchor in page
    assert "Access recovery" in page and "Theatre staffing" in page and "Contract quality and performance" in page
    assert rated.contracts.first().reference in page
    assert "Highlight report, June 2026" in page


def test_a_reader_without_the_scorecard_sees_the_register_facts_only(client, rated):
    from django.contrib.auth.models import Permission

    from tests.providers.factories import UserFactory

    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_provider"))
    client.force_login(reader)
    page = client.get(url(rated)).content.decode()
    assert rated.contracts.first().reference in page
    assert 'id="timeline"' not in page and 'id="indicators"' not in page


@pytest.mark.parametrize("value", [0, 34, 34.0, 34.5, 34.005, 34.004, -2.675, 0.1 + 0.2, 1250, 99.999, 12.3456])
def test_the_data_tables_write_values_as_the_floatformat_filter_did(value):
    """The charts' data tables are built in Python for speed (issue 20): each value reads exactly
    as the template's floatformat:"-2" wrote it, whole numbers without decimals, others to two places."""
    from decimal import Decimal

    from django.template.defaultfilters import floatformat

    from reporting.views import two_places

    for number in (value, Decimal(str(value))):
        assert two_places(number) == floatformat(number, "-2")


def test_an_action_plans_agreed_trajectory_reads_its_months_and_values(as_user, rated, catalogue):
    """Under an action plan for an indicator, its agreed trajectory: each month and value (the
    chart's series once shadowed the records' trajectories, leaving "; ;" where they belonged)."""
    from datetime import date
    from decimal import Decimal

    from assurance.models import Trajectory
    from tests.escalation.factories import ActionPlanFactory

    indicator = catalogue["quality_safety"]
    ActionPlanFactory(provider=rated, area="quality_safety", indicator=indicator)
    for month, value in ((date(2026, 11, 1), "91.5"), (date(2026, 12, 1), "93")):
        Trajectory.objects.create(provider=rated, indicator=indicator, period=month, value=Decimal(value))
    page = as_user("service_director").get(url(rated)).content.decode()
    assert "Nov 2026 91.50; Dec 2026 93" in page


def test_the_kept_charts_follow_a_new_value_a_target_and_a_trajectory(as_user, rated, catalogue):
    """Issue 20: the strip and the charts are kept in the cache; a value saved, a target changed and
    a trajectory agreed each show at once, as a fresh read would show them."""
    from datetime import date
    from decimal import Decimal

    from django.core.cache import cache

    from assurance.models import Trajectory

    client = as_user("service_director")

    def charts():
        page = client.get(url(rated)).content.decode()
        return page[page.index('id="ratings"') : page.index("</main>")]

    def assert_fresh():
        kept = charts()
        cache.clear()
        assert kept == charts()

    charts()
    from decimal import Decimal as D

    from assurance import services
    from providers.models import User

    rows = [services.ReturnValue(rated.pk, M[5], catalogue[area], "reported", D("80")) for area in catalogue]
    services.returns_write(rows=rows, user=User.objects.first(), submit=True)  # every value Red now
    assert_fresh()
    indicator = catalogue["access"]
    indicator.name = "Renamed indicator"
    indicator.save()
    assert "Renamed indicator" in charts()
    assert_fresh()
    Trajectory.objects.create(provider=rated, indicator=indicator, period=date(2026, 12, 1), value=Decimal("97"))
    assert_fresh()
