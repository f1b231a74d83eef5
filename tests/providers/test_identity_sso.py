"""Single sign-on through OpenID Connect against a real provider (issue 15): django-oauth-toolkit's
OIDC provider runs in a second process on 127.0.0.1 (tests/oidc_provider/), standing in for
Microsoft Entra ID. The product matches the person by email to an existing active account,
never creates one, and keeps roles in the product."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from providers.models import User
from providers.roles import TEAM_MEMBER
from tests.oidc_provider import runner
from tests.providers.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    provider = runner.start(
        tmp_path_factory.mktemp("idp"), ["http://testserver/oidc/callback/"], email="Sso.Person@example.nhs.wales"
    )
    yield provider
    runner.stop(provider)


@pytest.fixture
def sso_on(settings, identity_provider):
    for name, value in identity_provider.settings().items():
        setattr(settings, name, value)
    return identity_provider


def sign_in_through_the_provider(client, provider):
    """The browser's journey: the product -> the provider's sign-in -> back with a code."""
    start = client.get("/oidc/authenticate/?next=/account/")
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.url}/o/authorize/")
    browser = requests.Session()
    login_page = browser.get(start["Location"], timeout=10)
    assert "Test identity provider" in login_page.text
    csrf = browser.cookies["idp_csrftoken"]
    back = browser.post(
        login_page.url,
        data={
            "username": runner.USERNAME,
            "password": runner.PASSWORD,
            "csrfmiddlewaretoken": csrf,
            "next": parse_qs(urlsplit(login_page.url).query)["next"][0],
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert back.status_code == 302
    authorised = browser.get(
        f"{provider.url}{back.headers['Location']}"
        if back.headers["Location"].startswith("/")
        else back.headers["Location"],
        allow_redirects=False,
        timeout=10,
    )
    assert authorised.status_code == 302, authorised.text[:500]
    callback = authorised.headers["Location"]
    assert callback.startswith("http://testserver/oidc/callback/?")
    return client.get(callback.removeprefix("http://testserver"))


def test_a_person_signs_in_through_the_provider_to_their_existing_account(client, sso_on):
    person = UserFactory(username="sso", email="sso.person@example.nhs.wales", role=TEAM_MEMBER)
    response = sign_in_through_the_provider(client, sso_on)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(person.pk)
    page = client.get("/account/").content.decode()
    assert "sso.person@example.nhs.wales" in page
    # Roles stay the product's: the provider's name claim changed nothing here either.
    person.refresh_from_db()
    assert person.role_names == [TEAM_MEMBER] and person.first_name == "Test"


def test_nobody_is_created_by_signing_in(client, sso_on):
    before = User.objects.count()
    response = sign_in_through_the_provider(client, sso_on)
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before
    assert "did not find an active account" in client.get("/login/").content.decode()


def test_a_deactivated_account_is_not_signed_in(client, sso_on):
    UserFactory(username="sso", email="sso.person@example.nhs.wales", role=TEAM_MEMBER, is_active=False)
    response = sign_in_through_the_provider(client, sso_on)
    assert response["Location"] == "/login/" and "_auth_user_id" not in client.session


@pytest.mark.real_mfa
def test_a_director_signing_in_through_the_provider_still_gives_a_code(client, sso_on):
    from providers.roles import DIRECTOR

    UserFactory(username="sso", email="sso.person@example.nhs.wales", role=DIRECTOR, is_service_director=True)
    sign_in_through_the_provider(client, sso_on)
    assert client.get("/dashboard/")["Location"].startswith("/account/two-factor/set-up/")


def test_single_sign_on_is_off_without_its_settings(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "single sign-on" not in client.get("/login/").content.decode()


def test_the_login_page_offers_single_sign_on_when_it_is_on(client, sso_on):
    page = client.get("/login/").content.decode()
    assert 'href="/oidc/authenticate/' in page
