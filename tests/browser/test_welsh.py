"""A Welsh-speaking user does each role's job in Welsh, in headless Chromium.

The switcher in the header changes the language and the choice is remembered (on another
computer too, once signed in); a team member submits a return, a director overrides an
area and asks for a committee pack in Welsh, a Joint Committee member downloads it, and an
administrator adds a provider, all without an English word of ours on the way.
"""

import re

import pytest
from django.utils import translation

from providers.models import Provider
from reporting.models import Committee, CommitteePack

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def cy(text, **values):
    with translation.override("cy"):
        welsh = translation.gettext(text)
    assert welsh != text or not re.search("[a-z]", text), f"No Welsh for {text!r}"
    return welsh % values if values else welsh


def switch_to_welsh(page):
    page.get_by_role("button", name=re.compile("Cymraeg")).click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_the_switcher_changes_the_language_and_it_is_remembered(
    estate, team_member, page, login, chromium, live_server, screenshot
):
    login(page, team_member)
    page.goto("/dashboard/")
    switch_to_welsh(page)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # the same page, now in Welsh
    expect(page.locator("h1")).to_contain_text(cy("Provider scorecard, %(month)s", month="Mehefin 2026"))
    expect(page.locator("#scorecard thead")).to_contain_text(cy("Quality and safety"))
    expect(page.locator("#scorecard tbody td .nhsuk-tag").first).to_have_text(
        re.compile("|".join([cy("Green"), cy("Amber"), cy("Red"), cy("Level %(n)s", n=r"\d")]))
    )
    screenshot(page, "dashboard-welsh")
    page.get_by_role("link", name=cy("Returns"), exact=True).first.click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")  # still Welsh on the next page
    page.problems.assert_none()

    # Another computer: a fresh browser with no cookies; signing in brings the choice back.
    other = chromium.new_context(base_url=live_server.url)
    try:
        fresh = other.new_page()
        fresh.goto("/login/")
        expect(fresh.locator("html")).to_have_attribute("lang", "en-gb")
        login(fresh, team_member, open_login_page=False)
        expect(fresh.locator("html")).to_have_attribute("lang", "cy")
        # And back to English with the same switcher.
        fresh.get_by_role("button", name=re.compile("English")).click()
        expect(fresh.locator("html")).to_have_attribute("lang", "en-gb")
    finally:
        other.close()


def test_a_team_member_submits_a_return_in_welsh(estate, team_member, catalogue, page, login, screenshot):
    login(page, team_member)
    switch_to_welsh(page)
    page.goto("/returns/P00/2026-06/")
    indicator = catalogue["quality_safety"]
    value = page.locator(f"#id_i{indicator.pk}-value")
    value.fill("150")
    page.get_by_role("button", name=cy("Submit return")).click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.locator("h2")).to_have_text(cy("There is a problem"))
    expect(summary).to_contain_text(cy("A percentage must be between 0 and 100."))
    screenshot(page, "return-errors-welsh")
    expect(value).to_have_value("150")  # nothing typed is lost
    # The estate reported 96 every month, so 97 and the other areas' values are outliers:
    # the check asks for a note confirming each (in Welsh), and the return is then accepted.
    value.fill("96")
    page.get_by_role("button", name=cy("Submit return")).click()
    notes = page.locator(".app-result--error textarea")
    for n in range(notes.count()):
        notes.nth(n).fill("Wedi'i wirio gyda'r darparwr.")
    page.get_by_role("button", name=cy("Submit return")).click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    expect(page.locator(".nhsuk-notification-banner--success h2")).to_have_text(cy("Success"))
    page.problems.assert_none()


def test_a_director_builds_a_welsh_pack_that_a_committee_member_downloads(
    estate, chief_executive, committee_member, page, login, screenshot, chromium, live_server
):
    login(page, chief_executive)
    switch_to_welsh(page)
    page.get_by_role("link", name=cy("Committee packs"), exact=True).first.click()
    page.locator("#id_committee").select_option("joint_committee")
    page.locator("#id_period").select_option("2026-06")
    expect(page.locator("input[name=language][value=cy]")).to_be_checked()  # the page's language by default
    page.get_by_role("button", name=cy("Build the pack")).click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(cy("Ready"), timeout=60_000)
    pack = CommitteePack.objects.get()
    assert (pack.language, pack.status) == ("cy", "ready")
    page.get_by_role("button", name=cy("Log out")).click()

    login(page, committee_member, button=cy("Log in"))
    page.goto("/packs/")
    joint_committee = Committee.objects.get(code="joint_committee")
    assert joint_committee.name_cy  # committees are configuration with their own Welsh names
    expect(page.locator("h1")).to_contain_text(joint_committee.name_cy)
    with page.expect_download() as download:
        page.locator("main table a").filter(has_text="PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.problems.assert_none()


def test_an_administrator_adds_a_provider_in_welsh(administrator, page, login):
    login(page, administrator)
    switch_to_welsh(page)
    page.goto("/providers/new/")
    page.get_by_role("button", name=cy("Save")).click()
    expect(page.locator(".nhsuk-error-summary h2")).to_have_text(cy("There is a problem"))
    page.locator("#id_code").fill("7A9")
    page.locator("#id_name").fill("Bwrdd Iechyd Prifysgol Enghreifftiol")
    page.locator("#id_sector").select_option("nhs_wales")
    page.locator("#id_country").select_option("wales")
    page.get_by_role("button", name=cy("Save")).click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    assert Provider.objects.filter(code="7A9").exists()
    page.problems.assert_none()
