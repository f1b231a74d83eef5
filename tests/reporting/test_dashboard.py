"""The RAG dashboard: one row per provider, filters, counts, the step-ups, a constant query count."""

import pytest
from django.urls import reverse

from escalation.pipeline import run_period
from providers.models import CommissioningTeam
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("reporting:dashboard")


def estate(catalogue, count=3):
    providers = []
    for n in range(count):
        team = CommissioningTeam.objects.get(code="cardiac" if n % 2 == 0 else "mental_health")
        provider = ContractFactory(
            provider__code=f"P{n:02d}", provider__name=f"Provider {n:02d}", commissioning_team=team
        ).provider
        providers.append(provider)
        report(provider, M[0], month_values(5), catalogue)
        report(provider, M[1], month_values(5) if n else month_values(3, 0, 2), catalogue)
    run_period(M[0])
    run_period(M[1])
    return providers


@pytest.mark.parametrize("persona", ["team_member", "service_director", "committee_member", "administrator"])
def test_every_role_reads_the_scorecard(as_user, catalogue, persona):
    estate(catalogue)
    response = as_user(persona).get(DASHBOARD)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3


def test_rows_show_rag_words_arrows_and_levels(as_user, catalogue):
    estate(catalogue)
    response = as_user("service_director").get(DASHBOARD, {"period": "2026-02", "sort": "escalation"})
    first = response.context["rows"][0]
    assert first["provider"].code == "P00"
    assert (first["rating"].recommended_level, first["rating"].escalation_level) == (3, 3)
    assert first["escalation_direction"] == "worsened" and first["changed"]
    page = response.content.decode()
    scorecard = page.split('id="scorecard"')[1]
    assert ">Red<" in scorecard and ">Green<" in scorecard  # never colour alone
    assert "worse than last month" in scorecard
    assert response.context["counts"] == {1: 2, 2: 0, 3: 1, 4: 0}
    stepped = page.split('id="stepped-up"')[1]
    assert "Provider 00" in stepped and "level 1 to level 3" in stepped and "Patient experience: Red" in stepped


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"level": "3"}, ["P00"]),
        ({"changed": "1"}, ["P00"]),
        ({"sector": "nhs_wales"}, []),
        ({"country": "england"}, ["P00", "P01", "P02"]),
    ],
)
def test_filters(as_user, catalogue, params, codes):
    estate(catalogue)
    rows = as_user("service_director").get(DASHBOARD, {"period": "2026-02", **params}).context["rows"]
    assert sorted(r["provider"].code for r in rows) == codes


def test_team_filter(as_user, catalogue):
    estate(catalogue)
    team = CommissioningTeam.objects.get(code="mental_health")
    rows = as_user("service_director").get(DASHBOARD, {"period": "2026-02", "team": team.pk}).context["rows"]
    assert [r["provider"].code for r in rows] == ["P01"]


def test_overdue_meetings_filter(as_user, catalogue):
    estate(catalogue)
    rows = as_user("service_director").get(DASHBOARD, {"period": "2026-02", "overdue": "1"}).context["rows"]
    assert len(rows) == 3  # no meetings recorded at all: every one is overdue


def test_query_count_is_constant(as_user, catalogue, django_assert_max_num_queries):
    client = as_user("service_director")
    estate(catalogue, count=2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, {"period": "2026-02"})
    for n in range(2, 12):
        provider = ContractFactory(provider__code=f"Q{n:02d}").provider
        report(provider, M[1], month_values(4, 1), catalogue)
    run_period(M[1])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DASHBOARD, {"period": "2026-02"})
    assert len(response.context["rows"]) == 12


def test_an_empty_estate_says_so(as_user):
    page = as_user("service_director").get(DASHBOARD).content.decode()
    assert "No month has been rated yet" in page


def test_the_committee_sees_names_without_links(as_user, catalogue):
    estate(catalogue)
    page = as_user("committee_member").get(DASHBOARD).content.decode()
    assert "Provider 00" in page and "/providers/P00/" not in page


def test_the_scorecard_is_paginated_keeping_filters_and_sort(as_user, catalogue):
    providers = [
        ContractFactory(provider__code=f"Z{n:02d}", provider__name=f"Zeta {n:02d}").provider for n in range(55)
    ]
    for provider in providers:
        report(provider, M[1], month_values(5), catalogue)
    run_period(M[1])
    client = as_user("service_director")
    first = client.get(DASHBOARD, {"period": "2026-02", "sort": "provider", "sector": "nhs_england"})
    assert len(first.context["rows"]) == 50 and first.context["counts"][1] == 55
    page = first.content.decode()
    assert "Showing 1 to 50 of 55 matching providers (55 rated)." in page
    assert "page=2" in page and "sector=nhs_england" in page.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get(DASHBOARD, {"period": "2026-02", "sort": "provider", "sector": "nhs_england", "page": "2"})
    assert [r["provider"].name for r in second.context["rows"]] == [f"Zeta {n}" for n in range(50, 55)]
    assert client.get(DASHBOARD, {"period": "2026-02", "page": "999"}).context["page_obj"].number == 2


def test_a_long_list_of_changes_shows_fifty_and_links_to_the_rest(as_user, catalogue, monkeypatch, service_director):
    """At 5,000 providers a month's changes of level made the dashboard 300 KB: it lists the first
    few and links to the scorecard filtered to the providers changed since last month."""
    from reporting import views

    monkeypatch.setattr(views, "STEP_UPS_SHOWN", 1)
    from escalation import services

    providers = estate(catalogue, count=3)  # Provider 00 steps up by rule; Provider 01 by hand below
    services.manual_step_up(
        provider=providers[1], user=service_director, to_level=2, reasons=["media_exposure"], rationale="Press"
    )
    page = as_user("service_director").get(DASHBOARD, {"period": "2026-02"}).content.decode()
    changes = page.split('id="stepped-up"')[1].split("</main>")[0]
    assert changes.count("<li>") == 1
    assert "more provider" in changes and "?period=2026-02&amp;changed=1" in changes
