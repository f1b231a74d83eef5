"""The provider page's SPC charts in headless Chromium (issue 20): drawn in the browser from the
page's compact series, each only as it scrolls into view, with the mean, process limits, target
and amber threshold named in the legend, and the data table still there as text."""

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots-h20")


def test_charts_are_drawn_as_they_scroll_into_view(estate, service_director, page, login, screenshot):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 700})
    login(page, service_director)
    page.goto("/providers/P00/")
    expect(page.locator("h1")).to_have_text("Provider 00")
    holders = page.locator("[data-spc]")
    expect(holders).to_have_count(5)
    last = holders.last
    # Below the fold, nothing is drawn yet: the charts wait for the reader to reach them.
    assert last.get_attribute("data-drawn") is None and last.locator("svg").count() == 0
    page.screenshot(path=str(SHOTS / "1-top.png"))

    last.scroll_into_view_if_needed()
    expect(last.locator("svg.main-svg").first).to_be_visible()
    expect(last).to_have_attribute("data-drawn", "true")
    legend = last.locator(".legendtext").all_text_contents()
    for name in ("Value", "Mean", "Upper process limit", "Lower process limit", "Target", "Amber threshold"):
        assert name in legend
    page.screenshot(path=str(SHOTS / "2-last-chart.png"))

    first = holders.first
    first.scroll_into_view_if_needed()
    expect(first.locator("svg.main-svg").first).to_be_visible()
    # The x axis names the months in the page's language, from the server's labels.
    assert any("2026" in tick for tick in first.locator(".xtick").all_text_contents())
    section = page.locator(".app-chart").first
    section.locator("summary").click()
    expect(section.locator("table tbody tr")).to_have_count(6)
    expect(section).to_contain_text("process limits")
    page.screenshot(path=str(SHOTS / "3-first-chart-and-table.png"), full_page=True)
    screenshot(page, "provider-charts")
    page.problems.assert_none()
