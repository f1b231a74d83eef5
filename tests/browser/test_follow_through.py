"""Issue 18, driven through headless Chromium: a Red area from its flag to its action plan to its
risk, as the commissioning team member who holds the provider works it.

Provider 00 (the browser estate) is Red in Patient experience and Governance in June 2026 and at
level 3. The dashboard's "Needs follow-through" filter finds it; its page says what each Red
lacks; the team member starts an action plan and records a risk from the flags; the flags clear
and the risk is on the corporate register. A director then builds the Performance, Finance and
Information Governance Committee's pack (providers at level 3 and above), whose exception page for
Provider 00 carries the action plan and still flags the Red that has none.
"""

import pytest

from escalation.models import ActionPlan, Risk
from tests.browser.dates import fill_date

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def row(page, area):
    return page.locator("#follow-through-table tbody tr").filter(has=page.locator("th", has_text=area))


def test_a_red_area_from_flag_to_action_plan_to_risk_to_pack(
    team_member, chief_executive, estate, page, login, screenshot, settings, tmp_path
):
    settings.MFA_REQUIRED = False  # two-factor sign-in is tested on its own (issue 15)
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
    page.get_by_role("button", name="Log out").click()

    # To the pack: PFIG's pack for June holds Provider 00 (level 3) with its action plan and flags.
    login(page, chief_executive, open_login_page=False)
    page.get_by_role("link", name="Committee packs").first.click()
    page.locator(".app-subnav").get_by_role(
        "link", name="Performance, Finance and Information Governance Committee"
    ).click()
    page.get_by_label("Committee", exact=True).select_option("pfig")
    page.get_by_label("Month").select_option("2026-06")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.locator("#pack-progress")).to_contain_text("Ready to download")
    screenshot(page, "5-pack-ready")
    page.goto("/packs/")
    page.locator(".app-subnav").get_by_role(
        "link", name="Performance, Finance and Information Governance Committee"
    ).click()
    page.locator("#packs tbody a").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    from pypdf import PdfReader  # noqa: PLC0415 - only this journey reads a PDF

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Provider 00" in text
    assert "Patient experience recovery" in text  # the action plan, on the exception page
    assert "No action plan" in text  # Governance is still Red without one
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
