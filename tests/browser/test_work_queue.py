"""The home page is each person's work queue (issue 17), driven through headless Chromium.

Each role signs in and finds what is waiting for them, counted, each item a link that opens
the page where the job is done (never a page that refuses them), and an empty state otherwise.
"""

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from assurance.models import AreaRating
from escalation.models import ProviderEscalation, StepDownProposal
from providers.periods import shift
from tests.contracts.factories import ContractFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def waiting(db, catalogue):
    """A cardiac provider whose last month's return is not in, at level 2 with a step-down
    pending (the Service Director's), Red for Access with no action plan, and its contract due
    for renewal within six months."""
    today = timezone.localdate()
    provider = ContractFactory(
        provider__code="7A4",
        provider__name="Cardiff and Vale University Health Board",
        start_date=date(today.year - 2, 4, 1),
        end_date=today.replace(day=1) + (date(2001, 4, 1) - date(2001, 1, 1)),  # about three months on
    ).provider
    ProviderEscalation.objects.create(provider=provider, level=2, since=datetime(2026, 1, 1, tzinfo=UTC))
    StepDownProposal.objects.create(
        provider=provider,
        period=shift(today.replace(day=1), -1),
        from_level=2,
        proposed_level=1,
        raised_at=timezone.now(),
    )
    AreaRating.objects.create(provider=provider, period=shift(today.replace(day=1), -1), area="access", rag="R")
    return provider


def section(page, key):
    return page.locator(f"#queue-{key}")


def test_each_role_finds_its_work_waiting_on_the_home_page(
    team_member, service_director, committee_member, administrator, waiting, page, login, screenshot
):
    # A team member: the provider's return to do, which opens for entry.
    login(page, team_member)
    page.goto("/")
    returns = section(page, "due").or_(section(page, "overdue")).filter(has_text=waiting.name).first
    expect(returns).to_be_visible()
    expect(section(page, "queried")).to_contain_text("No value in your returns has been queried.")
    screenshot(page, "team-member")
    returns.get_by_role("link", name=waiting.name).first.click()
    expect(page.locator("h1")).to_have_text(waiting.name)
    expect(page.get_by_role("button", name="Save as draft")).to_be_visible()
    page.context.clear_cookies()

    # The Service Director: the step-down awaiting their decision, and a Red area with no plan.
    login(page, service_director)
    page.goto("/")
    expect(section(page, "step_downs").locator(".app-queue__count")).to_have_text("1")
    expect(section(page, "red_areas")).to_contain_text(f"{waiting.name}: Access")
    screenshot(page, "director")
    section(page, "step_downs").get_by_role("link", name=waiting.name).click()
    expect(page.locator("body")).not_to_contain_text("You do not have access to this page")
    page.goto("/")
    section(page, "red_areas").get_by_role("link").first.click()
    expect(page.locator("#id_area")).to_have_value("access")
    page.context.clear_cookies()

    # A Joint Committee member: the packs (none yet), and no return or decision offered.
    login(page, committee_member)
    page.goto("/")
    expect(section(page, "packs")).to_contain_text("No committee pack has been published yet.")
    expect(page.locator("#queue-overdue")).to_have_count(0)
    screenshot(page, "committee")
    page.context.clear_cookies()

    # An administrator: the contract due for renewal, which opens.
    login(page, administrator)
    page.goto("/")
    expect(section(page, "renewals")).to_contain_text(waiting.name)
    screenshot(page, "administrator")
    section(page, "renewals").get_by_role("link").first.click()
    expect(page.locator("body")).not_to_contain_text("You do not have access to this page")
    page.problems.assert_none()


def test_a_reminder_run_emails_the_team_once_with_a_link_that_opens_the_return(
    team_member, waiting, page, login, screenshot
):
    from django.core import mail
    from django.core.management import call_command

    team_member.email = "alice@example.nhs.uk"
    team_member.save()
    # Switched off on the reminders page: the run sends Alice nothing.
    login(page, team_member)
    page.goto("/")
    page.get_by_role("link", name="Choose which reminder emails you get").click()
    page.get_by_label("Returns due and overdue").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("updated")
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    assert [m for m in mail.outbox if m.to == ["alice@example.nhs.uk"]] == []

    # Switched on again: one email per return, with a link; a second run sends nothing more.
    page.get_by_label("Returns due and overdue").check()
    page.get_by_role("button", name="Save").click()
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    emails = [m for m in mail.outbox if m.to == ["alice@example.nhs.uk"]]
    assert emails, "no reminder for the overdue return"
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    assert len([m for m in mail.outbox if m.to == ["alice@example.nhs.uk"]]) == len(emails)
    link = next(line.split(" ")[-1] for line in emails[0].body.splitlines() if "/returns/7A4/" in line)
    page.goto(urlsplit(link).path)
    expect(page.locator("h1")).to_have_text(waiting.name)
    screenshot(page, "from-the-email")
    page.problems.assert_none()
