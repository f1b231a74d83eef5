"""Monthly collection by keyboard and on a phone (issue 17).

What a team member relies on: the return is in key-area sections listed at the top, a save
bar stays in view with how much is done, Enter moves to the next value, values and months
read as words and units, and the page fits a 390 px phone without scrolling sideways.
"""

from datetime import date

import pytest
from django.utils import timezone

from assurance.models import IndicatorValue, MonthlyReturn
from providers.periods import format_period, shift
from tests.assurance.factories import JudgementIndicatorFactory
from tests.contracts.factories import ContractFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def entry(db, catalogue):
    """A cardiac provider (Alice's team) with one % indicator per key area and a judgement one;
    last month's return gave 95 for each, so the history strip has something to show."""
    period = shift(timezone.localdate().replace(day=1), -1)
    contract = ContractFactory(
        provider__code="7A4",
        provider__name="Cardiff and Vale University Health Board",
        start_date=date(period.year - 2, 4, 1),
        end_date=date(period.year + 2, 3, 31),
    )
    judgement = JudgementIndicatorFactory(code="leadership", name="Changes to leadership")
    previous = MonthlyReturn.objects.create(provider=contract.provider, period=shift(period, -1), status="submitted")
    for indicator in catalogue.values():
        IndicatorValue.objects.create(monthly_return=previous, indicator=indicator, value="95.0000")
    return {"period": period, "provider": contract.provider, "catalogue": catalogue, "judgement": judgement}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_return_is_entered_by_keyboard_in_sections_with_progress(team_member, entry, page, login, screenshot):
    period, provider, catalogue = entry["period"], entry["provider"], entry["catalogue"]
    login(page, team_member)
    page.goto(f"/returns/{provider.code}/{format_period(period)}/")
    month = period.strftime("%B %Y")
    expect(page).to_have_title(f"Return for {provider.name}, {month} – Provider assurance")

    # The contents list names each key area, with how many of its indicators are complete.
    contents = page.locator("nav.app-contents li")
    expect(contents).to_have_count(5)
    expect(contents.first).to_contain_text("Access")
    expect(contents.first).to_contain_text("0 of 1")
    page.locator("nav.app-contents").get_by_role("link", name="Governance").click()
    expect(page.locator("#area-governance")).to_be_in_viewport()
    progress = page.locator("#progress")
    expect(progress).to_have_text("0 of 6 complete")

    # History headers are months in words; last month's value reads 95%, not 95.0000.
    access = page.locator(f"#i{catalogue['access'].pk}")
    expect(access.locator("th abbr").last).to_have_attribute("title", shift(period, -1).strftime("%B %Y"))
    expect(access.locator(".app-history-strip td").last).to_have_text("95%")
    expect(access.locator(".nhsuk-hint")).to_contain_text("target 95%")

    # Enter moves on to the next value; the last value's Enter reaches the save button.
    inputs = [page.locator(f"#id_i{catalogue[area].pk}-value") for area in catalogue]
    inputs[0].focus()
    for n, field in enumerate(inputs):
        expect(field).to_be_focused()
        page.keyboard.type(str(90 + n))
        page.keyboard.press("Enter")
    expect(page.locator(f"#id_i{entry['judgement'].pk}-rag")).to_be_focused()
    expect(progress).to_have_text("5 of 6 complete")
    expect(page.locator("[data-area-progress=access]")).to_have_text("1 of 1")
    page.locator(f"#id_i{entry['judgement'].pk}-rag").select_option("G")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Save as draft")).to_be_focused()
    expect(progress).to_have_text("6 of 6 complete")
    expect(page.locator("#save-bar")).to_be_in_viewport()
    screenshot(page, "filled")
    page.keyboard.press("Enter")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("saved as a draft")
    saved = MonthlyReturn.objects.get(provider=provider, period=period)
    assert saved.values.get(indicator=catalogue["access"]).value == 90
    page.problems.assert_none()


@pytest.mark.parametrize("width", [390, 1024])
def test_the_return_page_fits_the_screen_without_sideways_scrolling(team_member, entry, page, login, screenshot, width):
    page.set_viewport_size({"width": width, "height": 844})
    login(page, team_member)
    page.goto(f"/returns/{entry['provider'].code}/{format_period(entry['period'])}/")
    expect(page.locator("#save-bar")).to_be_in_viewport()
    assert no_sideways_scroll(page), "The return page scrolls sideways"
    screenshot(page, f"return-{width}")


def test_no_page_asks_another_host_for_anything(team_member, entry, page, login):
    """Fonts, scripts and styles are our own files: on a network that blocks outside hosts the
    first page does not wait (the recorder in conftest.py fails on any request to another host)."""
    page.goto("/login/")
    login(page, team_member, open_login_page=False)
    for path in [
        "/",
        "/returns/",
        f"/returns/{entry['provider'].code}/{format_period(entry['period'])}/",
        "/providers/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # Text is drawn in a font on the machine (Frutiger where installed, else Arial), never fetched.
    assert page.evaluate("document.fonts.status") == "loaded"
    assert page.problems.outside == []
    page.problems.assert_none()
