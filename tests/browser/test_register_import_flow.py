"""In the browser (issue 16): the register import is checked in a background job, then saved
from its page; and a stale save of a contract's actuals is refused with what was typed kept."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.models import LineActual
from providers.models import Provider
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ServiceFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PROVIDERS = "code,name,sector,country,regulator,intervention_level\n7A1,Betsi,nhs_wales,wales,hiw,routine\n"
SHOTS = Path("/tmp/shots-H16c")


def keep(path):
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_the_register_import_is_checked_then_saved(administrator, page, login, screenshot):
    login(page, administrator)
    page.goto("/register/import/")
    expect(page.locator("input[name=dry_run]")).to_have_count(0)
    page.get_by_label("Providers (providers.csv)").check()
    page.locator("input[type=file]").set_input_files(
        {"name": "providers.csv", "mimeType": "text/csv", "buffer": PROVIDERS.encode()}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check these changes before they are saved")
    expect(page.locator("#import-result")).to_contain_text("1 row checked: 1 would be created")
    assert not Provider.objects.exists()
    keep(screenshot(page, "1-checked"))
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_url(lambda url: url.endswith("/providers/"))
    expect(page.locator("body")).to_contain_text("1 rows imported: 1 created")
    assert Provider.objects.get().code == "7A1"
    keep(screenshot(page, "2-saved"))
    page.problems.assert_none()


def test_a_stale_actuals_save_is_refused_and_keeps_what_was_typed(team_member, page, login, screenshot):
    contract = ContractFactory(reference="C-1", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    line = ContractLineFactory(contract=contract, service=ServiceFactory(code="CARD", name="Cardiology"))
    login(page, team_member)
    page.goto(f"/contracts/{contract.pk}/actuals/?year=2026")
    LineActual.objects.create(line=line, period=date(2026, 4, 1), activity=110, cost=Decimal("12500"))  # another
    page.get_by_label("Activity, Cardiology, April 2026").fill("90")
    page.get_by_label("Cost in pounds, Cardiology, April 2026").fill("9000")
    page.get_by_role("button", name="Save actuals").click()
    expect(page.locator("#stale")).to_contain_text("changed by someone else")
    expect(page.get_by_label("Activity, Cardiology, April 2026")).to_have_value("90")
    expect(page.locator("body")).to_contain_text("Saved now: 110 and £12500.00")
    assert LineActual.objects.get().activity == 110
    keep(screenshot(page, "stale"))
