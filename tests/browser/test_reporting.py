"""The dashboard, the provider page, highlight reports and committee packs in headless Chromium.

What directors and committee members rely on: the scorecard's filters narrow the rows and
keep the choice on screen; "which providers stepped up this month and why" is answered in
two clicks; a provider's charts draw (plotly from our own static files) with their data
tables; a pack is asked for, built and downloaded; a Joint Committee member sees the
scorecard and the Joint Committee's packs and nothing else.
"""

import re
import shutil
import subprocess

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def follow(page, locator):
    """Click a link or button that loads a page, and wait for the page to load: the rows are read
    at once after it, and a half-loaded page has none yet."""
    with page.expect_navigation():
        locator.click()


def scorecard_providers(page):
    return [name.strip() for name in page.locator("#scorecard tbody th").all_inner_texts()]


def test_a_director_filters_the_scorecard_and_finds_who_stepped_up_and_why_in_two_clicks(
    estate, service_director, page, login, screenshot
):
    login(page, service_director)
    follow(page, page.get_by_role("link", name="Dashboard", exact=True).first)  # click 1
    expect(page.locator("h1")).to_have_text("Provider scorecard, June 2026")
    assert len(scorecard_providers(page)) == 6
    stepped = page.locator("#stepped-up + ul")
    expect(stepped).to_contain_text(
        "Provider 00: level 1 to level 3 (step-up by rule). Why: Patient experience: Red; Governance: Red"
    )
    expect(stepped).to_contain_text("Provider 01: level 1 to level 2")
    screenshot(page, "1-dashboard")
    stepped.get_by_role("link", name="Provider 00").click()  # click 2
    expect(page).to_have_url(re.compile(r"/providers/P00/#timeline$"))
    expect(page.locator("#timeline + ol li").first).to_contain_text("Step-up by rule: level 1 to level 3")
    expect(page.locator("#timeline + ol li").first).to_contain_text("Reasons: Patient experience: Red; Governance: Red")
    page.go_back()

    # Filters: level, then team and sector, then "changed since last month"; each keeps its choice.
    page.locator("#level").select_option("3")
    follow(page, page.get_by_role("button", name="Apply filters"))
    assert scorecard_providers(page) == ["Provider 00 Meeting overdue"] or scorecard_providers(page)[0].startswith(
        "Provider 00"
    )
    assert len(scorecard_providers(page)) == 1
    expect(page.locator("#level")).to_have_value("3")
    follow(page, page.get_by_role("link", name="Clear filters"))
    page.locator("#team").select_option(label="Mental Health and Vulnerable Groups")
    page.locator("#sector").select_option("independent")
    follow(page, page.get_by_role("button", name="Apply filters"))
    assert [n.split()[1] for n in scorecard_providers(page)] == ["03", "05"]
    follow(page, page.get_by_role("link", name="Clear filters"))
    page.get_by_label("Changed since last month").check()
    follow(page, page.get_by_role("button", name="Apply filters"))
    assert sorted(n.split()[1] for n in scorecard_providers(page)) == ["00", "01"]
    expect(page.get_by_label("Changed since last month")).to_be_checked()
    follow(page, page.get_by_role("link", name="provider", exact=True))  # sort by name, filters kept
    assert [n.split()[1] for n in scorecard_providers(page)] == ["00", "01"]
    # The month picker.
    follow(page, page.get_by_role("link", name="Clear filters"))
    page.locator("#period").select_option("2026-05")
    follow(page, page.get_by_role("button", name="Apply filters"))
    expect(page.locator("h1")).to_have_text("Provider scorecard, May 2026")
    expect(page.locator("#stepped-up + p")).to_have_text(
        "No provider's escalation level changed on this month's ratings."
    )
    # Counts per level link to the level's rows.
    page.locator("#period").select_option("2026-06")
    follow(page, page.get_by_role("button", name="Apply filters"))
    follow(page, page.locator(".app-level-counts a").filter(has_text="Level 2"))
    assert [n.split()[1] for n in scorecard_providers(page)] == ["01"]
    # Never colour alone: every rated cell says its word.
    words = page.locator("#scorecard tbody td .nhsuk-tag").all_inner_texts()
    assert words and set(words) <= {"Green", "Amber", "Red", "Level 1", "Level 2", "Level 3", "Level 4", "No return"}
    page.problems.assert_none()


def test_the_provider_page_draws_each_chart_with_its_data_table(estate, service_director, page, login, screenshot):
    login(page, service_director)
    page.goto("/providers/P00/")
    expect(page.locator("h1")).to_have_text("Provider 00")
    expect(page.locator("#current-level")).to_contain_text("Level 3")
    charts = page.locator(".app-chart__plot")
    expect(charts).to_have_count(5)
    charts.first.scroll_into_view_if_needed()  # each chart is drawn as it scrolls into view (issue 20)
    expect(charts.first.locator("svg.main-svg").first).to_be_visible()  # plotly drew it
    strip = page.locator("#area-strip")
    expect(strip.locator("tbody tr").first.locator("td").last).to_have_text("G")
    expect(page.locator("#action-plans ~ .nhsuk-card").first).to_contain_text("Finance recovery plan")
    page.get_by_role("link", name="Decision timeline").click()
    expect(page).to_have_url(re.compile(r"#timeline$"))
    first = page.locator(".app-chart").first
    first.locator("summary").click()
    expect(first.locator("table tbody tr")).to_have_count(6)
    screenshot(page, "provider-page")
    page.problems.assert_none()


def test_a_team_member_writes_the_highlight_report(estate, team_member, page, login, screenshot):
    login(page, team_member)
    page.goto("/providers/P00/")
    page.get_by_role("link", name="Highlight report, June 2026").click()
    expect(page.locator("h1")).to_have_text("Provider 00, June 2026")
    expect(page.locator("#exceptions ~ .app-table-wrapper").first).to_contain_text("Red")
    expect(page.get_by_role("button", name="Print this report")).to_be_visible()
    page.get_by_role("link", name="Write the commentary").click()
    expect(page.get_by_label("Commentary")).to_have_attribute("maxlength", "10000")  # the limit, before sending
    page.get_by_label("Commentary").fill("Patient experience fell after the ward closure; a deep dive is planned.")
    page.get_by_role("button", name="Save the commentary").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("has been saved")
    expect(page.locator("#commentary + .app-prose")).to_contain_text("a deep dive is planned")
    screenshot(page, "highlight-report")
    page.problems.assert_none()


def test_a_director_builds_a_pack_and_a_committee_member_downloads_it(
    estate, chief_executive, committee_member, page, login, screenshot, tmp_path
):
    login(page, chief_executive)
    page.get_by_role("link", name="Committee packs").first.click()
    page.get_by_role("link", name="Joint Committee").click()
    expect(page.locator("#packs tbody")).to_contain_text("No packs have been built for this committee yet.")
    page.get_by_label("Committee", exact=True).select_option("joint_committee")
    page.get_by_label("Month").select_option("2026-06")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.locator("h1")).to_have_text("Pack for June 2026")
    expect(page.locator("#pack-progress")).to_contain_text("Ready to download")
    screenshot(page, "1-pack-ready")
    page.get_by_role("button", name="Log out").click()

    login(page, committee_member, open_login_page=False)
    navigation = page.locator("nav.nhsuk-header__navigation a").all_inner_texts()
    assert [n.strip() for n in navigation if n.strip() not in ("More", "Browse More")] == [
        "Home",
        "Dashboard",
        "Committee packs",
    ]
    page.get_by_role("link", name="Committee packs").first.click()
    expect(page.locator("h1")).to_have_text("Joint Committee")
    expect(page.locator(".app-subnav")).to_have_count(0)  # the boards' packs are not theirs
    page.locator("#packs tbody a").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == "joint_committee-pack-2026-06.pdf" and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at (test-artifacts/)
        from tests.browser.conftest import ARTIFACTS

        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / "pack-page")], check=True)
    # Drafts and data entry stay hidden: the provider page and returns are refused.
    page.goto("/providers/P00/")
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    page.goto("/returns/")
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    page.goto("/dashboard/")
    expect(page.locator("#scorecard tbody th").first).not_to_have_attribute("href", re.compile(".*"))
    expect(page.locator("#scorecard a")).to_have_count(0)
    page.problems.assert_none()
