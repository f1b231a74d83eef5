"""Highlight reports (seed 002, 3.3.2): exceptions and key trends from the ratings, the team's
commentary and governance items, who may read and write them, printable."""

from datetime import date

import pytest
from django.urls import reverse

from assurance.models import IndicatorValue
from escalation.models import Risk
from escalation.pipeline import run_period
from providers.models import CommissioningTeam
from reporting.models import HighlightReport
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(catalogue, team_member):
    """A Cardiac provider: Green for seven months, then a Red Access area in August."""
    provider = ContractFactory(
        provider__code="7A4", provider__name="Cardiff and Vale", start_date=date(2025, 1, 1), end_date=date(2028, 3, 31)
    ).provider
    for month in M[:8]:
        values = month_values(5) if month < M[7] else {**month_values(5), "access": "60"}
        report(provider, month, values, catalogue)
        run_period(month)
    IndicatorValue.objects.filter(
        monthly_return__provider=provider, monthly_return__period=M[7], indicator=catalogue["access"]
    ).update(note="Theatre staffing gaps")
    IndicatorValue.objects.filter(
        monthly_return__provider=provider, monthly_return__period=M[7], indicator=catalogue["governance"]
    ).update(note="New chief executive from May")
    Risk.objects.create(
        provider=provider,
        title="Cardiac surgery waits",
        likelihood=4,
        consequence=5,
        owner="Cardiac lead",
        review_date=date(2026, 9, 30),
    )
    return provider


def url(provider, period="2026-08", name="highlight_report"):
    return reverse(f"reporting:{name}", args=[provider.code, period])


def test_the_report_lists_exceptions_trends_and_governance_items(as_user, provider):
    response = as_user("service_director").get(url(provider))
    assert response.status_code == 200
    page = response.content.decode()
    exceptions = page.split('id="exceptions"')[1].split('id="trends"')[0]
    assert "access_ind" not in exceptions  # the name, not the code
    assert [r.indicator.area for r in response.context["exceptions"]] == ["access"]
    assert "Theatre staffing gaps" in exceptions and ">Red<" in exceptions
    assert "Target missed, beyond the amber threshold" in exceptions
    trends = page.split('id="trends"')[1].split('id="commentary"')[0]
    assert "Access worsened since last month" in trends
    assert "Special cause variation of a concerning nature, where the value is low" in trends  # 60 after seven 96s
    governance = page.split('id="governance"')[1]
    assert "New chief executive from May" in governance
    assert "Corporate risk: Cardiac surgery waits (score 20)" in governance
    assert "Step-up by rule" in governance  # the month's decision


def test_a_team_member_writes_the_commentary_and_it_is_kept_with_who_wrote_it(as_user, provider, team_member):
    client = as_user("team_member")
    page = client.get(url(provider)).content.decode()
    assert "Write the commentary" in page
    response = client.post(
        url(provider, name="highlight_edit"),
        {
            "commentary": "A deep dive into cardiac waits is planned.",
            "governance": "HIW visit due in October.",
            "version": "0",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url(provider)
    page = response.content.decode()
    assert "has been saved" in page and "A deep dive into cardiac waits is planned." in page
    assert "HIW visit due in October." in page and team_member.display_name in page
    report_ = HighlightReport.objects.get()
    assert report_.history.first().history_user == team_member and report_.version == 1


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(as_user, provider, team_member):
    HighlightReport.objects.create(
        provider=provider, period=M[7], commentary="First", updated_by=team_member, version=3
    )
    response = as_user("team_member").post(
        url(provider, name="highlight_edit"), {"commentary": "My late words", "governance": "", "version": "2"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this report" in page and "My late words" in page
    assert HighlightReport.objects.get().commentary == "First"


def test_too_long_commentary_is_refused_with_a_message(as_user, provider):
    response = as_user("team_member").post(
        url(provider, name="highlight_edit"), {"commentary": "x" * 10001, "governance": "", "version": "0"}
    )
    assert response.status_code == 200 and not HighlightReport.objects.exists()
    assert "nhsuk-error-summary" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("team_member", 200, 200),
        ("other_team_member", 403, 403),
        ("service_director", 200, 403),
        ("administrator", 200, 403),
        ("committee_member", 403, 403),
    ],
)
def test_who_reads_and_writes_highlight_reports(as_user, provider, persona, read, write):
    client = as_user(persona)
    assert client.get(url(provider)).status_code == read
    assert client.get(url(provider, name="highlight_edit")).status_code == write
    assert client.post(
        url(provider, name="highlight_edit"), {"commentary": "x", "governance": "", "version": "0"}
    ).status_code in ({write} if write == 403 else {302})


def test_the_month_picker_and_the_latest_month(as_user, provider):
    client = as_user("service_director")
    latest = client.get(reverse("reporting:highlight_latest", args=[provider.code]))
    assert latest["Location"] == url(provider)
    picked = client.get(reverse("reporting:highlight_latest", args=[provider.code]), {"month": "2026-03"})
    assert picked["Location"] == url(provider, "2026-03")
    assert client.get(url(provider, "2026-13")).status_code == 404


def test_an_unrated_month_and_provider_say_so(as_user, provider):
    client = as_user("service_director")
    assert "has not been rated for this provider" in client.get(url(provider, "2025-01")).content.decode()
    other = ContractFactory(commissioning_team=CommissioningTeam.objects.get(code="cardiac")).provider
    response = client.get(reverse("reporting:highlight_latest", args=[other.code]), follow=True)
    assert "has not been rated yet, so there is no highlight report" in response.content.decode()


def test_the_report_is_printable(as_user, provider):
    page = as_user("service_director").get(url(provider)).content.decode()
    assert "data-print" in page and "js/highlight.mjs" in page
    assert 'class="nhsuk-breadcrumb app-no-print"' in page
