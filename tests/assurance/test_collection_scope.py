"""Who is expected to make a return (METHODOLOGY, "Who is rated") and completeness (section 8).

Only providers holding a live contract in the month are listed, counted and chased; a
return counts as complete only for rows with a result (reported or not applicable), and a
return not yet received (none, or still a draft) is 0% complete.
"""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assurance.models import IndicatorValue, MonthlyReturn
from assurance.selectors import collection_overview, team_summaries
from providers.models import CommissioningTeam
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
    MonthlyReturnFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
SEPTEMBER = date(2026, 9, 1)
TODAY = datetime(2026, 10, 20, 12, 0)  # after September's deadline (15 October)


@pytest.fixture
def estate(db):
    """Cardiac's providers: one live all year, one whose contract starts in November, one whose
    contract ended in June, one with only a draft contract; and four indicators for everyone."""
    live = ContractFactory(
        provider__code="7A4", provider__name="Cardiff and Vale", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)
    ).provider
    later = ContractFactory(
        provider__code="7A6", provider__name="Aneurin Bevan", start_date=date(2026, 11, 1), end_date=date(2029, 10, 31)
    ).provider
    ended = ContractFactory(
        provider__code="RQ3",
        provider__name="Birmingham Children's",
        start_date=date(2023, 7, 1),
        end_date=date(2026, 6, 30),
    ).provider
    draft = ContractFactory(provider__code="RBS", provider__name="Alder Hey", status="draft").provider
    second = ContractFactory(
        provider__code="7A1", provider__name="Betsi Cadwaladr", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)
    ).provider
    indicators = [
        IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned"),
        IndicatorFactory(code="hcai", name="Infections (%)"),
        IndicatorFactory(code="prem", name="PREM score (%)", area="patient_experience"),
        JudgementIndicatorFactory(code="leadership", name="Changes to leadership"),
    ]
    return {"live": live, "later": later, "ended": ended, "draft": draft, "second": second, "indicators": indicators}


def fill(monthly_return, indicators, statuses):
    for indicator, status in zip(indicators, statuses, strict=True):
        value = None if status != "reported" or indicator.judgement else 96
        rag = "G" if status == "reported" and indicator.judgement else ""
        IndicatorValueFactory(monthly_return=monthly_return, indicator=indicator, status=status, value=value, rag=rag)


def submitted(provider, day=14):
    return MonthlyReturnFactory(
        provider=provider,
        period=SEPTEMBER,
        status="submitted",
        submitted_at=timezone.make_aware(datetime(2026, 10, day, 9)),
    )


@time_machine.travel(TODAY)
def test_only_providers_in_scope_are_listed_counted_and_overdue(as_user, estate):
    response = as_user("team_member").get(reverse("assurance:collection"), {"period": PERIOD})
    codes = {r["provider"].code for r in response.context["rows"]}
    assert codes == {"7A4", "7A1"}  # not the one starting in November, ended in June, or draft only
    assert {r["provider"].code for r in response.context["overdue"]} == {"7A4", "7A1"}
    overall = response.context["overall"]
    assert overall["providers"] == 2 and overall["overdue"] == 2
    page = response.content.decode()
    assert "2 returns are overdue" in page
    for name in ("Aneurin Bevan", "Birmingham Children", "Alder Hey"):
        assert name not in page


@time_machine.travel(TODAY)
def test_a_provider_is_expected_from_its_first_live_month(as_user, estate):
    client = as_user("team_member")
    november = client.get(reverse("assurance:collection"), {"period": "2026-11"})
    assert "7A6" in {r["provider"].code for r in november.context["rows"]}
    june = client.get(reverse("assurance:collection"), {"period": "2026-06"})
    assert "RQ3" in {r["provider"].code for r in june.context["rows"]}
    july = client.get(reverse("assurance:collection"), {"period": "2026-07"})
    assert "RQ3" not in {r["provider"].code for r in july.context["rows"]}


@time_machine.travel(TODAY)
def test_a_month_before_collection_began_claims_no_overdue_returns(as_user, estate):
    response = as_user("service_director").get(reverse("assurance:collection"), {"period": "2023-06"})
    assert response.context["rows"] == [] and response.context["overdue"] == []
    overall = response.context["overall"]
    assert (overall["providers"], overall["overdue"], overall["completeness"], overall["timeliness"]) == (
        0,
        0,
        None,
        None,
    )
    page = response.content.decode()
    assert "is overdue" not in page and "are overdue" not in page
    assert "No provider holds a live contract in" in page


@time_machine.travel(TODAY)
def test_a_month_before_the_first_value_was_collected_expects_nothing(as_user, estate):
    """Contracts were live in 2025, but collection began in September 2026: the first edition
    listed every provider as overdue for every month before that."""
    fill(submitted(estate["live"]), estate["indicators"], ["reported"] * 4)
    response = as_user("team_member").get(reverse("assurance:collection"), {"period": "2025-06"})
    assert response.context["rows"] == [] and response.context["overdue"] == []
    page = response.content.decode()
    assert "Collection began in September 2026, so no returns were expected for June 2025." in page
    assert "overdue" not in page
    # From the month collection began, providers in scope are expected again.
    september = as_user("team_member").get(reverse("assurance:collection"), {"period": PERIOD})
    assert {r["provider"].code for r in september.context["rows"]} == {"7A4", "7A1"}


@time_machine.travel(TODAY)
def test_completeness_counts_only_results_and_a_draft_counts_as_nothing(as_user, estate):
    indicators = estate["indicators"]
    # Received: one reported, one not applicable (both results), one missing, one development plan.
    fill(submitted(estate["live"]), indicators, ["reported", "not_applicable", "missing", "development_plan"])
    # A draft with everything filled in: still not received, so 0% in the counts.
    fill(MonthlyReturnFactory(provider=estate["second"], period=SEPTEMBER), indicators, ["reported"] * 4)
    overview = collection_overview(SEPTEMBER, date(2026, 10, 20))
    rows = {r["provider"].code: r for r in overview["rows"]}
    assert (rows["7A4"]["present"], rows["7A4"]["expected"], rows["7A4"]["completeness"]) == (2, 4, 50)
    assert rows["7A4"]["received"] and not rows["7A1"]["received"]
    assert (rows["7A1"]["present"], rows["7A1"]["completeness"]) == (4, 0)
    assert rows["7A1"]["state"] == "overdue"
    teams = list(CommissioningTeam.objects.filter(active=True))
    by_team, overall = team_summaries(overview["rows"], teams)
    assert overall["completeness"] == 25  # (2 + 0) of 8
    assert {t.code: s["completeness"] for t, s in by_team} == {"cardiac": 25}
    page = as_user("team_member").get(reverse("assurance:collection"), {"period": PERIOD}).content.decode()
    assert "2 of 4 (50%)" in page
    assert "Draft, not submitted: 4 of 4 filled in" in page and "counts as 0%" in page


@time_machine.travel(TODAY)
def test_the_overview_stays_a_fixed_number_of_queries(as_user, estate, django_assert_max_num_queries):
    fill(submitted(estate["live"]), estate["indicators"], ["reported"] * 4)
    client = as_user("team_member")
    with django_assert_max_num_queries(22):
        client.get(reverse("assurance:collection"), {"period": PERIOD})


@time_machine.travel(TODAY)
def test_a_providers_team_is_the_team_holding_its_live_contract_that_month(estate):
    # Mental Health held a contract with 7A4 until June; in September only Cardiac does.
    ContractFactory(
        provider=estate["live"],
        commissioning_team=CommissioningTeam.objects.get(code="mental_health"),
        start_date=date(2025, 4, 1),
        end_date=date(2026, 6, 30),
    )
    overview = collection_overview(SEPTEMBER, date(2026, 10, 20))
    teams = list(CommissioningTeam.objects.filter(active=True))
    by_team, _overall = team_summaries(overview["rows"], teams)
    assert {t.code for t, _s in by_team} == {"cardiac"}


def test_the_template_lists_only_providers_in_scope_that_month(as_user, estate):
    response = as_user("team_member").get(reverse("assurance:return_template"), {"team": "cardiac", "period": PERIOD})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert {row[0] for row in rows} == {"7A4", "7A1"}
    november = as_user("team_member").get(
        reverse("assurance:return_template"), {"team": "cardiac", "period": "2026-11"}
    )
    rows = list(load_workbook(io.BytesIO(november.content)).active.iter_rows(values_only=True))[1:]
    assert {row[0] for row in rows} == {"7A4", "7A1", "7A6"}


def test_the_return_entry_for_a_month_out_of_scope_says_so_and_has_no_form(as_user, estate):
    client = as_user("team_member")
    url = reverse("assurance:return_entry", args=["7A6", PERIOD])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not expected to make a return for September 2026" in page
    assert "Submit return" not in page and "Save as draft" not in page
    indicator = estate["indicators"][0]
    posted = client.post(
        url, {"version": "0", "submit": "1", f"i{indicator.pk}-status": "reported", f"i{indicator.pk}-value": "96"}
    )
    assert posted.status_code == 200 and "is not expected to make a return" in posted.content.decode()
    assert not MonthlyReturn.objects.exists() and not IndicatorValue.objects.exists()
    # From its first live month the return is open as usual.
    assert "Submit return" in client.get(reverse("assurance:return_entry", args=["7A6", "2026-11"])).content.decode()


def test_directors_do_not_see_a_draft_returns_values(as_user, estate):
    draft = MonthlyReturnFactory(provider=estate["live"], period=SEPTEMBER)
    IndicatorValueFactory(
        monthly_return=draft, indicator=estate["indicators"][0], value=71.25, note="Provisional figure"
    )
    team_page = as_user("team_member").get(reverse("assurance:return_entry", args=["7A4", PERIOD])).content.decode()
    assert "71.25" in team_page and "Provisional figure" in team_page
    director_page = (
        as_user("service_director").get(reverse("assurance:return_entry", args=["7A4", PERIOD])).content.decode()
    )
    assert "71.25" not in director_page and "Provisional figure" not in director_page
    assert "has not been submitted yet" in director_page


@time_machine.travel(TODAY, tick=False)
def test_the_overview_shows_fifty_providers_a_page_and_counts_them_all(as_user):
    """An estate of thousands is not one table of thousands (issue 20's load test found the page
    at 275 KB for 500 providers): fifty a page, the summaries over every provider."""
    IndicatorFactory(code="X1")
    for n in range(55):
        ContractFactory(
            provider__code=f"P{n:02d}",
            provider__name=f"Provider {n:02d}",
            start_date=date(2024, 4, 1),
            end_date=date(2027, 3, 31),
        )
    client = as_user("service_director")
    first = client.get(reverse("assurance:collection"), {"period": PERIOD})
    assert len(first.context["rows"]) == 50 and first.context["overall"]["providers"] == 55
    assert "Showing 1 to 50 of 55" in first.content.decode()
    second = client.get(reverse("assurance:collection"), {"period": PERIOD, "page": "2"})
    assert [r["provider"].code for r in second.context["rows"]] == [f"P{n:02d}" for n in range(50, 55)]
    assert f"period={PERIOD}" in second.content.decode().split('rel="prev"')[0].rsplit("href=", 1)[1]
