"""Issue 18, driven through headless Chromium: a Red area from its flag to its action plan to its
risk, as the commissioning team member who holds the provider works it.

Provider 00 (the browser estate) is Red in Patient experience and Governance in June 2026 and at
level 3. The dashboard's "Needs follow-through" filter finds it; its page says what each Red
lacks; the team member starts an action plan and records a risk from the flags; the flags clear
and the risk is on the corporate register. (The pack's exception page is the lead's last step.)
"""

import pytest

from escalation.models import ActionPlan, Risk
from tests.browser.dates import fill_date

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def row(page, area):
    return page.locator("#follow-through-table tbody tr").filter(has=page.locator("th", has_text=area))


def test_a_red_area_from_flag_to_action_plan_to_risk(team_member, estate, page, login, screenshot):
    provider = estate[0]
    login(page, team_member)

    # The dashboard's filter finds the provider whose Reds lack their follow-through.
    page.goto("/dashboard/?period=2026-06")
    page.locator("#follow_through").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#scorecard")).to_contain_text("Provider 00")
    expect(page.locator("#scorecard")).not_to_contain_text("Provider 05")  # all Green, nothing gone by
    screenshot(page, "1-dashboard")

    # The provider's page says what each Red lacks.
    page.goto(provider.get_absolute_url())
    experience = row(page, "Patient experience")
    expect(experience).to_contain_text("No action plan")
    expect(experience).to_contain_text("No risk assessment")
    screenshot(page, "2-flags")

    # From the flag to an action plan, its area filled in.
    experience.get_by_role("link", name="Start an action plan").click()
    expect(page.locator("#id_area")).to_have_value("patient_experience")
    page.locator("#id_title").fill("Patient experience recovery")
    page.locator("#id_actions").fill("Weekly PREM review with the ward teams")
    page.locator("#id_review_points").fill("Monthly CQPRM")
    fill_date(page, "id_next_review", "2027-01-15")
    page.locator("#id_risk_assessment").fill("Poor experience delays patients seeking care")
    page.locator("#id_owner").fill("Head of patient experience")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert ActionPlan.objects.filter(provider=provider, area="patient_experience").exists()

    # From the flag to a risk, scored onto the corporate register.
    page.goto(provider.get_absolute_url())
    experience = row(page, "Patient experience")
    expect(experience).not_to_contain_text("No action plan")
    experience.get_by_role("link", name="Record a risk").click()
    expect(page.locator("#id_area")).to_have_value("patient_experience")
    page.locator("#id_title").fill("Harm from unheard complaints")
    page.locator("#id_likelihood").select_option("4")
    page.locator("#id_consequence").select_option("4")
    page.locator("#id_controls").fill("Weekly complaints huddle")
    page.locator("#id_owner").fill("Head of quality")
    fill_date(page, "id_review_date", "2027-01-15")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert Risk.objects.filter(provider=provider, area="patient_experience").exists()

    page.goto(provider.get_absolute_url())
    experience = row(page, "Patient experience")
    expect(experience).not_to_contain_text("No action plan")
    expect(experience).not_to_contain_text("No risk assessment")
    expect(row(page, "Governance")).to_contain_text("No action plan")  # the other Red still needs its own
    screenshot(page, "3-after")

    page.goto("/risks/corporate/")
    expect(page.locator("#risk-register")).to_contain_text("Harm from unheard complaints")
    expect(page.locator("#risk-register")).to_contain_text("Weekly complaints huddle")
    screenshot(page, "4-register")
    page.problems.assert_none()


def test_intelligence_is_recorded_and_shown_on_the_timeline(team_member, estate, page, login, screenshot):
    provider = estate[0]
    login(page, team_member)
    page.goto(provider.get_absolute_url())
    page.get_by_role("link", name="Record intelligence").click()
    page.locator("#id_kind").select_option("inspection_rating")
    fill_date(page, "id_date", "2026-06-12")
    page.locator("#id_title").fill("Inspection of the surgical wards")
    page.locator("#id_source").fill("HIW")
    page.locator("#id_severity").select_option("high")
    page.locator("#id_link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a web address starting http:// or https://.")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the rating the regulator gave.")
    screenshot(page, "1-errors")
    page.locator("#id_link").fill("https://www.hiw.org.uk/")
    page.locator("#id_rating").select_option("requires_improvement")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#intelligence-table")).to_contain_text("Rated Requires improvement on 12 June 2026")
    screenshot(page, "2-log")
    page.goto(provider.get_absolute_url())
    expect(page.locator(".app-timeline__intelligence")).to_contain_text("Inspection of the surgical wards")
    page.problems.assert_none()
