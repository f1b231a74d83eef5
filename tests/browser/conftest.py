"""Headless Chromium against pytest-django's live server.

Four things here are less obvious than they look:

* Playwright's sync API keeps an asyncio loop "running" in the main thread from
  ``start()`` to ``stop()``, and Django refuses ORM calls from such a thread
  (SynchronousOnlyOperation). DJANGO_ALLOW_ASYNC_UNSAFE is therefore set while
  Playwright runs, and only then: it is set and restored by the package-scoped
  ``chromium`` fixture, so it never weakens Django's async-safety check for the rest of
  the test run, and Playwright is stopped as soon as the last browser test has run.

* ``live_server`` makes every test transactional, and a transactional test ends with a
  FLUSH that empties every table, including the roles, permissions, content types and
  commissioning teams created by data migrations. ``serialized_rollback=True`` (on each
  test's django_db marker) makes Django reload that data at the *start* of the test,
  but the flush at the end still leaves the database empty for whatever runs next
  (with serialized_rollback Django even skips re-creating content types and
  permissions). ``pytest_runtest_teardown`` below therefore reloads the same
  serialized data once the flush has run, so the database is left as migrations
  made it, as after any other test.

* While that loop runs, asgiref makes Django's connection handler context-local
  instead of thread-local, so the ORM in the test would silently open a *second*
  connection: one without the test database's serialized data (serialized_rollback
  then does nothing, and the flush's post_migrate re-creates content types under new
  ids) and, on PostgreSQL, one left open at the end. The ``chromium`` fixture keeps the
  connection objects Django already had, so the test, the flush and the live server
  all use the same connection, as in a plain Django LiveServerTestCase.

* Screenshots go to <repo>/test-artifacts/ (git-ignored), one PNG per step.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No internet here, and the product asks no other host for anything (Problems.outside
    # fails a test that does); fail every name except the live server's at once, so a slip
    # shows as a failed test, not as a page load held up for seconds by a DNS timeout.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a-long-test-password"  # tests/providers/factories.UserFactory
TIMEOUT_MS = 10_000


# Database: tests/conftest.py reloads the migrations' data after each serialized_rollback test.


# Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium():
    """One headless Chromium for the whole browser suite (launched once)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Browser tests need Debian's Chromium at {CHROMIUM}; it is not installed.")
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_connections = {alias: connections[alias] for alias in connections}
    playwright = None
    try:
        playwright = sync_playwright().start()
        # Keep using the connection objects Django had before the loop started (see above).
        for alias, connection in sync_connections.items():
            connections[alias] = connection
        expect.set_options(timeout=TIMEOUT_MS)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        if playwright is not None:
            playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Problems:
    """What went wrong in the page that a user would notice (or a test should).

    Only our own assets count as broken; any request to another host is a problem in itself
    (the product fetches nothing from outside: fonts, scripts and styles are our own files).
    """

    def __init__(self, base_url):
        self.base_url = base_url
        self.js_errors = []  # uncaught exceptions in the page's scripts
        self.broken_assets = []  # CSS, JS, images of our own that failed or were not found
        self.blocked = []  # what the content security policy refused (a script, a style, ...)
        self.outside = []  # requests to any other host (issue 17: the product fetches nothing from outside)

    def on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.blocked.append(message.text)

    def on_request(self, request):
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and not request.url.startswith(
            self.base_url
        ):
            self.outside.append(request.url)

    def on_response(self, response):
        request = response.request
        if response.url.startswith(self.base_url) and request.resource_type != "document" and response.status >= 400:
            self.broken_assets.append(f"{response.status} {response.url}")

    def on_request_failed(self, request):
        # ERR_ABORTED: a request cut short because the user moved on to the next page.
        if (
            request.url.startswith(self.base_url)
            and request.resource_type != "document"
            and "ERR_ABORTED" not in (request.failure or "")
        ):
            self.broken_assets.append(f"failed {request.url}: {request.failure}")

    def assert_none(self):
        assert self.js_errors == [], f"JavaScript errors in the page: {self.js_errors}"
        assert self.broken_assets == [], f"Static assets that did not load: {self.broken_assets}"
        assert self.blocked == [], f"Refused by the content security policy: {self.blocked}"
        assert self.outside == [], f"Requests to another host: {self.outside}"


@pytest.fixture
def page(request, chromium, live_server, django_db_blocker):
    """A fresh browser context (no cookies) with base_url set to the live server.

    ``django_db_blocker`` is requested so the teardown hook above can reach it.
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        pytest.fail(
            "Mark browser tests with @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True): without it the live server's flush deletes the "
            "roles and teams made by data migrations for every test that runs later."
        )
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    browser_page = context.new_page()
    problems = Problems(live_server.url)
    browser_page.on("pageerror", lambda error: problems.js_errors.append(str(error)))
    browser_page.on("request", problems.on_request)
    browser_page.on("response", problems.on_response)
    browser_page.on("requestfailed", problems.on_request_failed)
    browser_page.on("console", problems.on_console)
    browser_page.problems = problems
    yield browser_page
    context.close()


@pytest.fixture
def login():
    """Log in through the real login page, as a user made by a persona fixture."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    def log_in(page, user, password=PASSWORD, open_login_page=True, button="Log in"):
        """Set open_login_page=False when already redirected there (keeps ?next=).

        Directors and administrators (and anyone with an authenticator) then give a code, as
        people do (issue 15): the user is given an authenticator first if they have none."""
        from providers.accounts import has_mfa, mfa_required
        from tests.providers.factories import enrol_totp, fresh_totp_code

        device = enrol_totp(user) if mfa_required(user) or has_mfa(user) else None
        if open_login_page:
            page.goto("/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name=button, exact=True).click()
        try:
            page.wait_for_url(lambda url: "/login/" not in url)
        except PlaywrightTimeoutError:
            errors = page.locator(".nhsuk-error-summary").all_inner_texts()
            raise AssertionError(f"Could not log in as {user.username}: {errors}") from None
        if device is not None and "/account/two-factor/" in page.url:
            page.locator("#id_code").fill(fresh_totp_code(device))
            page.locator("#id_code").press("Enter")
            page.wait_for_url(lambda url: "/account/two-factor/" not in url)
        return page

    return log_in


@pytest.fixture
def screenshot(request):
    """Save a full-page PNG to test-artifacts/<test name>--<step>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, step):
        path = ARTIFACTS / f"{request.node.name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def estate(catalogue, team_member):
    """Six providers in two teams rated January to June 2026. Provider 00 goes Red in two areas
    in June (stepped up to level 3 by rule); Provider 01 goes Amber in two (level 2)."""
    from datetime import date

    from escalation.models import ActionPlan
    from escalation.pipeline import run_period
    from providers.models import CommissioningTeam
    from tests.contracts.factories import ContractFactory
    from tests.escalation.estate import M, month_values, report

    providers = []
    for n in range(6):
        team = CommissioningTeam.objects.get(code="cardiac" if n < 3 else "mental_health")
        providers.append(
            ContractFactory(
                provider__code=f"P{n:02d}",
                provider__name=f"Provider {n:02d}",
                commissioning_team=team,
                provider__sector="nhs_wales" if n % 2 == 0 else "independent",
                start_date=date(2025, 1, 1),
                end_date=date(2028, 3, 31),
            ).provider
        )
    for month in M[:6]:
        for n, provider in enumerate(providers):
            values = month_values(5)
            if month == M[5] and n == 0:
                values = {**month_values(3, 0, 2)}
            elif month == M[5] and n == 1:
                values = month_values(3, 2)
            report(provider, month, values, catalogue)
        run_period(month)
    ActionPlan.objects.create(
        provider=providers[0],
        area="finance_activity",
        title="Finance recovery plan",
        actions="Monthly review of activity",
        review_points="CQPRM",
        next_review=date(2026, 8, 1),
        risk_assessment="Delayed care",
        owner="Finance lead",
        created_by=team_member,
    )
    return providers
