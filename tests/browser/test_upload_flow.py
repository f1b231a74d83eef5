"""Uploading returns in the browser (issues 16 and 17): the file is checked in a background job
whose page follows it, the person sees what would change, then saves it without choosing the
file again; a hostile workbook is refused with a reason and the site keeps answering."""

import pytest

from assurance import uploads
from assurance.models import IndicatorValue, UploadJob
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory
from tests.assurance.test_upload_jobs import zip_bomb
from tests.contracts.factories import ContractFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


@pytest.fixture
def estate(db):
    ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale")
    IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    JudgementIndicatorFactory(code="leadership", name="Changes to leadership")


def choose_file(page, name, data):
    page.get_by_label("Monthly returns (returns.csv)").check()
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Upload", exact=True).click()


def test_an_upload_is_checked_first_then_saved_without_choosing_it_again(team_member, estate, page, login, screenshot):
    login(page, team_member)
    page.goto("/returns/upload/")
    expect(page.locator("input[name=dry_run]")).to_have_count(0)
    screenshot(page, "1-upload-page")
    choose_file(page, "returns.csv", (HEADER + "7A4,rtt,2026-09,95,,,\n7A4,leadership,2026-09,,,,\n").encode())

    expect(page.get_by_role("heading", level=1)).to_have_text("Check these changes before they are saved")
    expect(page.locator("#import-result")).to_contain_text("1 row checked: 1 would be created")
    expect(page.locator("#import-result")).to_contain_text("1 row with nothing filled in was skipped")
    assert not IndicatorValue.objects.exists()
    screenshot(page, "2-checked")

    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_url(lambda url: "/returns/" in url and "upload" not in url)
    expect(page.locator("body")).to_contain_text("1 rows imported: 1 created")
    assert IndicatorValue.objects.get().value == 95
    screenshot(page, "3-saved")
    page.problems.assert_none()


def test_the_job_page_follows_a_queued_check_and_shows_the_outcome(team_member, estate, page, login, screenshot):
    job = UploadJob.objects.create(
        requested_by=team_member,
        kind="returns",
        filename="returns.csv",
        data=(HEADER + "7A4,rtt,2026-09,101,,,\n").encode(),
    )  # queued, as it waits for a worker
    login(page, team_member)
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking your file")
    expect(page.locator("#upload-progress-text")).to_have_text("Waiting to start.")
    screenshot(page, "1-queued")
    uploads.upload_run(job.pk)  # the worker's turn: the page sees it finish and reloads
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file was not saved")
    expect(page.locator("body")).to_contain_text("A percentage must be between 0 and 100.")
    screenshot(page, "2-refused")
    page.problems.assert_none()


def test_a_zip_bomb_is_refused_with_a_reason_and_the_site_keeps_answering(team_member, estate, page, login, screenshot):
    login(page, team_member)
    page.goto("/returns/upload/")
    page.get_by_label("Monthly returns (returns.csv)").check()
    page.locator("input[type=file]").set_input_files(
        {
            "name": "returns.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": zip_bomb(rows=200_000, columns=10),
        }
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file was not saved")
    expect(page.locator("#import-errors")).to_contain_text("more than 1,000,000 cells")
    screenshot(page, "refused")
    page.goto("/returns/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.problems.assert_none()


def test_a_value_outside_its_usual_range_is_confirmed_once_before_saving(team_member, estate, page, login, screenshot):
    from datetime import date
    from decimal import Decimal

    from assurance.models import Indicator, MonthlyReturn
    from providers.models import Provider

    provider, rtt = Provider.objects.get(code="7A4"), Indicator.objects.get(code="rtt")
    for month in range(1, 9):
        monthly_return = MonthlyReturn.objects.create(
            provider=provider, period=date(2026, month, 1), status="submitted"
        )
        IndicatorValue.objects.create(monthly_return=monthly_return, indicator=rtt, value=Decimal(94 + month % 2))
    login(page, team_member)
    page.goto("/returns/upload/")
    choose_file(page, "returns.csv", (HEADER + "7A4,rtt,2026-09,60,,,\n").encode())
    expect(page.locator("#flagged-rows")).to_contain_text("91.8 to 97.2")
    screenshot(page, "1-flagged")
    page.get_by_label("I have checked these values and they are right").check()
    page.get_by_label("Confirming note").fill("Checked with the provider: theatre closure")
    page.get_by_role("button", name="Confirm and save these changes").click()
    page.wait_for_url(lambda url: "upload" not in url)
    expect(page.locator("body")).to_contain_text("1 rows imported: 1 created")
    assert IndicatorValue.objects.get(monthly_return__period=date(2026, 9, 1)).note.startswith("Checked with")
    page.problems.assert_none()
