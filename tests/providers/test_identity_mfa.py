"""Two-factor sign-in (issue 15, django-otp): required for directors and administrators, offered to
everyone; an authenticator app (TOTP) with recovery codes for a lost phone; an administrator can
reset another person's second factor, audited. These tests sign in through the real pages."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.models import RoleGrant
from tests.providers.factories import enrol_totp, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]
PASSWORD = "a-long-test-password"


def sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return response


def test_a_director_without_an_authenticator_must_set_one_up_before_anything_else(client, service_director):
    sign_in(client, service_director)
    for path in ("/", "/dashboard/", "/providers/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/set-up/"), path
    # Nor can they act by posting.
    assert client.post("/packs/new/", {"committee": "cdgb"})["Location"].startswith("/account/two-factor/set-up/")
    page = client.get("/account/two-factor/set-up/")
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=service_director, confirmed=False)
    assert len(secret) == 32 and device.config_url.find(f"secret={secret}") > 0
    wrong = client.post("/account/two-factor/set-up/", {"code": "000000"}).content.decode()
    assert "The code is not right" in wrong
    assert not TOTPDevice.objects.filter(user=service_director, confirmed=True).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):  # past the wait after a wrong code
        done = client.post("/account/two-factor/set-up/", {"code": totp_code(device), "next": "/dashboard/"})
        assert done.status_code == 200
        codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
        assert len(codes) == 10 and StaticToken.objects.filter(device__user=service_director).count() == 10
        assert client.get("/dashboard/").status_code == 200


def test_a_director_signs_in_with_password_then_code(client, service_director):
    device = enrol_totp(service_director)
    sign_in(client, service_director)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/?next=%2Fdashboard%2F"
    wrong = client.post("/account/two-factor/", {"code": "123456", "next": "/dashboard/"})
    assert wrong.status_code == 200 and "The code is not right" in wrong.content.decode()
    assert client.get("/dashboard/").status_code == 302
    # Straight away, even the right code waits: each wrong one doubles the wait (django-otp).
    hurried = client.post("/account/two-factor/", {"code": totp_code(device), "next": "/dashboard/"})
    assert "Too many wrong codes" in hurried.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        right = client.post("/account/two-factor/", {"code": totp_code(device), "next": "/dashboard/"})
        assert right.status_code == 302 and right["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200


def test_a_code_that_is_sent_off_site_is_not_followed(client, service_director):
    device = enrol_totp(service_director)
    sign_in(client, service_director)
    response = client.post("/account/two-factor/", {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_lost_phone_recovery_code_works_once(client, service_director):
    from providers.accounts import recovery_codes_replace

    enrol_totp(service_director)
    codes = recovery_codes_replace(service_director)
    sign_in(client, service_director)
    assert client.post("/account/two-factor/", {"code": codes[0]})["Location"] == "/"
    assert client.get("/").status_code == 200
    client.logout()
    sign_in(client, service_director)
    again = client.post("/account/two-factor/", {"code": codes[0]})
    assert again.status_code == 200 and "The code is not right" in again.content.decode()
    assert StaticToken.objects.filter(device__user=service_director).count() == 9


def test_a_team_member_is_offered_two_factor_and_once_on_it_is_asked_for(client, team_member):
    sign_in(client, team_member)
    assert client.get("/").status_code == 200  # not required of them
    assert "Set up two-factor authentication" in client.get("/account/").content.decode()
    client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=team_member, confirmed=False)
    client.post("/account/two-factor/set-up/", {"code": totp_code(device)})
    client.logout()
    sign_in(client, team_member)
    assert client.get("/")["Location"].startswith("/account/two-factor/")


def test_a_second_device_replaces_the_first_only_after_a_verified_session(client, service_director):
    old = enrol_totp(service_director)
    sign_in(client, service_director)
    # Not yet verified: setting up a new authenticator is refused (a stolen password is not enough).
    assert client.get("/account/two-factor/set-up/")["Location"].startswith("/account/two-factor/")
    client.post("/account/two-factor/", {"code": totp_code(old)})
    client.get("/account/two-factor/set-up/")
    new = TOTPDevice.objects.get(user=service_director, confirmed=False)
    client.post("/account/two-factor/set-up/", {"code": totp_code(new)})
    assert list(TOTPDevice.objects.filter(user=service_director).values_list("pk", flat=True)) == [new.pk]


def test_requirement_can_be_switched_off_for_a_laptop_demo(client, settings, service_director):
    settings.MFA_REQUIRED = False
    sign_in(client, service_director)
    assert client.get("/dashboard/").status_code == 200


def test_an_administrator_resets_another_persons_two_factor_audited_and_ends_their_sessions(
    client, administrator, service_director
):
    from django.test import Client

    device = enrol_totp(service_director)
    director_browser = Client()
    sign_in(director_browser, service_director)
    director_browser.post("/account/two-factor/", {"code": totp_code(device)})
    assert director_browser.get("/dashboard/").status_code == 200

    admin_device = enrol_totp(administrator)
    sign_in(client, administrator)
    client.post("/account/two-factor/", {"code": totp_code(admin_device)})
    confirm = client.get(f"/people/{service_director.pk}/reset-two-factor/")
    assert "Reset two-factor authentication for" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=service_director).exists()  # nothing happens on the GET
    client.post(f"/people/{service_director.pk}/reset-two-factor/")
    assert not TOTPDevice.objects.filter(user=service_director).exists()
    grant = RoleGrant.objects.get(user=service_director, kind="mfa")
    assert grant.acting_user == administrator and grant.removed == ["authenticator app"]
    # The director's session has ended; at their next sign-in they set up a new authenticator.
    assert director_browser.get("/dashboard/")["Location"].startswith("/login/")
    sign_in(director_browser, service_director)
    assert director_browser.get("/")["Location"].startswith("/account/two-factor/set-up/")


def test_an_administrator_cannot_reset_their_own_two_factor(client, administrator):
    device = enrol_totp(administrator)
    sign_in(client, administrator)
    client.post("/account/two-factor/", {"code": totp_code(device)})
    client.post(f"/people/{administrator.pk}/reset-two-factor/")
    assert TOTPDevice.objects.filter(user=administrator).exists()
    assert not RoleGrant.objects.filter(kind="mfa").exists()


def test_new_recovery_codes_replace_the_old(client, team_member):
    from providers.accounts import recovery_codes_replace

    device = enrol_totp(team_member)
    old = recovery_codes_replace(team_member)
    sign_in(client, team_member)
    client.post("/account/two-factor/", {"code": totp_code(device)})
    page = client.post("/account/two-factor/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()
