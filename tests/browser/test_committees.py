"""Committees as configuration (issue 18) in headless Chromium: an administrator adds a committee in the
product's own pages (a refused form first, with its messages), edits a default one, and the new
committee's pack is asked for by a director, built for its providers and sections, and read by the
role the committee names."""

import shutil
import subprocess

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """Two-factor sign-in is tested on its own (issue 15); these journeys are about committees."""
    settings.MFA_REQUIRED = False


def test_an_administrator_adds_a_committee_and_its_readers_get_its_pack(
    estate, administrator, chief_executive, committee_member, page, login, screenshot, tmp_path
):
    login(page, administrator)
    page.get_by_role("link", name="Committee packs").first.click()
    page.get_by_role("link", name="Committees, their sections and who reads their packs").click()
    expect(page.locator("h1")).to_have_text("Committees")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(6)
    expect(page.locator("table")).to_contain_text("Performance, Finance and Information Governance Committee")
    expect(page.locator("table")).to_contain_text("Providers at escalation level 3 and above")
    screenshot(page, "1-committees")

    page.get_by_role("link", name="Add a committee").click()
    page.get_by_role("button", name="Save").click()  # nothing filled in
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Select at least one section.")
    expect(summary).to_contain_text("Select at least one role that may read its packs.")
    screenshot(page, "2-refused")

    page.get_by_label("Code", exact=True).fill("audit")
    page.get_by_label("Name", exact=True).fill("Audit and Risk Committee")
    page.get_by_label("Quarterly", exact=True).check()
    page.get_by_label("Providers at escalation level 3 and above", exact=True).check()
    for section in ("Provider scorecard", "Level summary", "Corporate risks"):
        page.get_by_label(section, exact=True).check()
    for role in ("Director", "Joint Committee member"):
        page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Audit and Risk Committee has been added"
    )
    expect(rows).to_have_count(7)
    screenshot(page, "3-added")

    page.get_by_role("link", name="Edit Board").click()
    expect(page.get_by_label("Code", exact=True)).to_be_disabled()
    page.get_by_label("Monthly", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Board has been saved")
    expect(page.locator("table tbody tr", has_text="Board").first).to_contain_text("Monthly")
    page.problems.assert_none()
    page.get_by_role("button", name="Log out").click()

    login(page, chief_executive, open_login_page=False)
    page.get_by_role("link", name="Committee packs").first.click()
    page.locator(".app-subnav").get_by_role("link", name="Audit and Risk Committee").click()
    expect(page.locator("h1")).to_have_text("Audit and Risk Committee")
    expect(page.locator("main")).to_contain_text("It meets quarterly")
    page.get_by_label("Committee", exact=True).select_option("audit")
    page.get_by_label("Month").select_option("2026-06")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.locator("#pack-progress")).to_contain_text("Ready to download")
    screenshot(page, "4-pack-ready")
    page.get_by_role("button", name="Log out").click()

    login(page, committee_member, open_login_page=False)
    page.get_by_role("link", name="Committee packs").first.click()
    subnav = page.locator(".app-subnav")
    expect(subnav.get_by_role("link")).to_have_text(["Audit and Risk Committee", "Joint Committee"])
    subnav.get_by_role("link", name="Audit and Risk Committee").click()
    page.locator("#packs tbody a").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == "audit-pack-2026-06.pdf" and pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Provider scorecard" in text and "Corporate risks" in text and "Data completeness" not in text
    assert "Provider 00" in text and "Provider 02" not in text  # level 3 and above: Provider 00 only
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at (test-artifacts/)
        from tests.browser.conftest import ARTIFACTS

        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / "audit-pack-page")], check=True)
    page.problems.assert_none()
