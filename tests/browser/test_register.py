"""The contract and provider registers, driven through headless Chromium.

What a user relies on: they can log in, find the register from the header, add a
contract with its lines and find it again with the filters; a mistake in the form is
explained without losing what they typed; people without access are told so; and the
provider list filters work in a real browser (with the page's JavaScript running).
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.models import Contract
from providers.models import CommissioningTeam
from tests.browser.dates import fill_date
from tests.contracts.factories import ContractFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional DB; serialized_rollback restores the roles and
    # teams made by data migrations (and conftest.py restores them again after the flush).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

END_BEFORE_START = "The end date must be on or after the start date."


def header_nav(page):
    return page.locator("nav.nhsuk-header__navigation")


def summary_value(page, key):
    """The value beside `key` in the page's NHS.UK summary list."""
    row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=re.compile(rf"^{re.escape(key)}$"))
    )
    return row.locator(".nhsuk-summary-list__value")


def table_rows(page):
    return page.locator("table.nhsuk-table tbody tr")


def fill_contract(page, values):
    """Fill the contract form like a user: text typed, options picked by their label."""
    page.locator("#id_reference").fill(values["reference"])
    page.locator("#id_provider").select_option(label=values["provider"])
    page.locator("#id_title").fill(values["title"])
    page.locator("#id_contract_type").select_option(values["contract_type"])
    page.locator("#id_status").select_option(values["status"])
    page.locator("#id_commissioning_team").select_option(label=values["team"])
    page.locator("#id_annual_value").fill(values["annual_value"])
    page.locator("#id_total_value").fill(values["total_value"])
    fill_date(page, "id_start_date", values["start_date"])
    fill_date(page, "id_end_date", values["end_date"])
    fill_date(page, "id_renewal_date", values["renewal_date"])
    if values["strategic"]:
        page.get_by_label("Of strategic importance").check()
    page.locator("#id_service_area").fill(values["service_area"])
    page.locator("#id_service_description").fill(values["service_description"])
    page.locator("#id_operational_lead").fill(values["operational_lead"])
    page.locator("#id_contractual_lead").fill(values["contractual_lead"])
    page.locator("#id_lines-0-service").select_option(label=values["line_service"])
    page.locator("#id_lines-0-planned_activity").fill(values["line_activity"])
    page.locator("#id_lines-0-planned_cost").fill(values["line_cost"])


@pytest.fixture
def register_data(db):
    """A provider and a service to contract for, and two contracts that must not match."""
    provider = ProviderFactory(
        code="7A4",
        name="Cardiff and Vale University Health Board",
        sector="nhs_wales",
        country="wales",
        regulator="hiw",
    )
    service = ServiceFactory(code="adult_cardiac_surgery", name="Adult cardiac surgery")
    # Matches the search text but belongs to another team: the team filter must drop it.
    other_team = ContractFactory(
        reference="NEURO-0001",
        title="Paediatric cardiac surgery outreach",
        commissioning_team=CommissioningTeam.objects.get(code="neurosciences"),
    )
    # Same team, but does not match the search text: the search must drop it.
    other_text = ContractFactory(reference="CARD-0002", title="Heart failure nursing")
    return {"provider": provider, "service": service, "other_team": other_team, "other_text": other_text}


NEW_CONTRACT = {
    "reference": "CARD-2025-001",
    "provider": "Cardiff and Vale University Health Board (7A4)",
    "title": "Adult cardiac surgery SLA",
    "contract_type": "sla",
    "status": "active",
    "team": "Cardiac",
    "annual_value": "12500000",
    "total_value": "37500000",
    "start_date": "2025-04-01",
    "end_date": "2028-03-31",
    "renewal_date": "2027-09-30",
    "strategic": True,
    "service_area": "Specialised cardiac services",
    "service_description": "Adult cardiac surgery for residents of south Wales.",
    "operational_lead": "Gwen Morgan",
    "contractual_lead": "Rhys Evans",
    "line_service": "Adult cardiac surgery",
    "line_activity": "420",
    "line_cost": "9800000",
}


def test_administrator_adds_a_contract_and_finds_it_with_the_filters(
    administrator, register_data, page, login, screenshot
):
    # Signed-out users are sent to the real login page, and back to the register after.
    page.goto("/contracts/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/contracts/"))
    login(page, administrator, open_login_page=False)
    expect(page).to_have_url(re.compile(r"/contracts/$"))  # back where they were going
    expect(page.locator("h1")).to_have_text("Contract register")

    # Open the register from the header navigation, as a user would from anywhere.
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Welcome")
    header_nav(page).get_by_role("link", name="Contracts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/contracts/$"))
    expect(page.locator("h1")).to_have_text("Contract register")
    expect(header_nav(page).locator("[aria-current=page]")).to_have_text("Contracts")

    page.get_by_role("link", name="Add a contract").click()
    expect(page).to_have_url(re.compile(r"/contracts/new/$"))
    expect(page.locator("h1")).to_have_text("Add a contract")

    fill_contract(page, NEW_CONTRACT)
    screenshot(page, "1-filled-form")
    page.get_by_role("button", name="Save").click()

    # The detail page, with the success banner.
    expect(page).to_have_url(re.compile(r"/contracts/\d+/$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("CARD-2025-001: Adult cardiac surgery SLA has been saved.")
    expect(page.locator("h1")).to_have_text("Adult cardiac surgery SLA")
    for key, value in {
        "Provider": "Cardiff and Vale University Health Board (7A4)",
        "Type of contract": "Service Level Agreement",
        "Commissioning team": "Cardiac",
        "Annual value": "£12,500,000.00",
        "Total value including extensions": "£37,500,000.00",
        "Value tier": "Tier 1 (of strategic importance)",
        "Runs": "1 April 2025 to 31 March 2028 (36 months)",
        "Due for renewal": "30 September 2027",
        "Service area": "Specialised cardiac services",
        "Service description": "Adult cardiac surgery for residents of south Wales.",
        "Operational lead": "Gwen Morgan",
        "Contractual lead": "Rhys Evans",
        "Overall risk rating (level of assurance)": "Not yet assessed",
    }.items():
        expect(summary_value(page, key)).to_contain_text(value)
    lines = page.locator("table.nhsuk-table").first
    expect(lines.locator("tbody tr")).to_have_count(1)
    expect(lines.locator("tbody tr")).to_contain_text("Adult cardiac surgery")
    expect(lines.locator("tbody tr")).to_contain_text("420")
    expect(lines.locator("tbody tr")).to_contain_text("£9,800,000")
    screenshot(page, "2-detail")

    # What was saved is what was typed.
    contract = Contract.objects.get(reference="CARD-2025-001")
    assert page.url.endswith(f"/contracts/{contract.pk}/")
    assert contract.provider == register_data["provider"]
    assert contract.commissioning_team.code == "cardiac"
    assert contract.annual_value == Decimal("12500000")
    assert contract.total_value == Decimal("37500000")
    assert str(contract.start_date) == "2025-04-01"
    assert str(contract.end_date) == "2028-03-31"
    assert str(contract.renewal_date) == "2027-09-30"
    assert contract.strategic_importance is True
    assert contract.risk_rating is None  # set from the provider's escalation level, not by hand
    assert contract.service_description == "Adult cardiac surgery for residents of south Wales."
    line = contract.lines.get()
    assert (line.service, line.planned_activity, line.planned_cost) == (
        register_data["service"],
        420,
        Decimal("9800000"),
    )

    # Back to the register: all three contracts are listed before filtering.
    header_nav(page).get_by_role("link", name="Contracts", exact=True).click()
    expect(page.locator("h1")).to_have_text("Contract register")
    expect(page.locator(".nhsuk-notification-banner")).to_have_count(0)  # shown once only
    expect(table_rows(page)).to_have_count(3)

    # Filter by team and search text.
    page.locator("#id_q").fill("cardiac surgery")
    page.locator("#id_commissioning_team").select_option(label="Cardiac")
    page.get_by_role("button", name="Apply filters").click()
    cardiac = CommissioningTeam.objects.get(code="cardiac")
    expect(page).to_have_url(re.compile(rf"[?&]commissioning_team={cardiac.pk}(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]q=cardiac\+surgery(&|$)"))

    rows = table_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CARD-2025-001")
    expect(rows.first).to_contain_text("Adult cardiac surgery SLA")
    expect(rows.first).to_contain_text("Cardiff and Vale University Health Board")
    expect(rows.first).to_contain_text("£12,500,000")
    expect(page.locator("table.nhsuk-table")).not_to_contain_text("NEURO-0001")  # other team
    expect(page.locator("table.nhsuk-table")).not_to_contain_text("CARD-0002")  # other text
    expect(page.locator("#contract-totals")).to_contain_text("1 contract:")
    expect(page.locator("#contract-totals")).to_contain_text("£12,500,000")
    # The form keeps the filters, so the user can see what the list shows.
    expect(page.locator("#id_q")).to_have_value("cardiac surgery")
    expect(page.locator("#id_commissioning_team")).to_have_value(str(cardiac.pk))
    # The reference links to the contract.
    expect(rows.first.get_by_role("link", name="CARD-2025-001")).to_have_attribute("href", f"/contracts/{contract.pk}/")
    screenshot(page, "3-filtered-list")

    # "Download as CSV" downloads what the user sees: the filtered list.
    csv_link = page.get_by_role("link", name="Download as CSV")
    href = csv_link.get_attribute("href")
    assert "export=csv" in href and "q=cardiac+surgery" in href
    assert f"commissioning_team={cardiac.pk}" in href
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    assert re.fullmatch(r"contract-register-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    csv_text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "CARD-2025-001" in csv_text
    assert "NEURO-0001" not in csv_text and "CARD-0002" not in csv_text
    page.problems.assert_none()


def test_a_form_error_keeps_what_the_user_typed_and_links_to_the_field(
    administrator, register_data, page, login, screenshot
):
    login(page, administrator)
    page.goto("/contracts/new/")
    typed = dict(NEW_CONTRACT, start_date="2026-04-01", end_date="2025-03-31", renewal_date="2026-10-01")
    fill_contract(page, typed)
    page.get_by_role("button", name="Save").click()

    # The same page again, with the NHS.UK error summary and the inline message.
    expect(page).to_have_url(re.compile(r"/contracts/new/$"))
    expect(page.locator("h1")).to_have_text("Add a contract")
    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary.locator("h2")).to_have_text("There is a problem")
    summary_link = error_summary.get_by_role("link", name=END_BEFORE_START)
    expect(summary_link).to_have_attribute("href", "#id_end_date_day")  # NHS.UK date input: its day box
    end_date_group = page.locator("#div_id_end_date")
    expect(end_date_group).to_have_class(re.compile(r"nhsuk-form-group--error"))
    expect(end_date_group.locator(".nhsuk-error-message")).to_contain_text(END_BEFORE_START)
    expect(page.locator("#id_end_date")).to_have_attribute("aria-describedby", re.compile(r"\bid_end_date-error\b"))
    # Only the end date is wrong: no other field is marked.
    expect(page.locator(".nhsuk-error-message")).to_have_count(1)
    # The NHS.UK frontend moves focus to the summary so screen readers announce it.
    expect(error_summary).to_be_focused()
    screenshot(page, "1-error")

    # Nothing the user typed is lost.
    for field, value in [
        ("id_reference", typed["reference"]),
        ("id_title", typed["title"]),
        ("id_contract_type", "sla"),
        ("id_status", "active"),
        ("id_annual_value", "12500000"),
        ("id_total_value", "37500000"),
        ("id_service_area", typed["service_area"]),
        ("id_service_description", typed["service_description"]),
        ("id_operational_lead", typed["operational_lead"]),
        ("id_contractual_lead", typed["contractual_lead"]),
        ("id_lines-0-planned_activity", "420"),
        ("id_lines-0-planned_cost", "9800000"),
    ]:
        expect(page.locator(f"#{field}")).to_have_value(value)
    expect(page.locator("#id_provider")).to_have_value(str(register_data["provider"].pk))
    expect(page.locator("#id_commissioning_team")).to_have_value(str(CommissioningTeam.objects.get(code="cardiac").pk))
    expect(page.locator("#id_lines-0-service")).to_have_value(str(register_data["service"].pk))
    expect(page.get_by_label("Of strategic importance")).to_be_checked()
    for field, (year, month, day) in [  # NHS.UK date inputs: day, month and year boxes, as typed
        ("id_start_date", ("2026", "4", "1")),
        ("id_end_date", ("2025", "3", "31")),
        ("id_renewal_date", ("2026", "10", "1")),
    ]:
        expect(page.locator(f"#{field}_day")).to_have_value(day)
        expect(page.locator(f"#{field}_month")).to_have_value(month)
        expect(page.locator(f"#{field}_year")).to_have_value(year)

    # The summary's link takes the user (and keyboard focus) to the field.
    summary_link.click()
    expect(page.locator("#id_end_date_day")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_end_date_day"

    assert not Contract.objects.filter(reference=typed["reference"]).exists()
    page.problems.assert_none()


def test_committee_member_is_refused_the_contract_register(committee_member, page, login, screenshot):
    contract = ContractFactory(reference="CARD-0009", title="Confidential cardiac contract")
    login(page, committee_member)
    nav_links = header_nav(page).locator("a.nhsuk-header__navigation-link")
    expect(nav_links).to_have_text(["Home", "Dashboard", "Committee packs"])  # the scorecard and packs...
    expect(header_nav(page)).not_to_contain_text("Contracts")  # ...without the register

    response = page.goto("/contracts/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    expect(page).to_have_title(re.compile(r"^You do not have access to this page"))
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    expect(page.locator("table")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("CARD-0009")
    expect(header_nav(page)).not_to_contain_text("Contracts")
    screenshot(page, "1-forbidden")

    # Nor can they reach a contract, the add form or an export by typing the address.
    for url in [f"/contracts/{contract.pk}/", "/contracts/new/", "/contracts/?export=csv"]:
        response = page.goto(url)
        assert response.status == 403, url
        expect(page.locator("h1")).to_have_text("You do not have access to this page")
        expect(page.locator("main")).not_to_contain_text("Confidential cardiac contract")
    page.problems.assert_none()


def test_provider_list_filters_by_sector(team_member, page, login, screenshot):
    ProviderFactory(
        code="7A6", name="Aneurin Bevan University Health Board", sector="nhs_wales", country="wales", regulator="hiw"
    )
    ProviderFactory(code="NT4", name="Spire Cardiff Hospital", sector="independent", country="wales", regulator="hiw")
    login(page, team_member)
    header_nav(page).get_by_role("link", name="Providers", exact=True).click()
    expect(page.locator("h1")).to_have_text("Providers")
    expect(table_rows(page)).to_have_count(2)

    page.locator("#id_sector").select_option(label="NHS Wales")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]sector=nhs_wales(&|$)"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text("Aneurin Bevan University Health Board")
    expect(table_rows(page).first).to_contain_text("NHS Wales")
    expect(page.locator("table.nhsuk-table")).not_to_contain_text("Spire Cardiff Hospital")
    expect(page.locator("#id_sector")).to_have_value("nhs_wales")
    screenshot(page, "1-nhs-wales")

    page.locator("#id_sector").select_option(label="Independent")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]sector=independent(&|$)"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text("Spire Cardiff Hospital")
    expect(page.locator("table.nhsuk-table")).not_to_contain_text("Aneurin Bevan")

    # A sector with no providers says so rather than showing an empty table.
    page.locator("#id_sector").select_option(label="Local authority")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]sector=local_authority(&|$)"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_have_text("No providers match these filters.")
    page.problems.assert_none()
