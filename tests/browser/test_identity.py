"""Identity and access (issue 15), driven through headless Chromium: the lock-out cannot be
escaped with an invented X-Forwarded-For; an administrator manages people on the product's own
pages and cannot promote themselves; a director signs in with a password and a TOTP code; and a
person signs in through a real OpenID Connect provider started on 127.0.0.1."""

import re
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp

from providers.models import RoleGrant, User
from providers.roles import DIRECTOR, TEAM_MEMBER
from tests.oidc_provider import runner
from tests.providers.factories import UserFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "a-long-test-password"
SHOTS = Path("/tmp/shots-h15")


def shot(page, screenshot, name):
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / path.name).write_bytes(path.read_bytes())


def type_password(page, username, password):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_invented_forwarded_addresses_do_not_escape_the_lock_out(page, team_member, screenshot, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 3):
        page.set_extra_http_headers({"X-Forwarded-For": f"203.0.113.{n}"})
        type_password(page, "alice", "wrong-password")
    page.set_extra_http_headers({"X-Forwarded-For": "198.51.100.77"})
    type_password(page, "alice", PASSWORD)
    expect(page.get_by_text("Too many attempts to log in")).to_be_visible()
    shot(page, screenshot, "locked-out")
    page.goto("/")
    assert "/login/" in page.url  # not signed in


def code_from_setup_page(page):
    secret = page.locator("#totp-secret").inner_text().strip()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_a_director_sets_up_and_signs_in_with_a_password_and_a_code(page, service_director, screenshot):
    type_password(page, "sian", PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator("figure.app-qr-code svg")).to_be_visible()
    shot(page, screenshot, "mfa-setup")
    page.locator("#id_code").fill(code_from_setup_page(page))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    shot(page, screenshot, "recovery-codes")
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).not_to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # Next time: the password, then the code the app shows.
    type_password(page, "sian", PASSWORD)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.locator("#id_code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_code-error")).to_contain_text("The code is not right")
    shot(page, screenshot, "mfa-wrong-code")
    # A lost phone: a recovery code signs in once.
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()
    page.goto("/dashboard/")
    assert page.url.endswith("/dashboard/")
    page.problems.assert_none()


def test_an_administrator_manages_people_without_the_django_admin_and_cannot_promote_themselves(
    page, login, administrator, team_member, screenshot
):
    login(page, administrator)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    shot(page, screenshot, "people-list")

    # Invite someone.
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Price")
    page.get_by_label("Email address").fill("nia.price@example.nhs.wales")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Commissioning team member").check()
    page.get_by_label("Cardiac").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("has been invited")).to_be_visible()
    assert User.objects.get(username="nia").invitations.count() == 1

    # Promote Alice to director at level 2: a confirmation first.
    page.goto(f"/people/{team_member.pk}/")
    page.get_by_role("link", name="Change roles, teams and levels").click()
    page.get_by_label("Director", exact=True).check()
    page.get_by_label("Service Director").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile("Check the changes"))).to_be_visible()
    shot(page, screenshot, "access-confirm")
    assert not User.objects.get(pk=team_member.pk).has_role(DIRECTOR)
    page.get_by_role("button", name="Confirm the changes").click()
    expect(page.locator("#grant-history")).to_contain_text("Director levels")
    shot(page, screenshot, "person-history")
    alice = User.objects.get(pk=team_member.pk)
    assert alice.role_names == [TEAM_MEMBER, DIRECTOR] and alice.owned_levels == [2]

    # Deactivate (never delete).
    page.get_by_role("link", name="Deactivate").click()
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_text("has been deactivated")).to_be_visible()
    assert not User.objects.get(pk=team_member.pk).is_active

    # Their own page: roles and levels cannot be changed, and no superuser anywhere.
    page.goto(f"/people/{administrator.pk}/access/")
    expect(page.get_by_text("Another administrator changes your roles and director levels")).to_be_visible()
    expect(page.get_by_label("Chief Executive")).to_have_count(0)
    expect(page.get_by_label("Register administrator")).to_have_count(0)
    assert "superuser" not in page.content().lower()
    shot(page, screenshot, "own-access")
    # Nor through the Django admin: not for them.
    page.goto("/admin/providers/user/")
    assert "/admin/login/" in page.url or "Not Found" in page.content()
    me = User.objects.get(pk=administrator.pk)
    assert not me.is_superuser and me.owned_levels == []
    assert not RoleGrant.objects.filter(user=me).exists()
    page.problems.assert_none()


@pytest.fixture
def identity_provider(live_server, tmp_path):
    provider = runner.start(tmp_path, [f"{live_server.url}/oidc/callback/"], email="sso.person@example.nhs.wales")
    yield provider
    runner.stop(provider)


def test_a_person_signs_in_through_the_organisations_identity_provider(
    page, live_server, identity_provider, settings, screenshot
):
    for name, value in identity_provider.settings().items():
        setattr(settings, name, value)
    settings.OIDC_LABEL = "NHS Wales account"
    UserFactory(
        username="sso",
        first_name="Sso",
        last_name="Person",
        email="sso.person@example.nhs.wales",
        role=TEAM_MEMBER,
        team_codes=["cardiac"],
    )
    page.goto("/login/")
    shot(page, screenshot, "login-with-sso")
    page.get_by_role("link", name="Log in with NHS Wales account").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.locator("#id_username").fill(runner.USERNAME)
    page.locator("#id_password").fill(runner.PASSWORD)
    page.get_by_role("button", name="Sign in to the identity provider").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".nhsuk-header__account")).to_contain_text("Sso Person")
    shot(page, screenshot, "signed-in-by-sso")
    # The only other host visited is the identity provider itself, as single sign-on means.
    page.problems.outside = [url for url in page.problems.outside if not url.startswith(identity_provider.url)]
    page.problems.assert_none()
