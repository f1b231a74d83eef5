"""WCAG 2.2 AA in headless Chromium, in English and in Welsh.

axe-core (from npm, node_modules/axe-core) is run in every main page of each role, in both
languages, with a form showing its errors; no serious or critical violation is allowed.
The same visit checks that the Welsh page is in Welsh. Keyboard use (skip link, focus order,
visible focus) and the contrast of the RAG palette are checked directly.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from reporting import services as reporting_services

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Every main page, as the role that uses it (provider P00 is in Alice's Cardiac team).
PAGES = {
    "team_member": [
        "/",
        "/dashboard/",
        "/providers/P00/",
        "/providers/P00/escalation/",
        "/providers/P00/highlight/2026-06/",
        "/providers/P00/highlight/2026-06/edit/",
        "/returns/",
        "/returns/P00/2026-06/",
        "/returns/upload/",
        "/trajectories/",
        "/trajectories/new/",
        "/ratings/jobs/",
        "/indicators/",
        "/contracts/",
        "/contracts/{contract}/",
        "/providers/",
        "/services/",
        "/teams/",
        "/packs/",
        "/packs/{pack}/",
        "/providers/P00/meetings/new/",
        "/providers/P00/action-plans/new/",
        "/providers/P00/risks/new/",
    ],
    "administrator": ["/providers/new/", "/contracts/new/", "/indicators/new/", "/register/import/"],
    "committee_member": ["/dashboard/", "/packs/"],
    None: ["/login/", "/no-such-page/"],
}

RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: TAGS}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}""".replace("TAGS", json.dumps(WCAG_TAGS))


def axe_violations(page):
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE)


@pytest.fixture
def site(estate, team_member, chief_executive):
    """The estate, a contract to open and a committee pack built for June."""
    from datetime import date

    pack = reporting_services.pack_create(committee="cdgb", period=date(2026, 6, 1), user=chief_executive)
    reporting_services.pack_build(pack.pk)
    return {"contract": estate[0].contracts.first().pk, "pack": pack.pk}


@pytest.mark.parametrize("persona", list(PAGES), ids=lambda p: p or "anonymous")
def test_every_main_page_passes_axe_in_english_and_welsh(site, persona, request, page, login, live_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make install does).")
    paths = [path.format(**site) for path in PAGES[persona]]
    found, texts = {}, {}
    for language in ("en-gb", "cy"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        if persona:
            login(page, request.getfixturevalue(persona), button="Mewngofnodi" if language == "cy" else "Log in")
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            texts[(language, path)] = page.locator("main").inner_text()
            violations = axe_violations(page)
            if violations:
                found[(language, path)] = violations
    assert found == {}, "\n".join(f"{lang} {path}: {v}" for (lang, path), vs in found.items() for v in vs)
    same = [path for path in paths if texts[("en-gb", path)] == texts[("cy", path)]]
    assert same == [], f"These pages are not in Welsh: {same}"
    page.problems.assert_none()


def test_a_form_with_errors_passes_axe_in_welsh(site, team_member, page, login, live_server, screenshot):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": live_server.url}])
    login(page, team_member, button="Mewngofnodi")
    page.goto("/trajectories/new/")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # the summary takes focus so a screen reader reads it first
    assert "There is a problem" not in summary.inner_text()
    screenshot(page, "welsh-form-errors")
    assert axe_violations(page) == []


def test_the_keyboard_reaches_the_content_with_a_visible_focus(site, team_member, page, login):
    login(page, team_member)
    page.goto("/dashboard/")
    page.keyboard.press("Tab")
    skip = page.locator(".nhsuk-skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["height"] > 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#maincontent")).to_be_focused()
    # From the content on, each Tab lands on something visible, marked by the focus style,
    # in reading order (top to bottom within the filters).
    unmarked, tops = [], []
    for _ in range(12):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
          const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
          const marked = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== "none" || style.backgroundColor === "rgb(255, 235, 59)";
          return {tag: el.tagName, id: el.id, marked, visible: box.width > 0 && box.height > 0, top: box.top + scrollY};
        }""")
        if not (state["marked"] and state["visible"]):
            unmarked.append(state)
        tops.append(state["top"])
    assert unmarked == []
    assert tops[:4] == sorted(tops[:4])


CONTRAST = """() => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c; } return "rgb(255, 255, 255)"; };
  return [...document.querySelectorAll(".nhsuk-tag, .app-strip__cell, .app-arrow")].map(el => {
    const a = lum(getComputedStyle(el).color), b = lum(background(el));
    return {text: el.innerText.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
  });
}"""


@pytest.mark.parametrize("path", ["/dashboard/", "/providers/P00/"])
def test_the_rag_palette_has_enough_contrast(site, team_member, page, login, path):
    """WCAG 1.4.3: every RAG, level and arrow label at least 4.5:1 against its background."""
    login(page, team_member)
    page.goto(path)
    labels = page.evaluate(CONTRAST)
    assert {label["text"] for label in labels} >= {"Green", "Red"} or any(label["text"] in "GAR" for label in labels)
    weak = [label for label in labels if label["ratio"] < 4.5]
    assert labels and weak == []
