"""A provider's escalation page, driven through headless Chromium.

What a director relies on: a step-down proposed by the rules waits for the director who
owns the current level, and only that director is offered the decision; a decision
without a rationale is explained and changes nothing; an approval moves the provider to
the proposed level and is kept, with its rationale and the director's name, in the
decision timeline; and an area override shows the computed rating beside it and is
listed with who made it and why. The page holds three forms (decide, escalate, override),
each with a Rationale: each label and error link must lead to the field in its own form.
"""

import re

import pytest

from assurance.models import AreaOverride, AreaRating
from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional DB; serialized_rollback restores the roles and
    # teams made by data migrations (and conftest.py restores them again after the flush).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AREAS = ["access", "quality_safety", "finance_activity", "patient_experience", "governance"]
DECISION_RATIONALE_MISSING = "Give the rationale for your decision."
OVERRIDE_RATIONALE_MISSING = "Give the rationale for the override."
LATEST = M[3]  # the newest rated month: April 2026
LATEST_COLUMN = LATEST.strftime("%b %Y")  # "Apr 2026", as the tables head their columns


@pytest.fixture
def pending_step_down(catalogue):
    """A provider escalated to level 3 (two Red areas in January), then three all-Green months.

    The rules then propose a step-down to level 1 for April 2026, which waits for the
    Executive Director (the owner of level 3).
    """
    provider = provider_with_contract("7A4")
    for month, values in zip(M, [month_values(3, 0, 2)] + [month_values(5)] * 3, strict=False):
        report(provider, month, values, catalogue)
        run_period(month)
    proposal = StepDownProposal.objects.get(provider=provider, status="pending")
    assert (proposal.from_level, proposal.proposed_level, proposal.period) == (3, 1, LATEST)
    assert ProviderEscalation.objects.get(provider=provider).level == 3
    return provider, proposal


def escalation_path(provider):
    return f"/providers/{provider.code}/escalation/"


def current_level(page):
    """The value of "Current level" in the #current-level summary list."""
    row = page.locator("#current-level .nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=re.compile(r"^Current level$"))
    )
    return row.locator(".nhsuk-summary-list__value")


def area_cell(page, area_label, column=LATEST_COLUMN):
    """The #area-ratings cell for an area (row header) and month (column header)."""
    headers = page.locator("#area-ratings thead th").all_inner_texts()
    index = [h.strip() for h in headers].index(column)  # the first header is "Key area"
    row = page.locator("#area-ratings tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{re.escape(area_label)}$"))
    )
    return row.locator("td").nth(index - 1)


def duplicate_ids(page):
    """Element ids used more than once on the page (labels and error links then go astray)."""
    return page.evaluate("""() => {
        const seen = {};
        for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
        return Object.entries(seen).filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
    }""")


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_only_the_owner_decides_a_step_down_and_a_director_overrides_an_area(
    service_director, executive_director, pending_step_down, page, login, screenshot
):
    provider, proposal = pending_step_down
    path = escalation_path(provider)
    director_name = executive_director.display_name
    heading = "Step-down proposed: level 3 to level 1"
    deferred = []  # soft checks: reported at the end so the rest of the journey still runs

    # --- The Service Director finds the page from the provider and sees the proposal, ---
    # --- but level 3 is not hers to decide: no form. ------------------------------------
    login(page, service_director)
    page.goto(provider.get_absolute_url())
    page.get_by_role("link", name="Escalate, override or decide a step-down").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    expect(page.locator("h1")).to_have_text(provider.name)
    expect(current_level(page).locator(".nhsuk-tag")).to_have_text("Level 3")
    expect(current_level(page)).to_contain_text("Level 3: escalated monitoring")
    card = page.locator("#pending-step-down")
    expect(card.locator("h2")).to_have_text(heading)
    expect(card).to_contain_text("up to April 2026")
    expect(card).to_contain_text("Waiting for the director who owns level 3.")
    expect(card.locator("form")).to_have_count(0)
    expect(page.get_by_role("button", name="Record my decision")).to_have_count(0)
    expect(page.get_by_text("Approve the step-down")).to_have_count(0)
    screenshot(page, "1-service-director-waiting")
    page.problems.assert_none()
    log_out(page)

    # --- The Executive Director owns level 3: the card carries the decision form. -------
    login(page, executive_director, open_login_page=False)
    page.goto(path)
    card = page.locator("#pending-step-down")
    expect(card.locator("h2")).to_have_text(heading)
    expect(card).not_to_contain_text("Waiting for the director")
    approve = card.get_by_label("Approve the step-down")
    reject = card.get_by_label("Reject it: keep the current level")
    rationale = card.get_by_label("Rationale")
    expect(approve).not_to_be_checked()
    expect(reject).not_to_be_checked()
    expect(rationale).to_have_value("")
    expect(card.get_by_role("button", name="Record my decision")).to_be_visible()
    full = screenshot(page, "2-owner-proposal")
    card.screenshot(path=str(full.with_name(f"{full.stem}-card.png")))

    # --- Approve without a rationale: explained, and nothing changes. -------------------
    approve.check()
    card.get_by_role("button", name="Record my decision").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}proposals/{proposal.pk}/$"))
    card = page.locator("#pending-step-down")
    error_summary = page.locator(".nhsuk-error-summary")
    expect(error_summary).to_have_count(1)
    expect(error_summary).to_be_visible()
    expect(error_summary.locator("h2")).to_have_text("There is a problem")
    expect(error_summary.locator("a")).to_have_text([DECISION_RATIONALE_MISSING])
    expect(error_summary.locator("a")).to_have_attribute("href", "#decision_rationale")
    rationale = card.get_by_label("Rationale")
    expect(card.locator(".nhsuk-error-message")).to_have_count(1)
    expect(card.locator(".nhsuk-form-group--error .nhsuk-error-message")).to_contain_text(DECISION_RATIONALE_MISSING)
    expect(rationale).to_have_class(re.compile(r"\bnhsuk-textarea--error\b"))
    expect(card.get_by_label("Approve the step-down")).to_be_checked()  # the choice is kept
    expect(current_level(page).locator(".nhsuk-tag")).to_have_text("Level 3")
    expect(page.locator(".nhsuk-notification-banner--success")).to_have_count(0)
    expect(error_summary).to_be_focused()  # the NHS.UK frontend announces the summary
    screenshot(page, "3-rationale-missing")
    proposal.refresh_from_db()
    assert proposal.status == "pending" and proposal.decided_by is None
    assert ProviderEscalation.objects.get(provider=provider).level == 3
    assert not EscalationDecision.objects.filter(provider=provider, kind="step_down").exists()

    # The summary's link takes the user (and keyboard focus) to the decision's rationale.
    error_summary.locator("a").click()
    focused = page.evaluate("""() => { const el = document.activeElement;
        return el && el.closest('#pending-step-down') ? el.tagName : el && el.outerHTML.slice(0, 80); }""")
    if focused != "TEXTAREA":
        deferred.append(
            f"The error summary link should move focus to the decision's Rationale; focus is on {focused!r}."
        )

    # --- Approve with a rationale. -------------------------------------------------------
    rationale.fill("Three months Green in every area; the recovery plan has been delivered.")
    card.get_by_role("button", name="Record my decision").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}(#[^/]*)?$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"Your decision on the step-down for {provider.name} has been recorded.")
    expect(current_level(page).locator(".nhsuk-tag")).to_have_text("Level 1")
    expect(current_level(page)).to_contain_text("Level 1: routine monitoring")
    expect(page.locator("#pending-step-down")).to_have_count(0)
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    timeline = page.locator("ol.app-timeline")
    newest = timeline.locator("li").first
    expect(newest).to_contain_text("Step-down approved: level 3 to level 1")
    expect(newest).to_contain_text("ratings for April 2026")
    expect(newest).to_contain_text(director_name)
    expect(newest).to_contain_text("Three months Green in every area; the recovery plan has been delivered.")
    expect(timeline).to_contain_text("First rating: started at level 3")
    # The approval is shown once, as the decision it led to (not again as a proposal).
    expect(timeline.locator("li").filter(has_text="Three months Green in every area")).to_have_count(1)
    # The month's escalation level in the ratings table follows the decision.
    escalation_row = page.locator("#area-ratings tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^Escalation level$"))
    )
    expect(escalation_row.locator("td").last).to_have_text("Level 1")
    screenshot(page, "4-approved")
    page.problems.assert_none()

    state = ProviderEscalation.objects.get(provider=provider)
    assert state.level == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("approved", executive_director)
    decision = EscalationDecision.objects.get(provider=provider, kind="step_down")
    assert (decision.from_level, decision.to_level, decision.decided_by) == (3, 1, executive_director)

    # --- Override Governance for April 2026 to Amber. ------------------------------------
    expect(page.locator("#overrides")).to_have_count(0)
    expect(area_cell(page, "Governance")).to_have_text("Green")
    override_heading = page.get_by_role("heading", name="Override an area for April 2026")
    expect(override_heading).to_be_visible()
    override_form = page.locator("form[action$='/escalation/override/']")
    override_form.get_by_label("Key area").select_option(label="Governance")
    override_form.get_by_label("Amber").check()
    # By name: the form's "Rationale" label points at another form's textarea (see the test below).
    override_form.locator("textarea[name=rationale]").fill("Unannounced inspection found governance concerns.")
    override_form.get_by_role("button", name="Record the override").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("The override has been recorded and the month re-rated.")
    cell = area_cell(page, "Governance")
    expect(cell.locator(".nhsuk-tag")).to_have_text(["Amber", "Green"])  # override, then computed
    expect(cell).to_contain_text("overridden; computed: Green")
    expect(area_cell(page, "Access")).to_have_text("Green")  # the other areas are untouched
    overrides = page.locator("#overrides tbody tr")
    expect(overrides).to_have_count(1)
    cells = overrides.first.locator("td")
    expect(cells.nth(0)).to_have_text(LATEST_COLUMN)
    expect(cells.nth(1)).to_have_text("Governance")
    expect(cells.nth(2)).to_have_text("Green")
    expect(cells.nth(3)).to_have_text("Amber")
    expect(cells.nth(4)).to_contain_text(director_name)
    expect(cells.nth(5)).to_have_text("Unannounced inspection found governance concerns.")
    # One Amber area still recommends level 1: the level stands.
    expect(current_level(page).locator(".nhsuk-tag")).to_have_text("Level 1")
    screenshot(page, "5-overridden")
    page.problems.assert_none()

    area = AreaRating.objects.get(provider=provider, period=LATEST, area="governance")
    assert (area.computed_rag, area.rag) == ("G", "A")
    override = AreaOverride.objects.get(provider=provider)
    assert (override.overridden_by, override.rationale) == (
        executive_director,
        "Unannounced inspection found governance concerns.",
    )

    # Last, so that one failing check does not hide whether the rest of the journey works.
    assert deferred == [], "\n".join(deferred)


def test_each_form_on_the_escalation_page_labels_its_own_fields(
    executive_director, pending_step_down, page, login, screenshot
):
    """Three forms share the page (decision, manual escalation, override), each with a Rationale.

    A label must name the field in its own form, and an error summary link must take the
    user to the field that is wrong, not to the same-named field of another form.
    """
    provider, _proposal = pending_step_down
    path = escalation_path(provider)
    problems = []
    login(page, executive_director)
    page.goto(path)
    forms = page.locator("main form")
    expect(forms).to_have_count(3)  # decide, escalate, override

    duplicates = duplicate_ids(page)
    if duplicates:
        problems.append(f"Ids used more than once on the page: {duplicates}")
    # Every label must point at a control inside its own form.
    stray = page.evaluate("""() => [...document.querySelectorAll('main form label[for]')]
        .filter(label => document.getElementById(label.htmlFor)?.closest('form') !== label.closest('form'))
        .map(label => `${label.closest('form').getAttribute('action')}: "${label.textContent.trim()}"`)""")
    if stray:
        problems.append(f"Labels that name a field of another form: {stray}")
    override_form = page.locator("form[action$='/escalation/override/']")
    if override_form.get_by_label("Rationale").count() != 1:
        problems.append("The override form's textarea has no accessible name 'Rationale'.")

    # An override without a rationale: the error summary link should lead to the override's.
    override_form.get_by_label("Key area").select_option(label="Governance")
    override_form.get_by_label("Amber").check()
    override_form.get_by_role("button", name="Record the override").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}override/$"))
    override_form = page.locator("form[action$='/escalation/override/']")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary.locator("a")).to_have_text([OVERRIDE_RATIONALE_MISSING])
    expect(override_form.locator(".nhsuk-error-message")).to_contain_text(OVERRIDE_RATIONALE_MISSING)
    assert not AreaOverride.objects.exists()
    summary.locator("a").click()
    focused = page.evaluate("""() => { const el = document.activeElement;
        const form = el && el.closest('form'); return form ? form.getAttribute('action') : null; }""")
    if not (focused or "").endswith("/escalation/override/"):
        problems.append(f"The error summary link of the override form moves focus into the form {focused!r}.")
    screenshot(page, "override-rationale-missing")
    page.problems.assert_none()

    assert problems == [], "\n".join(problems)
