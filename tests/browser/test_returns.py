"""Monthly data collection, driven through headless Chromium.

What a user relies on: a team member finds their provider's return on the month's
overview, fills it in, is told plainly what is wrong without losing what they typed (and
the error summary takes them to the field), submits it, and sees it counted on the
overview; a member of a team with no contract with the provider is refused.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from assurance.models import MonthlyReturn
from providers.periods import deadline, format_period, shift
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory
from tests.contracts.factories import ContractFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional DB; serialized_rollback restores the roles and
    # teams made by data migrations (and conftest.py restores them again after the flush).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER_NAME = "Cardiff and Vale University Health Board"
PERCENT_RANGE = "A percentage must be between 0 and 100."
FORBIDDEN = "You do not have access to this page"


def collected_period():
    """The month before last: its deadline (the 15th of last month) has always passed.

    So the return is "Overdue" before it is submitted and "Submitted late" after, on
    whatever day the test runs.
    """
    period = shift(timezone.localdate().replace(day=1), -2)
    assert deadline(period) < timezone.localdate()
    return period


def provider_row(page, name=PROVIDER_NAME):
    return page.locator("#returns tbody tr").filter(has_text=name)


def row_cells(row):
    """Provider, Return (state tag), Indicators with data, Submitted, Action."""
    return row.locator("td")


def team_summary_row(page, team):
    return page.locator("#team-summary tbody tr").filter(
        has=page.locator("td", has_text=re.compile(rf"^{re.escape(team)}$"))
    )


@pytest.fixture
def return_data(db):
    """A cardiac provider (Alice's team holds its contract), a % and a judgement indicator."""
    period = collected_period()
    contract = ContractFactory(
        provider__code="7A4",
        provider__name=PROVIDER_NAME,
        # Runs well either side of the month, whatever today's date.
        start_date=date(period.year - 1, 4, 1),
        end_date=date(period.year + 2, 3, 31),
    )
    numeric = IndicatorFactory(
        code="rtt_26_weeks", name="Referral to treatment within 26 weeks (%)", area="access", setting="planned"
    )
    judgement = JudgementIndicatorFactory(code="leadership_changes", name="Changes to leadership")
    return {
        "period": period,
        "period_text": format_period(period),
        "provider": contract.provider,
        "numeric": numeric,
        "judgement": judgement,
    }


def test_team_member_fixes_an_error_submits_the_return_and_another_team_is_refused(
    team_member, other_team_member, return_data, page, login, screenshot
):
    period, period_text = return_data["period"], return_data["period_text"]
    provider = return_data["provider"]
    numeric, judgement = return_data["numeric"], return_data["judgement"]
    entry_path = f"/returns/{provider.code}/{period_text}/"
    month_heading = f"Returns for {period.strftime('%B %Y')}"
    deferred = []  # soft checks: reported at the end so the rest of the journey still runs

    # --- The overview before: the return is overdue and nothing is counted. -----------
    login(page, team_member)
    page.goto(f"/returns/?period={period_text}")
    expect(page.locator("h1")).to_have_text(month_heading)
    row = provider_row(page)
    expect(row).to_have_count(1)
    expect(row_cells(row).nth(1)).to_have_text("Overdue")
    expect(row_cells(row).nth(2)).to_have_text("0 of 2 (0%)")
    expect(page.locator("#overdue")).to_contain_text("1 return is overdue")
    expect(page.locator("#overdue")).to_contain_text(PROVIDER_NAME)
    expect(team_summary_row(page, "Cardiac").locator("td")).to_have_text(["Cardiac", "1", "0%", "0%", "1"])

    # --- Start the return from the overview. ---------------------------------------------
    row.get_by_role("link", name=f"Start the return for {PROVIDER_NAME}").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(entry_path)}$"))
    expect(page.locator("h1")).to_have_text(PROVIDER_NAME)
    expect(page.locator("main form h2")).to_have_text(["Access", "Governance"])
    expect(page.locator("fieldset legend")).to_have_text([numeric.name, judgement.name])

    n, j = f"i{numeric.pk}", f"i{judgement.pk}"
    value_input = page.locator(f"#id_{n}-value")
    expect(page.locator(f"#id_{n}-status")).to_have_value("reported")
    value_input.fill("101")
    page.locator(f"#id_{n}-note").fill("Validated against the PTL.")
    page.locator(f"#id_{j}-rag").select_option("A")
    page.locator(f"#id_{j}-note").fill("Interim medical director appointed.")
    page.get_by_role("button", name="Submit return").click()

    # --- The error: explained, linked, and nothing typed is lost. -------------------------
    expect(page).to_have_url(re.compile(rf"{re.escape(entry_path)}$"))
    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary.locator("h2")).to_have_text("There is a problem")
    summary_links = error_summary.locator("a")
    expect(summary_links).to_have_count(1)  # only the percentage is wrong
    summary_link = summary_links.first
    expect(summary_link).to_have_text(f"{numeric.name}: {PERCENT_RANGE}")
    expect(page.locator(f"#{n} .nhsuk-error-message")).to_contain_text(PERCENT_RANGE)
    expect(page.locator(f"#{j} .nhsuk-error-message")).to_have_count(0)
    expect(value_input).to_have_class(re.compile(r"\bnhsuk-input--error\b"))
    expect(error_summary).to_be_focused()  # the NHS.UK frontend announces the summary
    expect(value_input).to_have_value("101")
    expect(page.locator(f"#id_{n}-status")).to_have_value("reported")
    expect(page.locator(f"#id_{n}-note")).to_have_value("Validated against the PTL.")
    expect(page.locator(f"#id_{j}-rag")).to_have_value("A")
    expect(page.locator(f"#id_{j}-note")).to_have_value("Interim medical director appointed.")
    assert not MonthlyReturn.objects.filter(provider=provider, period=period).exists()
    screenshot(page, "1-error")

    # The summary's link takes the user (and keyboard focus) to the value.
    href = summary_link.get_attribute("href")
    summary_link.click()
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    if href != f"#id_{n}-value" or focused != f"id_{n}-value":
        deferred.append(
            f"The error summary link (href={href!r}) should move focus to #id_{n}-value; focus is on {focused!r}."
        )

    # --- Fix it and submit. ------------------------------------------------------------
    value_input.fill("96.5")
    page.get_by_role("button", name="Submit return").click()
    # (A fragment left by the summary link would survive the redirect: allow it.)
    expect(page).to_have_url(re.compile(rf"/returns/\?period={period_text}(#[^/]*)?$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"The return for {PROVIDER_NAME}, {period.strftime('%B %Y')} has been submitted.")
    expect(page.locator("h1")).to_have_text(month_heading)

    # --- The overview after: submitted (late: the deadline had passed) and counted. --------
    saved = MonthlyReturn.objects.get(provider=provider, period=period)
    assert (saved.status, saved.submitted_by) == ("submitted", team_member)
    values = {v.indicator_id: v for v in saved.values.all()}
    assert values[numeric.pk].value == Decimal("96.5")
    assert values[numeric.pk].note == "Validated against the PTL."
    assert (values[judgement.pk].rag, values[judgement.pk].value) == ("A", None)

    row = provider_row(page)
    expect(row_cells(row).nth(1)).to_have_text("Submitted late")
    expect(row_cells(row).nth(2)).to_have_text("2 of 2 (100%)")
    expect(row_cells(row).nth(3)).to_have_text(timezone.localtime(saved.submitted_at).strftime("%-d %b %Y"))
    expect(row.get_by_role("link", name=f"Edit the return for {PROVIDER_NAME}")).to_be_visible()
    expect(page.locator("#overdue")).to_have_count(0)
    expect(team_summary_row(page, "Cardiac").locator("td")).to_have_text(["Cardiac", "1", "100%", "0%", "0"])
    expect(page.locator("#team-summary tfoot tr > *")).to_have_text(["All providers", "1", "100%", "0%", "0"])
    screenshot(page, "2-overview-submitted")
    page.problems.assert_none()

    # --- Bob (Mental Health only) is refused the same return. -----------------------------
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    login(page, other_team_member, open_login_page=False)
    response = page.goto(entry_path)
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(FORBIDDEN)
    expect(page).to_have_title(re.compile(rf"^{FORBIDDEN}"))
    expect(page.locator("main")).not_to_contain_text(PROVIDER_NAME)
    expect(page.locator("main")).not_to_contain_text("96.5")
    expect(page.locator("form input[name$='-value']")).to_have_count(0)
    screenshot(page, "3-forbidden")
    # Nor may he post to it (with a valid CSRF token: the one in the header's log-out form).
    csrf = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    posted = page.request.post(
        entry_path,
        form={
            "csrfmiddlewaretoken": csrf,
            "version": "1",
            "submit": "1",
            f"{n}-status": "reported",
            f"{n}-value": "10",
            f"{j}-status": "reported",
            f"{j}-rag": "R",
        },
        headers={"Referer": page.url},
        max_redirects=0,
    )
    assert posted.status == 403
    saved.refresh_from_db()
    assert saved.version == 1
    assert saved.values.get(indicator=numeric).value == Decimal("96.5")
    page.problems.assert_none()

    # Last, so that one failing check does not hide whether the rest of the journey works.
    assert deferred == [], "\n".join(deferred)
