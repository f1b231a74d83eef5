"""The dashboard caches what changes only when a month is re-rated (issue 20), and reads it
afresh when it is: a re-rate, an override, a decision recorded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escalation import services
from escalation.pipeline import run_period
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(catalogue):
    providers = [ContractFactory(provider__code=f"7A{n}").provider for n in range(3)]
    for month in M[:2]:
        for provider in providers:
            report(provider, month, month_values(5), catalogue)
        run_period(month)
    return providers


def dashboard(client, month=M[1]):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:dashboard"), {"period": month.strftime("%Y-%m")})
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_a_second_look_reads_fewer_queries_and_the_same_page(as_user, estate):
    client = as_user("service_director")
    first, cold = dashboard(client)
    second, warm = dashboard(client)
    assert warm < cold
    assert second.context["counts"] == first.context["counts"] and second.context["total"] == 3
    assert [m for _t, m in second.context["months"]] == [M[1], M[0]]


def test_a_re_rated_month_is_read_afresh(as_user, estate, catalogue):
    client = as_user("service_director")
    before, _queries = dashboard(client)
    assert before.context["counts"][1] == 3
    # Every indicator red for one provider: re-rated, it is no longer at level 1.
    report(estate[0], M[1], month_values(0, 0, 5), catalogue)
    run_period(M[1])
    after, _queries = dashboard(client)
    assert after.context["counts"][1] == 2


def test_a_newly_rated_month_joins_the_list_of_months(as_user, estate, catalogue):
    client = as_user("service_director")
    dashboard(client)
    for provider in estate:
        report(provider, M[2], month_values(5), catalogue)
    run_period(M[2])
    response, _queries = dashboard(client, M[2])
    assert [m for _t, m in response.context["months"]][0] == M[2] and response.context["total"] == 3


def test_a_decision_recorded_shows_at_once(as_user, estate, service_director):
    client = as_user("service_director")
    before, _queries = dashboard(client)
    assert not before.context["step_ups"]
    services.manual_step_up(
        provider=estate[0],
        user=service_director,
        to_level=3,
        reasons=["media_exposure"],
        rationale="Covert filming broadcast",
    )
    after, _queries = dashboard(client)
    assert [d.provider for d in after.context["step_ups"]] == [estate[0]]
    assert after.context["counts"][3] == 1


def test_a_provider_moved_to_another_team_is_counted_under_its_new_team_at_once(as_user, estate):
    """The filtered count is kept only for what a re-rate changes: a contract moving to another
    team changes the team's rows without re-rating anything."""
    client = as_user("service_director")
    contract = estate[0].contracts.get()
    old_team = contract.commissioning_team
    new_team = type(old_team).objects.exclude(pk=old_team.pk).first() or type(old_team).objects.create(
        name="Another team"
    )

    def team_rows(team):
        response = client.get(reverse("reporting:dashboard"), {"period": M[1].strftime("%Y-%m"), "team": team.pk})
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count, len(response.context["rows"])

    before = team_rows(new_team)
    contract.commissioning_team = new_team
    contract.save()
    after = team_rows(new_team)
    assert after[0] == before[0] + 1 and after[0] == after[1]


def test_a_providers_new_sector_is_filtered_at_once(as_user, estate):
    client = as_user("service_director")

    def independent():
        response = client.get(
            reverse("reporting:dashboard"), {"period": M[1].strftime("%Y-%m"), "sector": "independent"}
        )
        return response.context["page_obj"].paginator.count, len(response.context["rows"])

    before = independent()
    provider = estate[0]
    provider.sector = "nhs_england" if provider.sector == "independent" else "independent"
    provider.save()
    after = independent()
    assert after[1] == after[0] and after[0] != before[0]


def page_body(client, params):
    """The scorecard's rows and the step-ups list as the reader sees them."""
    html = client.get(reverse("reporting:dashboard"), params).content.decode()
    start = html.index('<tbody class="nhsuk-table__body">')
    return html[start : html.index("</main>")]


def assert_fresh(client, params):
    """The page read with what is cached equals the page read with nothing cached."""
    from django.core.cache import cache

    cached = page_body(client, params)
    cache.clear()
    assert cached == page_body(client, params)
    return cached


@pytest.mark.parametrize(
    "params", [{}, {"level": "1"}, {"overdue": "1"}, {"changed": "1"}, {"sort": "-provider"}], ids=str
)
def test_the_cached_rows_follow_every_write_that_changes_them(as_user, estate, service_director, params):
    """Issue 20: the dashboard keeps its rendered rows until the month is re-rated or the register or
    meetings change. After each kind of write, what it shows equals what a fresh read shows."""
    from tests.escalation.factories import MeetingFactory

    client = as_user("service_director")
    params = {"period": M[1].strftime("%Y-%m"), **params}
    page_body(client, params)  # cached
    estate[0].name = "Renamed <Health> Board"
    estate[0].save()
    assert (
        "Renamed &lt;Health&gt; Board" in assert_fresh(client, params)
        or params.get("level")
        or params.get("overdue")
        or params.get("changed")
    )
    for kind in ("cqprm", "executive", "annual_review"):
        MeetingFactory(provider=estate[1], kind=kind, date=M[1])
    assert_fresh(client, params)
    contract = estate[2].contracts.get()
    contract.commissioning_team = (
        type(contract.commissioning_team).objects.exclude(pk=contract.commissioning_team_id).first()
    )
    contract.save()
    assert_fresh(client, params)
    services.manual_step_up(
        provider=estate[2], user=service_director, to_level=3, reasons=["media_exposure"], rationale="Covert filming"
    )
    assert_fresh(client, params)


def test_the_dashboard_answers_with_the_cache_unreachable(as_user, estate, monkeypatch):
    """Redis down (issue 16's fault): every read of the cache fails, the page is read from the database."""
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    client = as_user("service_director")
    for name in ("get", "get_or_set", "add", "set", "set_many"):
        monkeypatch.setattr(cache, name, down)
    response = client.get(reverse("reporting:dashboard"), {"period": M[1].strftime("%Y-%m")})
    assert response.status_code == 200 and len(response.context["rows"]) == 3
