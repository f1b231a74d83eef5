"""The second edition of the methodology (METHODOLOGY.md, 2026-11-30), walked through in Chromium.

What users rely on since that edition:

* a provider in scope whose return was not received says "No return" (a word in a grey tag,
  never colour alone) on the dashboard, in its provider page's strip and in its highlight
  report, the dashboard can be filtered to those providers, and such a month never steps
  the provider up (a draft's Red values feed nothing);
* the Chief Executive records an Executive Committee decision for a provider in special
  measures, which the timeline keeps with her name (and any pending step-down is withdrawn);
  no other director is offered the form or may post it;
* a pending step-down is withdrawn, with the month and why, when the improvement does not hold;
* an administrator changes an indicator's target from a month on; "Targets over time" lists
  it and the months from then on are re-rated against it, the earlier ones left alone;
* a web upload with a value outside the provider's usual range lists the flagged row and
  saves nothing until the person confirms it with a note, without choosing the file again;
* the returns overview of a month before collection began expects no returns.

Screenshots go to /tmp/shots/ (outside the repository), one PNG per key step.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assurance.models import (
    IndicatorRating,
    IndicatorTarget,
    IndicatorValue,
    MonthlyReturn,
    ProviderRating,
)
from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_period
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional DB; serialized_rollback restores the roles and
    # teams made by data migrations (and conftest.py restores them again after the flush).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots")
NO_RETURN = "No return"
AREAS = ["access", "quality_safety", "finance_activity", "patient_experience", "governance"]


@pytest.fixture
def shot(request):
    """Save a full-page PNG to /tmp/shots/<test name>--<step>.png (never in the repository)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, step):
        path = SHOTS / f"{request.node.name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def provider(code, name, **provider_fields):
    """A provider with a live Cardiac contract from January 2025 to March 2028."""
    fields = {f"provider__{key}": value for key, value in provider_fields.items()}
    return ContractFactory(
        provider__code=code, provider__name=name, start_date=date(2025, 1, 1), end_date=date(2028, 3, 31), **fields
    ).provider


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def scorecard_row(page, name):
    return page.locator("#scorecard tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{re.escape(name)}"))
    )


def summary_value(page, key, within="main"):
    row = page.locator(f"{within} .nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=re.compile(rf"^{re.escape(key)}$"))
    )
    return row.locator(".nhsuk-summary-list__value")


# 1. No return ---------------------------------------------------------------------------------


@pytest.fixture
def no_return_estate(catalogue):
    """Three Cardiac providers rated January to March 2026, all Green in January and February.

    In March Provider 00 returns all Green; Provider 01 has only a draft, all Red (a draft
    feeds nothing); Provider 02 has sent nothing at all. Both are "No return" for March.
    """
    providers = [provider(f"P{n:02d}", f"Provider {n:02d}") for n in range(3)]
    MonthlyReturn.objects.create(provider=providers[1], period=M[2], status="draft")
    for month in M[:3]:
        for n, p in enumerate(providers):
            if month == M[2] and n == 2:
                continue  # no return at all
            report(p, month, month_values(0, 0, 5) if month == M[2] and n == 1 else month_values(5), catalogue)
        run_period(month)
    assert MonthlyReturn.objects.get(provider=providers[1], period=M[2]).status == "draft"
    assert list(
        ProviderRating.objects.filter(period=M[2]).order_by("provider__code").values_list("provider__code", "received")
    ) == [("P00", True), ("P01", False), ("P02", False)]
    return providers


def test_a_provider_without_a_return_says_no_return_and_is_not_escalated(
    no_return_estate, service_director, page, login, shot
):
    login(page, service_director)
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Provider scorecard, March 2026")
    expect(page.locator("#provisional")).to_have_count(0)  # March's deadline has long passed

    # Every rating cell of a provider with no return says so, in a grey tag; its level stays.
    for name in ("Provider 01", "Provider 02"):
        tags = scorecard_row(page, name).locator("td .nhsuk-tag")
        expect(tags).to_have_text([NO_RETURN] * 7 + ["Level 1"])
        for n in range(7):
            expect(tags.nth(n)).to_have_class(re.compile(r"\bnhsuk-tag--grey\b"))
    received = scorecard_row(page, "Provider 00").locator("td .nhsuk-tag")
    # (No Access indicator is USC here, so USC is "Not rated", without a tag.)
    expect(received).to_have_text(["Green"] * 5 + ["Level 1", "Level 1"])
    # Never Red: the draft's Red values of Provider 01 count nowhere.
    expect(page.locator("#scorecard tbody .nhsuk-tag--red")).to_have_count(0)
    counts = page.locator(".app-level-counts")
    expect(counts).to_contain_text("Level 1 1 provider rated and 2 with no return")
    expect(counts.get_by_role("link", name="No return 2 providers")).to_have_attribute(
        "href", "?period=2026-03&no_return=1"
    )
    expect(page.locator("main")).to_contain_text("(1 rated, 2 with no return)")
    expect(page.locator("#stepped-up + p")).to_have_text(
        "No provider's escalation level changed on this month's ratings."
    )
    shot(page, "1-dashboard")

    # The filter "With no return this month" keeps the two, and keeps its choice.
    page.get_by_label("With no return this month").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]no_return=1"))
    names = page.locator("#scorecard tbody th a")  # (a th may also say "Meeting overdue")
    expect(names).to_have_count(2)
    assert sorted(n.strip() for n in names.all_inner_texts()) == ["Provider 01", "Provider 02"]
    expect(page.get_by_label("With no return this month")).to_be_checked()
    shot(page, "2-dashboard-no-return-filter")

    # The provider page: "No return" down March's column of the strip, the level unchanged.
    scorecard_row(page, "Provider 01").get_by_role("link", name="Provider 01").click()
    expect(page).to_have_url(re.compile(r"/providers/P01/$"))
    expect(page.locator("h1")).to_have_text("Provider 01")
    strip = page.locator("#area-strip")
    expect(strip.locator("thead th")).to_have_count(25)  # the key area, then 24 months to March 2026
    expect(strip.locator("thead th").last).to_have_text("Mar 26")
    first_row = strip.locator("tbody tr").first
    expect(first_row.locator("td")).to_have_count(24)
    march = first_row.locator("td").last
    expect(march).to_have_text(NO_RETURN)
    expect(march.locator(".nhsuk-tag")).to_have_class(re.compile(r"\bnhsuk-tag--grey\b"))
    expect(march).to_have_attribute("rowspan", "5")  # one tag down the five areas
    assert first_row.locator("td").all_inner_texts()[-3:-1] == ["G", "G"]  # January, February
    second_row = strip.locator("tbody tr").nth(1)
    expect(second_row.locator("td")).to_have_count(23)  # no March cell of its own
    level_row = strip.locator("tbody tr").filter(has=page.locator("th", has_text="Escalation level"))
    assert level_row.locator("td").all_inner_texts()[-3:] == ["1", "1", "1"]
    expect(strip.locator(".app-strip__cell--R")).to_have_count(0)
    current = page.locator("#current-level")
    expect(current.locator(".nhsuk-tag")).to_have_text("Level 1")
    expect(summary_value(page, "Recommended for March 2026")).to_contain_text(NO_RETURN)
    expect(summary_value(page, "Recommended for March 2026")).to_contain_text("was not received")
    expect(page.locator("#timeline + ol li")).to_have_count(1)  # the first rating only: no step-up
    expect(page.locator("#timeline + ol li").first).to_contain_text("First rating: started at level 1")
    # Charts of the received months (the draft's values are not among them) drawn by plotly.
    page.locator(".app-chart__plot").first.scroll_into_view_if_needed()  # drawn as it scrolls into view
    expect(page.locator(".app-chart__plot").first.locator("svg.main-svg").first).to_be_visible()
    shot(page, "3-provider-page")

    # The escalation page: the level kept, March's recommendation "No return" (not "Not rated").
    page.get_by_role("link", name="Escalate, override or decide a step-down").click()
    expect(page).to_have_url(re.compile(r"/providers/P01/escalation/$"))
    expect(summary_value(page, "Current level", "#current-level").locator(".nhsuk-tag")).to_have_text("Level 1")
    expect(summary_value(page, "Recommended for March 2026", "#current-level")).to_have_text(NO_RETURN)
    escalation_row = page.locator("#area-ratings tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^Escalation level$"))
    )
    expect(escalation_row.locator("td")).to_have_text(["Level 1", "Level 1", "Level 1"])
    expect(page.locator("#area-ratings .nhsuk-tag--red")).to_have_count(0)
    shot(page, "3b-escalation-page")
    page.problems.assert_none()
    page.go_back()
    page.problems.assert_none()

    # The highlight report for March says so too, and that the level is kept.
    page.get_by_role("link", name="Highlight report, March 2026").click()
    expect(page.locator("h1")).to_have_text("Provider 01, March 2026")
    expect(page.locator("main .nhsuk-inset-text")).to_contain_text(
        "No return was received from Provider 01 for March 2026, so the month is not rated"
    )
    expect(page.locator("main .nhsuk-inset-text")).to_contain_text("The provider keeps its escalation level.")
    expect(summary_value(page, "Recommended by this month's ratings")).to_have_text(NO_RETURN)
    expect(summary_value(page, "Escalation level")).to_have_text("Level 1")
    expect(page.locator("#areas + table tbody td .nhsuk-tag")).to_have_text([NO_RETURN] * 5)
    shot(page, "4-highlight-report")
    page.problems.assert_none()

    for p in no_return_estate[1:]:
        assert ProviderEscalation.objects.get(provider=p).level == 1
        assert list(EscalationDecision.objects.filter(provider=p).values_list("kind", flat=True)) == ["initial"]


# 2. Executive Committee decision --------------------------------------------------------------


@pytest.fixture
def special_measures(catalogue):
    """A health board in special measures: two Red areas in January 2026 (level 3), then
    three all-Green months, so a step-down to level 1 for April waits for the Executive Director."""
    board = provider(
        "7A1",
        "Betsi Cadwaladr University Health Board",
        intervention_level="special_measures",
        sector="nhs_wales",
        country="wales",
        regulator="hiw",
    )
    for month, values in zip(M, [month_values(3, 0, 2)] + [month_values(5)] * 3, strict=False):
        report(board, month, values, catalogue)
        run_period(month)
    assert ProviderEscalation.objects.get(provider=board).level == 3
    assert StepDownProposal.objects.get(provider=board).status == "pending"
    return board


def test_the_chief_executive_records_an_executive_committee_decision_and_other_directors_cannot(
    special_measures, chief_executive, executive_director, page, login, shot
):
    board = special_measures
    path = f"/providers/{board.code}/escalation/"
    rationale = "The Executive Committee met on 27 November: the HIW review found serious governance failings."

    login(page, chief_executive)
    page.goto(board.get_absolute_url())
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("In special measures")
    page.get_by_role("link", name="Escalate, override or decide a step-down").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("Special measures: executive decision needed")
    card = page.locator("#executive-decision")
    expect(card.locator("h2")).to_have_text("Record an Executive Committee decision")
    level = card.get_by_label("Set the level to")
    # Any level but the current one (3), up or down.
    expect(level.locator("option")).to_have_text(
        [
            "Select a level",
            "Level 1: routine monitoring",
            "Level 2: enhanced monitoring",
            "Level 4: escalated monitoring, CEO informed",
        ]
    )
    expect(card.get_by_role("button", name="Record the decision")).to_be_visible()
    full = shot(page, "1-escalation-page")
    card.screenshot(path=str(full.with_name(f"{full.stem}-card.png")))

    level.select_option(label="Level 4: escalated monitoring, CEO informed")
    card.get_by_label("Government or regulator special measures").check()
    card.get_by_label("Rationale").fill(rationale)
    card.get_by_role("button", name="Record the decision").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"The Executive Committee decision has been recorded: {board.name} is now at level 4."
    )
    expect(summary_value(page, "Current level", "#current-level").locator(".nhsuk-tag")).to_have_text("Level 4")
    timeline = page.locator("ol.app-timeline")
    newest = timeline.locator("li").first
    expect(newest).to_contain_text("Executive Committee decision (special measures): level 3 to level 4")
    expect(newest).to_contain_text("ratings for April 2026")  # the newest evaluated month
    expect(newest).to_contain_text(chief_executive.display_name)
    expect(newest).to_contain_text("Reasons: Government or regulator special measures")
    expect(newest).to_contain_text(rationale)
    # The pending step-down is withdrawn by the change of level, and says why.
    expect(page.locator("#pending-step-down")).to_have_count(0)
    withdrawn = timeline.locator("li").filter(has_text="Step-down from level 3 to 1")
    expect(withdrawn).to_contain_text("Withdrawn")
    expect(withdrawn).to_contain_text("withdrawn on the ratings for April 2026")
    expect(withdrawn).to_contain_text("The level was changed by an Executive Committee decision.")
    # Still in special measures: the form stays, without the new current level.
    expect(page.locator("#executive-decision").get_by_label("Set the level to").locator("option")).not_to_contain_text(
        ["Level 4: escalated monitoring, CEO informed"]
    )
    shot(page, "2-decision-recorded")
    page.problems.assert_none()

    decision = EscalationDecision.objects.get(provider=board, kind="executive_decision")
    assert (decision.from_level, decision.to_level, decision.decided_by, decision.rationale) == (
        3,
        4,
        chief_executive,
        rationale,
    )
    assert decision.reasons == ["special_measures"]
    assert ProviderEscalation.objects.get(provider=board).level == 4
    assert StepDownProposal.objects.get(provider=board).status == "withdrawn"

    # --- The Executive Director sees the decision, but no form, and may not post one. -----
    log_out(page)
    login(page, executive_director, open_login_page=False)
    page.goto(path)
    expect(page.locator("ol.app-timeline li").first).to_contain_text(
        "Executive Committee decision (special measures): level 3 to level 4"
    )
    expect(page.locator("ol.app-timeline li").first).to_contain_text(chief_executive.display_name)
    expect(page.locator("#executive-decision")).to_have_count(0)
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    expect(page.get_by_text("Record an Executive Committee decision")).to_have_count(0)
    shot(page, "3-executive-director-no-form")
    csrf = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    posted = page.request.post(
        f"{path}executive-decision/",
        form={
            "csrfmiddlewaretoken": csrf,
            "executive-to_level": "1",
            "executive-rationale": "Not mine to decide.",
        },
        headers={"Referer": page.url},
        max_redirects=0,
    )
    assert posted.status == 403
    assert ProviderEscalation.objects.get(provider=board).level == 4
    assert EscalationDecision.objects.filter(provider=board, kind="executive_decision").count() == 1
    page.problems.assert_none()


# 3. A pending step-down withdrawn when the improvement does not hold --------------------------


def test_a_pending_step_down_is_withdrawn_when_the_improvement_does_not_hold(
    catalogue, executive_director, page, login, shot
):
    """Level 3 in January, Green February to April (a step-down to level 1 proposed for April),
    then a Red area in May: the recommended level is no longer below the current one."""
    p = provider("7A4", "Cardiff and Vale University Health Board")
    months = [month_values(3, 0, 2)] + [month_values(5)] * 3 + [month_values(4, 0, 1)]
    for month, values in zip(M, months, strict=False):
        report(p, month, values, catalogue)
        run_period(month)

    login(page, executive_director)
    page.goto(f"/providers/{p.code}/escalation/")
    expect(page.locator("#pending-step-down")).to_have_count(0)  # nothing left to approve
    expect(page.get_by_role("button", name="Record my decision")).to_have_count(0)
    expect(summary_value(page, "Current level", "#current-level").locator(".nhsuk-tag")).to_have_text("Level 3")
    withdrawn = page.locator("ol.app-timeline li").filter(has_text="Step-down from level 3 to 1")
    expect(withdrawn).to_have_count(1)
    expect(withdrawn).to_contain_text("Step-down from level 3 to 1: Withdrawn")
    expect(withdrawn).to_contain_text("proposed on the ratings for April 2026; withdrawn on the ratings for May 2026")
    expect(withdrawn).to_contain_text(
        "The improvement did not hold: a newer month's recommended level was not below the current level."
    )
    shot(page, "escalation-timeline")
    # The provider page's timeline says the same, and no step-down is shown as proposed.
    page.goto(p.get_absolute_url())
    expect(page.locator("#current-level")).not_to_contain_text("proposed")
    expect(page.locator("#timeline + ol li").filter(has_text="Step-down from level 3 to 1")).to_contain_text(
        "withdrawn on the ratings for May 2026"
    )
    page.problems.assert_none()

    proposal = StepDownProposal.objects.get(provider=p)
    assert (proposal.status, proposal.withdrawn_period) == ("withdrawn", M[4])


# 4. A change of target from a month on --------------------------------------------------------


def test_an_administrator_changes_a_target_from_a_month_on(catalogue, administrator, page, login, shot):
    """Access at 92 every month, January to April 2026: Amber against 95 (amber 90), then Red from
    March (persistent: not Green in the two months before). The target falls to 90 (amber 85)
    from March: March and April become Green; January and February keep their Amber."""
    p = provider("7A4", "Cardiff and Vale University Health Board")
    indicator = catalogue["access"]
    indicator.name = "Referral to treatment within 26 weeks (%)"
    indicator.save()
    for month in M[:4]:
        report(p, month, {**month_values(5), "access": "92"}, catalogue)
        run_period(month)
    before = dict(IndicatorRating.objects.filter(indicator=indicator, provider=p).values_list("period", "rag"))
    assert [before[m] for m in M[:4]] == ["A", "A", "R", "R"]  # Red in March: not Green three months running

    login(page, administrator)
    page.locator("nav.nhsuk-header__navigation").get_by_role("link", name="Indicators").click()
    expect(page.locator("h1")).to_have_text("Indicator catalogue")
    page.get_by_role("link", name=f"Edit {indicator.name}").click()
    expect(page).to_have_url(re.compile(rf"/indicators/{indicator.pk}/edit/$"))
    expect(page.locator("#targets")).to_have_text("Targets over time")
    expect(page.locator("main")).to_contain_text("The target has not changed since the indicator was added.")
    targets = page.locator("#targets ~ .app-table-wrapper table tbody tr")
    expect(targets).to_have_count(1)
    expect(targets.first.locator("th, td")).to_have_text(["Every month (the original target)", "≥ 95", "90", "—", "—"])

    page.get_by_role("link", name="Change the target from a month on").click()
    expect(page).to_have_url(re.compile(rf"/indicators/{indicator.pk}/targets/new/$"))
    expect(page.locator("h1")).to_have_text(f"Change the target of {indicator.name}")
    page.get_by_label("From month").fill("2026-03")
    page.get_by_label("Target", exact=True).fill("90")
    page.get_by_label("Amber threshold").fill("85")
    shot(page, "1-target-form")
    page.get_by_role("button", name="Save the change").click()

    expect(page).to_have_url(re.compile(rf"/indicators/{indicator.pk}/edit/$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"From 2026-03 the target of {indicator.name} is 90, with an amber threshold of 85."
    )
    expect(targets).to_have_count(2)
    expect(targets.nth(0).locator("th, td").nth(0)).to_contain_text("Until 2026-02")
    expect(targets.nth(0).locator("th, td").nth(0)).to_contain_text("the original target")
    expect(targets.nth(0).locator("td")).to_have_text(["≥ 95", "90", "—", "—"])
    expect(targets.nth(1).locator("th")).to_have_text("From 2026-03")
    expect(targets.nth(1).locator("td").nth(0)).to_have_text("≥ 90")
    expect(targets.nth(1).locator("td").nth(1)).to_have_text("85")
    expect(targets.nth(1).locator("td").nth(2)).to_have_text(administrator.display_name)
    expect(page.locator("main")).not_to_contain_text("The target has not changed since the indicator was added.")
    shot(page, "2-targets-over-time")
    page.problems.assert_none()

    # The catalogue shows the target in force now, and since when.
    page.locator("nav.nhsuk-header__navigation").get_by_role("link", name="Indicators").click()
    row = page.locator("table tbody tr").filter(has_text=indicator.name)
    expect(row).to_contain_text("≥ 90 (amber 85)")
    expect(row).to_contain_text("since 2026-03")
    page.problems.assert_none()

    assert IndicatorTarget.objects.get(indicator=indicator).from_period == M[2]
    rags = dict(IndicatorRating.objects.filter(indicator=indicator, provider=p).values_list("period", "rag"))
    assert [rags[m] for m in M[:4]] == ["A", "A", "G", "G"]


# 5. An upload with a value outside its usual range --------------------------------------------

OUTLIER_NOTE = "Checked with the provider's information team: a ward closed for two weeks in January."


@pytest.fixture
def outlier_upload(catalogue, tmp_path):
    """Twelve months of 95.5 and 96.5 in every area, 2025 (usual range 93.3 to 98.7), and a file
    of January 2026's return with 72 for Quality and safety (line 3) and 96 elsewhere."""
    p = provider("7A4", "Cardiff and Vale University Health Board")
    catalogue["quality_safety"].name = "Patients harmed by a fall (% free of harm)"
    catalogue["quality_safety"].save()
    for n in range(12):
        report(p, date(2025, n + 1, 1), dict.fromkeys(AREAS, "95.5" if n % 2 else "96.5"), catalogue)
    csv = tmp_path / "returns-2026-01.csv"
    lines = ["provider_code,indicator_code,period,value,rag,status,note"]
    lines += [
        f"7A4,{catalogue[area].code},2026-01,{'72' if area == 'quality_safety' else '96'},,reported," for area in AREAS
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p, csv


def upload(page, csv):
    """From the returns overview to the upload page, and upload the file: it is checked first."""
    page.goto("/returns/")
    page.get_by_role("link", name="Upload returns from a spreadsheet").first.click()
    expect(page).to_have_url(re.compile(r"/returns/upload/$"))
    expect(page.locator("input[name=dry_run]")).to_have_count(0)  # every upload is checked first, then saved
    page.get_by_label("Monthly returns (returns.csv)").check()
    page.get_by_label("File", exact=True).set_input_files(str(csv))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#flagged-rows")).to_be_visible()


def test_a_team_member_confirms_an_outlier_in_an_upload_and_it_is_saved(
    outlier_upload, catalogue, team_member, page, login, shot
):
    p, csv = outlier_upload
    flagged_indicator = catalogue["quality_safety"]
    login(page, team_member)
    upload(page, csv)

    # --- The flagged row is listed; nothing is saved yet. -----------------------------------
    expect(page.locator(".nhsuk-caption-l")).to_contain_text(csv.name)
    expect(page.locator("#flagged")).to_contain_text("1 value is outside its usual range")
    expect(page.locator("main")).to_contain_text("Nothing has been saved yet.")
    rows = page.locator("#flagged-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(
        [
            "line 3",
            "7A4",
            f"{flagged_indicator.name} (quality_safety_ind)",
            "January 2026",  # months in words (issue 17)
            "72",
            "93.3 to 98.7",
            "None: needs confirming",
        ]
    )
    expect(page.locator("input[type=file]")).to_have_count(0)  # the file is not chosen again
    expect(page.get_by_label("I have checked these values and they are right")).not_to_be_checked()
    assert not MonthlyReturn.objects.filter(provider=p, period=M[0]).exists()
    shot(page, "1-flagged")

    # --- A note without the tick is not enough: explained, still nothing saved. -------------
    page.get_by_label("Confirming note").fill(OUTLIER_NOTE)
    page.get_by_role("button", name="Confirm and save").click()
    summary = page.locator(".nhsuk-error-summary").first
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_text(["Tick the box to confirm the values are right."])
    expect(page.get_by_label("Confirming note")).to_have_value(OUTLIER_NOTE)
    expect(page.locator("#flagged-rows tbody tr")).to_have_count(1)
    assert not MonthlyReturn.objects.filter(provider=p, period=M[0]).exists()
    shot(page, "2-not-ticked")

    # --- Tick and confirm: the whole file is saved, the note kept with the flagged value. ---
    page.get_by_label("I have checked these values and they are right").check()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page).to_have_url(re.compile(r"/returns/$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("5 rows imported: 5 created, 0 updated, 0 unchanged.")
    expect(page.locator("main")).to_contain_text("1 value outside its usual range was saved with its confirming note.")
    page.problems.assert_none()

    page.goto(f"/returns/{p.code}/2026-01/")
    expect(page.locator("h1")).to_have_text(p.name)
    prefix = f"i{flagged_indicator.pk}"
    expect(page.locator(f"#id_{prefix}-value")).to_have_value("72")
    expect(page.locator(f"#id_{prefix}-note")).to_have_value(OUTLIER_NOTE)
    expect(page.locator(f"label[for=id_{prefix}-note]")).to_contain_text("Outside usual range")
    other = f"i{catalogue['access'].pk}"
    expect(page.locator(f"#id_{other}-value")).to_have_value("96")
    expect(page.locator(f"#id_{other}-note")).to_have_value("")
    shot(page, "3-return-page")
    page.problems.assert_none()

    saved = MonthlyReturn.objects.get(provider=p, period=M[0])
    assert (saved.status, saved.submitted_by) == ("submitted", team_member)
    value = IndicatorValue.objects.get(monthly_return=saved, indicator=flagged_indicator)
    assert (value.value, value.note) == (Decimal("72"), OUTLIER_NOTE)
    assert IndicatorValue.objects.filter(monthly_return=saved).count() == 5


def test_an_unticked_outlier_confirmation_shows_one_error_summary(outlier_upload, team_member, page, login):
    _p, csv = outlier_upload
    login(page, team_member)
    upload(page, csv)
    page.get_by_label("Confirming note").fill(OUTLIER_NOTE)
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_label("Confirming note")).to_have_value(OUTLIER_NOTE)
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1, timeout=2_000)


# 6. The returns overview before collection began ----------------------------------------------


def test_the_returns_overview_expects_nothing_before_collection_began(catalogue, team_member, page, login, shot):
    """The contract is live from January 2025, but the first values are for January 2026."""
    p = provider("7A4", "Cardiff and Vale University Health Board")
    report(p, M[0], month_values(5), catalogue)

    login(page, team_member)
    page.goto("/returns/?period=2026-01")
    expect(page.locator("h1")).to_have_text("Returns for January 2026")
    expect(page.locator("#returns tbody tr")).to_have_count(1)  # collection had begun

    page.locator("#period").select_option("2025-12")
    page.get_by_role("button", name="Show returns").click()
    expect(page).to_have_url(re.compile(r"/returns/\?period=2025-12"))
    expect(page.locator("h1")).to_have_text("Returns for December 2025")
    expect(page.locator("main")).to_contain_text(
        "Collection began in January 2026, so no returns were expected for December 2025."
    )
    expect(page.locator("#overdue")).to_have_count(0)
    expect(page.locator("#returns")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(p.name)
    expect(page.locator("#team-summary tfoot tr > *")).to_have_text(["All providers", "0", "—", "—", "0"])
    expect(page.locator("#period")).to_have_value("2025-12")
    shot(page, "overview-before-collection")
    page.problems.assert_none()
