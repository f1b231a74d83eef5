"""Second edition (METHODOLOGY, "Who is rated"): a provider in scope whose return was not received
is "No return" wherever a rating would appear, never Red and never colour alone; a month is
provisional until its collection deadline; the Access override counts for USC and Planned;
draft values feed no chart, table, report or pack; and the dashboard says who decided.

The "No return" rows are made here as compute_period makes them: a ProviderRating with
received=False, nothing rated, the escalation level kept, and no area or indicator ratings.
"""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import load_workbook
from pypdf import PdfReader

from assurance.models import (
    AreaRating,
    IndicatorRating,
    IndicatorValue,
    MonthlyReturn,
    ProviderRating,
)
from escalation.models import EscalationDecision
from escalation.pipeline import run_period
from providers.models import CommissioningTeam
from reporting import packs, selectors
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("reporting:dashboard")
AFTER_DEADLINES = datetime(2026, 11, 20, 12, 0)  # every month up to September is past its deadline


def no_return(provider, period):
    """The provider's month as compute_period records a return not received."""
    AreaRating.objects.filter(provider=provider, period=period).delete()
    IndicatorRating.objects.filter(provider=provider, period=period).delete()
    before = ProviderRating.objects.filter(provider=provider, period__lt=period).order_by("-period").first()
    rating, _created = ProviderRating.objects.update_or_create(
        provider=provider,
        period=period,
        defaults={
            "received": False,
            "reds": 0,
            "ambers": 0,
            "recommended_level": None,
            "usc_rag": "",
            "planned_rag": "",
            "level_direction": "",
            "escalation_level": before.escalation_level if before else None,
            "pending_step_down": None,
        },
    )
    return rating


def estate(catalogue):
    """P00 Red in two areas in February (level 3); P01 returns nothing in February; P02 Green."""
    providers = []
    for n in range(3):
        team = CommissioningTeam.objects.get(code="cardiac" if n % 2 == 0 else "mental_health")
        providers.append(
            ContractFactory(
                provider__code=f"P{n:02d}", provider__name=f"Provider {n:02d}", commissioning_team=team
            ).provider
        )
    for provider in providers:
        report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    report(providers[0], M[1], month_values(3, 0, 2), catalogue)
    report(providers[2], M[1], month_values(5), catalogue)
    run_period(M[1], [providers[0].pk, providers[2].pk])
    no_return(providers[1], M[1])
    return providers


def scorecard_row_html(page, name):
    table = page.split('id="scorecard"')[1].split("</table>")[0]
    return table.split(name)[1].split("</tr>")[0]


# 1. "No return" on the dashboard -------------------------------------------------------------


@time_machine.travel(AFTER_DEADLINES)
def test_the_dashboard_says_no_return_never_red_and_keeps_the_escalation_level(as_user, catalogue):
    estate(catalogue)
    response = as_user("service_director").get(DASHBOARD, {"period": "2026-02"})
    page = response.content.decode()
    row = scorecard_row_html(page, "Provider 01")
    assert row.count(">No return<") == 7  # USC, Planned, four areas and the recommended level
    assert "Red" not in row and "Green" not in row and "Not rated" not in row
    assert ">Level 1<" in row  # the provider keeps its level
    assert "nhsuk-tag" in row.split(">No return<")[0].rsplit("<", 1)[1]  # a word in a tag
    assert response.context["counts"] == {1: 1, 2: 0, 3: 1, 4: 0}  # rated providers only
    assert response.context["no_returns"] == 1
    counts = page.split('class="app-level-counts"')[1].split("</ul>")[0]
    assert "No return" in counts and "no_return=1" in counts
    assert "2 rated" in page and "1 with no return" in page


@time_machine.travel(AFTER_DEADLINES)
def test_the_no_return_filter_and_changed_since_last_month(as_user, catalogue):
    estate(catalogue)
    client = as_user("service_director")
    rows = client.get(DASHBOARD, {"period": "2026-02", "no_return": "1"}).context["rows"]
    assert [r["provider"].code for r in rows] == ["P01"]
    response = client.get(DASHBOARD, {"period": "2026-02"})
    changed = {r["provider"].code: r["changed"] for r in response.context["rows"]}
    assert changed == {"P00": True, "P01": False, "P02": False}  # no return, and the same level: not a change
    rows = client.get(DASHBOARD, {"period": "2026-02", "changed": "1"}).context["rows"]
    assert [r["provider"].code for r in rows] == ["P00"]
    for sort in selectors.SORTS:
        assert client.get(DASHBOARD, {"period": "2026-02", "sort": sort}).status_code == 200


@time_machine.travel(AFTER_DEADLINES)
def test_a_month_after_a_no_return_has_no_arrows_and_counts_as_changed(as_user, catalogue):
    providers = estate(catalogue)
    for provider in providers:
        report(provider, M[2], month_values(5), catalogue)
    run_period(M[2])
    response = as_user("service_director").get(DASHBOARD, {"period": "2026-03", "changed": "1"})
    rows = {r["provider"].code: r for r in response.context["rows"]}
    assert "P01" in rows and rows["P01"]["changed"]  # rated again after a month not rated
    assert rows["P01"]["usc"][1] is None and rows["P01"]["planned"][1] is None  # nothing to compare with
    page = response.content.decode()
    assert "same as last month" not in scorecard_row_html(page, "Provider 01").split("Level")[0]


def test_a_month_is_provisional_until_its_collection_deadline(as_user, catalogue):
    estate(catalogue)
    client = as_user("service_director")
    with time_machine.travel(datetime(2026, 3, 15, 12, 0)):  # February's deadline: the 15th of March
        page = client.get(DASHBOARD, {"period": "2026-02"}).content.decode()
    assert (
        "Provisional: returns for February 2026 are due by 15 March 2026; ratings may change until then."
        in " ".join(page.split())
    )
    with time_machine.travel(datetime(2026, 3, 16, 9, 0)):
        page = client.get(DASHBOARD, {"period": "2026-02"}).content.decode()
    assert "Provisional" not in page


# The provider page and the highlight report ------------------------------------------------------


@time_machine.travel(AFTER_DEADLINES)
def test_the_provider_page_strip_says_no_return(as_user, catalogue):
    provider = estate(catalogue)[1]
    page = as_user("service_director").get(reverse("reporting:provider_detail", args=[provider.code])).content.decode()
    strip = page.split('id="area-strip"')[1].split("</table>")[0]
    assert ">No return<" in strip and "app-strip__cell--R" not in strip
    assert strip.count("app-strip__cell--G") == 5  # January's five areas
    assert "No return" in page.split('id="summary"')[1].split("</dl>")[0]  # recommended for February


@time_machine.travel(AFTER_DEADLINES)
def test_the_highlight_report_of_a_month_with_no_return(as_user, catalogue):
    provider = estate(catalogue)[1]
    page = (
        as_user("service_director")
        .get(reverse("reporting:highlight_report", args=[provider.code, "2026-02"]))
        .content.decode()
    )
    assert "No return was received from Provider 01 for February 2026" in " ".join(page.split())
    areas = page.split('id="areas"')[1].split("</table>")[0]
    assert areas.count(">No return<") == 5 and "Not rated" not in areas and ">Red<" not in areas


# Committee packs ---------------------------------------------------------------------------------


def pdf_words(content):
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


@time_machine.travel(AFTER_DEADLINES)
def test_the_pack_shows_no_return_and_lists_the_returns_not_received(catalogue):
    providers = estate(catalogue)
    MonthlyReturn.objects.create(provider=providers[1], period=M[1], status="draft")
    data = selectors.pack_data("joint_committee", M[1], M[0], date(2026, 11, 20))
    row = data.scorecard.set_index("code").loc["P01"]
    assert not row["received"] and row["usc"] == "" and pd_none(row["recommended"])
    assert row["escalation"] == 1
    assert list(data.no_returns["code"]) == ["P01"] and list(data.no_returns["month"]) == [M[1]]
    assert str(data.no_returns.iloc[0]["state"]) == "Draft, not submitted"
    assert data.levels.set_index("level").loc[1, "no_return"] == 1
    assert data.provisional_until is None

    text = pdf_words(packs.render_pdf(data)[0])
    scorecard = text.split("Provider scorecard")[-1].split("Exception reports")[0]
    assert "Provider 01 No return No return No return No return No return No return No return 1" in scorecard
    completeness = text.split("Data completeness")[-1]
    assert "Returns not received" in completeness and "Provider 01 (P01)" in completeness

    book = load_workbook(io.BytesIO(packs.render_xlsx(data)))
    sheet = book["Provider scorecard"]
    header = [c.value for c in sheet[1]]
    values = {row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["P01"]["Access: USC"] == "No return" and values["P01"]["Recommended level"] == "No return"
    assert values["P01"]["Escalation level"] == 1
    missing = list(book["Returns not received"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in missing] == [("Provider 01", "P01")]


def pd_none(value):
    import pandas as pd

    return value is None or pd.isna(value)


def test_a_pack_built_before_the_deadline_is_marked_provisional(catalogue):
    estate(catalogue)
    data = selectors.pack_data("joint_committee", M[1], M[0], date(2026, 3, 2))
    assert data.provisional_until == date(2026, 3, 15)
    text = pdf_words(packs.render_pdf(data)[0])
    notice = "Provisional: returns for February 2026 are due by 15 March 2026; ratings may change until then."
    assert text.split("Contents")[0].count(notice) == 1  # on the cover
    assert notice in text.split("Provider scorecard")[-1]
    about = {
        r[0]: r[1] for r in load_workbook(io.BytesIO(packs.render_xlsx(data)))["About"].iter_rows(values_only=True)
    }
    assert about["Status"] == notice


# 3. The Access override counts for USC and Planned -------------------------------------------------


@time_machine.travel(AFTER_DEADLINES)
def test_an_access_override_shows_in_usc_and_planned_with_the_override_mark(as_user, catalogue, service_director):
    from assurance.services import area_override_set

    providers = estate(catalogue)
    area_override_set(
        provider=providers[2],
        period=M[1],
        area="access",
        rag="R",
        rationale="Ambulance handovers",
        user=service_director,
    )
    run_period(M[1], [providers[2].pk])
    assert AreaRating.objects.get(provider=providers[2], period=M[1], area="access").override_id
    response = as_user("service_director").get(DASHBOARD, {"period": "2026-02"})
    row = {r["provider"].code: r for r in response.context["rows"]}["P02"]
    assert row["usc"][0] == "R" and row["usc"][2] and row["planned"] == ("R", "worsened", True)
    cells = scorecard_row_html(response.content.decode(), "Provider 02").split("</td>")
    for cell in cells[:2]:
        assert ">Red<" in cell and "(overridden)" in cell
    assert "(overridden)" not in "".join(cells[2:])

    data = selectors.pack_data("joint_committee", M[1], M[0], date(2026, 11, 20))
    record = data.scorecard.set_index("code").loc["P02"]
    assert (record["usc"], record["planned"]) == ("R", "R")
    assert record["usc_overridden"] and record["planned_overridden"]
    text = pdf_words(packs.render_pdf(data)[0])
    assert "Provider 02 R* R* ▼ G ▶" in text.split("Provider scorecard")[-1]
    sheet = load_workbook(io.BytesIO(packs.render_xlsx(data)))["Provider scorecard"]
    header = [c.value for c in sheet[1]]
    values = {row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["P02"]["Access: USC"] == "Red (overridden)"
    assert values["P02"]["Access: planned"] == "Red (overridden)"
    assert values["P02"]["Access: planned, against last month"] == "Worsened"
    assert values["P02"]["Quality and safety, against last month"] == "Unchanged"
    assert values["P00"]["Patient experience, against last month"] == "Worsened"


# 4. Drafts never leak -----------------------------------------------------------------------------


@pytest.fixture
def with_draft(catalogue):
    """A Mental Health provider (Bob's team): a draft for January never submitted (value 41.0625 and a
    note), then Red Access in February and March; April's return is still a draft (value 43.0625)."""
    provider = ContractFactory(
        provider__code="MH1",
        provider__name="Mental Health Trust",
        commissioning_team=CommissioningTeam.objects.get(code="mental_health"),
    ).provider
    january = MonthlyReturn.objects.create(provider=provider, period=M[0], status="draft")
    IndicatorValue.objects.create(
        monthly_return=january,
        indicator=catalogue["access"],
        value=Decimal("41.0625"),
        note="Draft note not for sharing",
    )
    for month in M[1:3]:
        report(provider, month, {**month_values(5), "access": "60"}, catalogue)
        run_period(month)
    march = MonthlyReturn.objects.create(provider=provider, period=M[3], status="draft")
    IndicatorValue.objects.create(
        monthly_return=march, indicator=catalogue["access"], value=Decimal("43.0625"), note="Another draft note"
    )
    no_return(provider, M[3])
    no_return(provider, M[0])
    return provider


@pytest.mark.parametrize("persona", ["service_director", "team_member"])  # Alice: Cardiac and Neurosciences
def test_draft_values_are_not_on_the_provider_page(as_user, with_draft, persona):
    response = as_user(persona).get(reverse("reporting:provider_detail", args=[with_draft.code]))
    assert response.status_code == 200
    figures = response.context["figures"]
    access = next(f for f in figures if f["indicator"].area == "access")
    assert [value for _month, value, _special in access["table"]] == [60.0, 60.0]
    page = response.content.decode()
    assert "41.06" not in page and "43.06" not in page and "Draft note" not in page


def test_draft_values_are_not_in_the_highlight_report(as_user, with_draft):
    response = as_user("service_director").get(reverse("reporting:highlight_report", args=[with_draft.code, "2026-03"]))
    trend = next(t for t in response.context["trends"] if t["indicator"].area == "access")
    assert trend["months"] == 2 and trend["latest"] == 60.0
    page = response.content.decode()
    assert "41.06" not in page and "Draft note" not in page
    april = as_user("service_director").get(reverse("reporting:highlight_report", args=[with_draft.code, "2026-04"]))
    assert "Another draft note" not in april.content.decode() and not april.context["trends"]


def test_draft_values_are_not_in_the_pack(with_draft):
    data = selectors.pack_data("cdgb", M[2], M[2], date(2026, 11, 20))
    page = next(e for e in data.exceptions if e.code == "MH1")
    chart = next(c for c in page.charts)
    assert list(chart.values["value"]) == [60.0, 60.0]
    assert "Draft note" not in " ".join(page.indicators["note"])


# 5. Who decided ------------------------------------------------------------------------------------


@time_machine.travel(AFTER_DEADLINES)
def test_the_dashboard_says_who_decided_each_change_of_level(as_user, catalogue, chief_executive, service_director):
    providers = estate(catalogue)
    now = timezone.now()
    EscalationDecision.objects.create(
        provider=providers[2],
        period=M[1],
        from_level=1,
        to_level=2,
        kind="manual_step_up",
        reasons=["workforce_soft_intelligence"],
        rationale="Three consultants left",
        decided_by=service_director,
        decided_at=now,
    )
    EscalationDecision.objects.create(
        provider=providers[1],
        period=M[1],
        from_level=3,
        to_level=1,
        kind="executive_decision",
        rationale="Executive Committee, 3 March",
        decided_by=chief_executive,
        decided_at=now,
    )
    EscalationDecision.objects.create(
        provider=providers[1],
        period=M[1],
        from_level=1,
        to_level=1,
        kind="step_down",
        rationale="Improvement held",
        decided_by=service_director,
        decided_at=now,
    )
    page = " ".join(
        strip_tags(as_user("service_director").get(DASHBOARD, {"period": "2026-02"}).content.decode()).split()
    )
    decisions = page.split("Changes of escalation level on the ratings for February 2026")[1]
    sian, ceo = service_director.display_name, chief_executive.display_name
    assert "Provider 00: level 1 to level 3 (step-up by rule)." in decisions
    assert f"Provider 02: level 1 to level 2 (manual escalation, decided by {sian})." in decisions
    assert f"Provider 01: level 3 to level 1 (Executive Committee decision, decided by {ceo})." in decisions
    assert f"(step-down approved, decided by {sian})" in decisions
    assert "Three consultants left" in decisions
    highlight = as_user("service_director").get(reverse("reporting:highlight_report", args=["P02", "2026-02"]))
    governance = " ".join(strip_tags(highlight.content.decode().split('id="governance"')[1]).split())
    assert f"Manual escalation: level 1 to level 2, decided by {sian} (" in governance
    assert "Three consultants left" in governance
