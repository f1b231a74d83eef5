"""Finance and activity against contract (METHODOLOGY 9), driven through headless Chromium.

What a commissioner relies on: from a contract they open its month-by-month grid, type a
month's activity and cost for each line, save, and then find the variance on the financial
position page, with the chart's figures as a table beside the chart.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.models import LineActual
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/shots-h19")


@pytest.fixture
def heart_contract(db):
    """A Cardiac contract (Alice's team) for 2026/27: cardiology 1,200 cases for £1.2m a year, TAVI 60 for £600,000."""
    contract = ContractFactory(
        reference="SLA-HEART-1",
        title="Heart services",
        provider=ProviderFactory(code="RHX", name="Riverside Heart Trust"),
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
    )
    ContractLineFactory(
        contract=contract,
        service=ServiceFactory(code="CARD", name="Cardiology"),
        planned_activity=1200,
        planned_cost=Decimal("1200000"),
    )
    ContractLineFactory(
        contract=contract,
        service=ServiceFactory(code="TAVI", name="TAVI"),
        planned_activity=60,
        planned_cost=Decimal("600000"),
    )
    return contract


def test_team_member_enters_actuals_and_finds_the_variance(team_member, heart_contract, page, login, screenshot):
    SHOTS.mkdir(exist_ok=True)
    login(page, team_member)
    page.goto(f"/contracts/{heart_contract.pk}/")
    page.get_by_role("link", name="Activity and cost against plan, month by month").click()
    expect(page).to_have_url(re.compile(rf"/contracts/{heart_contract.pk}/actuals/"))
    page.goto(f"/contracts/{heart_contract.pk}/actuals/?year=2026")
    expect(page.locator("h1")).to_have_text("Activity and cost, 2026/27")

    # April and May, as from the provider's monthly statement: cardiology over plan, TAVI on plan.
    for month, cardiology, tavi in (
        ("April 2026", ("110", "120000"), ("5", "50000")),
        ("May 2026", ("105", "130000"), ("5", "50000")),
    ):
        page.get_by_label(f"Activity, Cardiology, {month}").fill(cardiology[0])
        page.get_by_label(f"Cost in pounds, Cardiology, {month}").fill(cardiology[1])
        page.get_by_label(f"Activity, TAVI, {month}").fill(tavi[0])
        page.get_by_label(f"Cost in pounds, TAVI, {month}").fill(tavi[1])
    # A slip: June's activity typed without its cost.
    page.get_by_label("Activity, TAVI, June 2026").fill("4")
    page.get_by_role("button", name="Save actuals").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter both the activity and the cost for TAVI in June 2026, or neither.")
    screenshot(page, "1-grid-error")
    page.screenshot(path=str(SHOTS / "1-grid-error.png"), full_page=True)
    assert not LineActual.objects.exists()  # nothing saved

    page.get_by_label("Activity, TAVI, June 2026").fill("")
    page.get_by_role("button", name="Save actuals").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Saved the actuals for 4 line-months of SLA-HEART-1."
    )
    expect(page.locator("h2", has_text="Year to date at May 2026")).to_be_visible()
    screenshot(page, "2-grid-saved")
    page.screenshot(path=str(SHOTS / "2-grid-saved.png"), full_page=True)
    assert LineActual.objects.count() == 4

    # The financial position, from the header: YTD plan 2 x (100,000 + 50,000) = 300,000;
    # actual 350,000, so £50,000 (16.7%) over plan.
    page.locator("nav.nhsuk-header__navigation").get_by_role("link", name="Finance", exact=True).click()
    page.locator("#period").fill("2026-05")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("h1")).to_have_text("Financial position, May 2026")
    providers = page.locator("#finance-providers tbody tr")
    expect(providers.first).to_contain_text("Riverside Heart Trust")
    expect(providers.first).to_contain_text("£50,000.00 (16.7%)")
    expect(providers.first).to_contain_text("Over plan")
    # The chart is drawn, and its figures are there as text: cumulative plan and actual to May.
    expect(page.locator("[data-chart=estate-figure] .main-svg").first).to_be_visible()
    may = page.locator("#estate-series tbody tr", has_text="2026-05")
    expect(may).to_contain_text("300,000.00")
    expect(may).to_contain_text("350,000.00")
    screenshot(page, "3-financial-position")
    page.screenshot(path=str(SHOTS / "3-financial-position.png"), full_page=True)

    page.locator("#finance-contracts").get_by_role("link", name="Show chart").first.click()
    expect(page.locator("#contract-chart")).to_have_text("Cumulative cost for SLA-HEART-1")
    expect(page.locator("#contract-series tbody tr", has_text="2027-03")).to_contain_text("2,100,000.00")
    page.screenshot(path=str(SHOTS / "4-contract-chart.png"), full_page=True)
    page.problems.assert_none()
