"""Passwords and sessions (issue 15): change your own, reset a forgotten one by an emailed single-use
expiring link that never reveals whether an account exists, and signing out everywhere."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from providers.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def signed_in(user):
    browser = Client()
    assert browser.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200
    return browser


def test_changing_your_password_applies_the_validators_and_ends_your_other_sessions(team_member):
    laptop, phone = signed_in(team_member), signed_in(team_member)
    weak = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert weak.status_code == 200 and User.objects.get(pk=team_member.pk).check_password(PASSWORD)
    wrong_old = laptop.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "b-brand-new-password", "new_password2": "b-brand-new-password"},
    )
    assert wrong_old.status_code == 200
    done = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "b-brand-new-password", "new_password2": "b-brand-new-password"},
    )
    assert done["Location"] == "/account/"
    assert laptop.get("/").status_code == 200  # this session goes on
    assert phone.get("/")["Location"].startswith("/login/")  # the other has ended


def test_signing_out_everywhere_else_keeps_only_this_session(team_member):
    laptop, phone = signed_in(team_member), signed_in(team_member)
    assert laptop.post("/account/sign-out-everywhere/")["Location"] == "/account/"
    assert laptop.get("/").status_code == 200
    assert phone.get("/")["Location"].startswith("/login/")
    # And a new sign-in works as before.
    assert signed_in(team_member).get("/account/").status_code == 200


def ask_for_reset(client, email, capture):
    with capture(execute=True):
        return client.post("/account/password-reset/", {"email": email})


def test_a_reset_never_says_whether_an_account_exists(client, team_member, django_capture_on_commit_callbacks):
    team_member.email = "alice@example.nhs.wales"
    team_member.save()
    known = ask_for_reset(client, "alice@example.nhs.wales", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@example.nhs.wales", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.nhs.wales"]
    page = client.get("/account/password-reset/sent/").content.decode()
    assert "If the address belongs to an account" in page


def reset_link(client, team_member, capture):
    team_member.email = "alice@example.nhs.wales"
    team_member.save()
    ask_for_reset(client, "alice@example.nhs.wales", capture)
    return re.search(r"https?://\S+(/account/password-reset/\S+/)", mail.outbox[-1].body).group(1)


def test_a_reset_link_works_once_with_the_validators(client, team_member, django_capture_on_commit_callbacks):
    session = signed_in(team_member)
    link = reset_link(client, team_member, django_capture_on_commit_callbacks)
    form = client.get(link, follow=True)
    assert "Set a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "1234567890", "new_password2": "1234567890"})
    assert weak.status_code == 200 and User.objects.get(pk=team_member.pk).check_password(PASSWORD)
    done = client.post(set_url, {"new_password1": "c-reset-long-password", "new_password2": "c-reset-long-password"})
    assert done["Location"] == "/account/password-reset/complete/"
    assert User.objects.get(pk=team_member.pk).check_password("c-reset-long-password")
    assert session.get("/")["Location"].startswith("/login/")  # signed out everywhere
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_a_reset_link_expires(client, team_member, django_capture_on_commit_callbacks):
    link = reset_link(client, team_member, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_the_reset_email_links_to_the_configured_site_not_the_host_header(
    client, settings, team_member, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://assurance.example.nhs.wales"
    team_member.email = "alice@example.nhs.wales"
    team_member.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password-reset/", {"email": "alice@example.nhs.wales"}, HTTP_HOST="localhost")
    assert "https://assurance.example.nhs.wales/account/password-reset/" in mail.outbox[0].body


def test_the_account_page_links_to_password_two_factor_and_sessions(client, team_member):
    client.force_login(team_member)
    page = client.get("/account/").content.decode()
    for href in ("/account/password/", "/account/two-factor/set-up/", "/account/sign-out-everywhere/"):
        assert f'"{href}"' in page, href
    assert 'href="/account/"' in client.get("/").content.decode()  # from the header
