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


def test_a_query_is_answered_and_closed_and_a_return_sent_back_is_resubmitted(
    team_member, service_director, entry, page, login, screenshot
):
    period, provider, catalogue = entry["period"], entry["provider"], entry["catalogue"]
    monthly_return = MonthlyReturn.objects.create(provider=provider, period=period, status="submitted")
    for indicator in catalogue.values():
        IndicatorValue.objects.create(monthly_return=monthly_return, indicator=indicator, value="95")
    IndicatorValue.objects.create(monthly_return=monthly_return, indicator=entry["judgement"], rag="G")
    path = f"/returns/{provider.code}/{format_period(period)}/"

    # The director queries a value, flagged for follow-up.
    login(page, service_director)
    page.goto(path)
    queries = page.locator("#queries")
    queries.get_by_label("Indicator").select_option(label=catalogue["access"].name)
    queries.get_by_label("Your question").fill("95% again: is this month's figure in yet?")
    queries.get_by_role("button", name="Send the query").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("sent to the team")
    expect(page.locator(".app-query")).to_contain_text("Follow up")
    page.context.clear_cookies()

    # The team member finds it in their work queue, answers and closes it.
    login(page, team_member)
    page.goto("/")
    page.locator("#queue-queried").get_by_role("link").first.click()
    query = page.locator(".app-query").first
    query.get_by_label("Your reply").fill("Yes: validated against the PTL on Monday.")
    query.get_by_role("button", name="Reply").click()
    query = page.locator(".app-query").first
    expect(query).to_contain_text("Yes: validated against the PTL on Monday.")
    query.get_by_role("button", name="Close the query").click()
    expect(page.locator(".app-query").first).to_contain_text("Closed by")
    screenshot(page, "query-closed")
    page.context.clear_cookies()

    # The director sends the return back with a reason ...
    login(page, service_director)
    page.goto(path)
    page.get_by_label("Reason").fill("The Access figures are August's.")
    page.get_by_role("button", name="Send back to draft").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("sent back to the team")
    page.context.clear_cookies()

    # ... and the team member sees why, corrects it and submits it again.
    login(page, team_member)
    page.goto(path)
    expect(page.locator("#sent-back")).to_contain_text("The Access figures are August's.")
    screenshot(page, "sent-back")
    page.locator(f"#id_i{catalogue['access'].pk}-value").fill("93")
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("has been submitted")
    monthly_return.refresh_from_db()
    assert monthly_return.status == "submitted"
    assert monthly_return.values.get(indicator=catalogue["access"]).value == 93
    page.problems.assert_none()


def test_a_team_enters_one_area_for_all_its_providers_in_the_grid(team_member, entry, page, login, screenshot):
    period, catalogue = entry["period"], entry["catalogue"]
    second = ContractFactory(
        provider__code="7A6",
        provider__name="Aneurin Bevan University Health Board",
        start_date=date(period.year - 2, 4, 1),
        end_date=date(period.year + 2, 3, 31),
    ).provider
    login(page, team_member)
    page.goto(f"/returns/?period={format_period(period)}")
    page.locator("#team-grids").get_by_role("link", name="Cardiac grid").click()
    expect(page.locator("h1")).to_have_text("Access: every provider at once")
    first = page.get_by_label(f"{catalogue['access'].name}: Aneurin Bevan University Health Board")
    first.focus()
    page.keyboard.type("91")
    page.keyboard.press("Enter")
    expect(page.get_by_label(f"{catalogue['access'].name}: {entry['provider'].name}")).to_be_focused()
    page.keyboard.type("92")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Save all as drafts")).to_be_focused()
    screenshot(page, "grid")
    page.keyboard.press("Enter")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("2 values saved")
    values = dict(
        IndicatorValue.objects.filter(monthly_return__period=period).values_list("monthly_return__provider", "value")
    )
    assert values == {second.pk: 91, entry["provider"].pk: 92}
    page.problems.assert_none()
