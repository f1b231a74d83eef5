"""People management in the product's own pages (issue 15): the list, invitations, changes with a
confirmation, deactivation (never deletion), the audited history, and separation of duties."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from providers.models import Invitation, RoleGrant, User
from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER
from providers.selectors import pending_invitations
from tests.providers.factories import UserFactory, enrol_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_the_list_shows_roles_teams_levels_language_last_sign_in_and_two_factor(
    admin_client, team_member, service_director
):
    User.objects.filter(pk=team_member.pk).update(language="cy", last_login=timezone.now())
    enrol_totp(service_director)
    page = admin_client.get("/people/").content.decode()
    for text in ("Commissioning team member", "Cardiac", "Owns level 2", "Welsh", "Never", "On", "Off"):
        assert text in page, text
    # Filters and sorting.
    only = admin_client.get("/people/", {"role": DIRECTOR}).content.decode()
    assert f'href="/people/{service_director.pk}/"' in only and f'href="/people/{team_member.pk}/"' not in only
    mfa_on = admin_client.get("/people/", {"mfa": "on"}).content.decode()
    assert f'href="/people/{service_director.pk}/"' in mfa_on and f'href="/people/{team_member.pk}/"' not in mfa_on
    assert admin_client.get("/people/", {"sort": "-last_login"}).status_code == 200
    assert admin_client.get("/people/", {"q": "zzz-nobody"}).content.decode().count("No people match") == 1


def test_an_invitation_emails_a_one_time_link_to_set_a_password(
    admin_client, administrator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/people/invite/",
            {
                "first_name": "Nia",
                "last_name": "Price",
                "email": "nia.price@example.nhs.wales",
                "username": "nia",
                "roles": [TEAM_MEMBER],
                "teams": ["cardiac"],
            },
        )
    nia = User.objects.get(username="nia")
    assert response["Location"] == f"/people/{nia.pk}/"
    assert not nia.has_usable_password() and nia.role_names == [TEAM_MEMBER]
    invitation = Invitation.objects.get(user=nia)
    assert invitation.invited_by == administrator and list(pending_invitations()) == [invitation]
    assert "nia.price@example.nhs.wales" in admin_client.get("/people/").content.decode()
    (email,) = mail.outbox
    assert email.to == ["nia.price@example.nhs.wales"] and "nia" in email.body
    link = re.search(r"https?://\S+(/account/invitation/\S+/)", email.body).group(1)
    admin_client.logout()
    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and not User.objects.get(pk=nia.pk).has_usable_password()
    done = client.post(link, {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"})
    assert done["Location"] == "/login/"
    assert User.objects.get(pk=nia.pk).check_password("a-new-long-password")
    assert list(pending_invitations()) == []
    # Used once: the link does nothing more.
    assert client.get(link).status_code == 400
    assert (
        client.post(link, {"new_password1": "x-another-long-one", "new_password2": "x-another-long-one"}).status_code
        == 400
    )
    assert client.post("/login/", {"username": "nia", "password": "a-new-long-password"}).status_code == 302


def test_an_invitation_link_expires(admin_client, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/people/invite/",
            {"first_name": "Owain", "last_name": "Jenkins", "email": "owain@example.nhs.wales", "username": "owain"},
        )
    link = re.search(r"https?://\S+(/account/invitation/\S+/)", mail.outbox[0].body).group(1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert client.get(link).status_code == 400
        assert list(pending_invitations()) == []


def test_an_invitation_refuses_a_username_or_email_already_in_use(admin_client, team_member):
    team_member.email = "alice@example.nhs.wales"
    team_member.save()
    page = admin_client.post(
        "/people/invite/",
        {"first_name": "A", "last_name": "B", "email": "ALICE@example.nhs.wales", "username": "alice"},
    ).content.decode()
    assert "Someone already has this username." in page and "Someone already has an account with this email" in page


def test_a_change_is_confirmed_before_it_is_made_and_then_audited(admin_client, administrator, team_member):
    data = {"roles": [TEAM_MEMBER, DIRECTOR], "teams": ["cardiac"], "director_levels": ["3"]}
    check = admin_client.post(f"/people/{team_member.pk}/access/", data)
    page = check.content.decode()
    assert check.status_code == 200 and "Check the changes" in page and "Executive Director" in page
    assert not RoleGrant.objects.exists() and User.objects.get(pk=team_member.pk).role_names == [TEAM_MEMBER]
    done = admin_client.post(f"/people/{team_member.pk}/access/", {**data, "confirm": "yes"})
    assert done["Location"] == f"/people/{team_member.pk}/"
    team_member = User.objects.get(pk=team_member.pk)
    assert team_member.role_names == [TEAM_MEMBER, DIRECTOR] and team_member.owned_levels == [3]
    assert {g.kind for g in RoleGrant.objects.filter(user=team_member, acting_user=administrator)} == {
        "role",
        "team",
        "director_level",
    }
    history = admin_client.get(f"/people/{team_member.pk}/").content.decode()
    assert "Director levels" in history and administrator.display_name in history


def test_an_administrator_cannot_change_their_own_roles_or_levels_or_make_a_superuser(
    admin_client, administrator, team_member
):
    own = {"roles": [ADMINISTRATOR, DIRECTOR], "teams": ["cardiac"], "director_levels": ["4"], "confirm": "yes"}
    admin_client.post(f"/people/{administrator.pk}/access/", {**own, "is_superuser": "on"})
    administrator = User.objects.get(pk=administrator.pk)
    assert administrator.role_names == [ADMINISTRATOR] and administrator.owned_levels == []
    assert not administrator.is_superuser
    assert list(administrator.teams.values_list("code", flat=True)) == ["cardiac"]  # teams are theirs to keep
    admin_client.post(
        f"/people/{team_member.pk}/access/", {"roles": [TEAM_MEMBER], "is_superuser": "on", "confirm": "yes"}
    )
    assert not User.objects.filter(is_superuser=True).exists()
    page = admin_client.get(f"/people/{administrator.pk}/access/").content.decode()
    assert "Another administrator changes your roles and director levels" in page and "superuser" not in page.lower()
    assert "director_levels" not in page and 'name="roles"' not in page


def test_powerful_grants_are_emailed_to_the_other_administrators(
    admin_client, administrator, team_member, django_capture_on_commit_callbacks
):
    other = UserFactory(username="admin2", role=ADMINISTRATOR, email="admin2@example.nhs.wales")
    UserFactory(username="admin3", role=ADMINISTRATOR, email="gone@example.nhs.wales", is_active=False)
    administrator.email = "admin@example.nhs.wales"
    administrator.save()
    data = {"roles": [TEAM_MEMBER], "teams": ["cardiac"], "confirm": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/people/{team_member.pk}/access/", data)
    assert mail.outbox == []  # a team: nothing to tell
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/people/{team_member.pk}/access/", {**data, "roles": [TEAM_MEMBER, ADMINISTRATOR]})
    (email,) = mail.outbox
    assert email.to == [other.email] and "Register administrator" in email.body
    assert administrator.display_name in email.subject


def test_deactivating_keeps_the_person_ends_their_sessions_and_is_audited(admin_client, administrator, team_member):
    from django.test import Client

    alice = Client()
    alice.force_login(team_member)
    assert alice.get("/").status_code == 200
    confirm = admin_client.get(f"/people/{team_member.pk}/deactivate/")
    assert "Deactivate" in confirm.content.decode() and User.objects.get(pk=team_member.pk).is_active
    admin_client.post(f"/people/{team_member.pk}/deactivate/")
    assert User.objects.filter(pk=team_member.pk, is_active=False).exists()
    assert alice.get("/")["Location"].startswith("/login/")
    assert RoleGrant.objects.get(user=team_member, kind="account").new == ["deactivated"]
    assert alice.post("/login/", {"username": "alice", "password": "a-long-test-password"}).status_code == 200
    admin_client.post(f"/people/{team_member.pk}/reactivate/")
    assert User.objects.get(pk=team_member.pk).is_active


def test_an_administrator_cannot_deactivate_themselves(admin_client, administrator):
    admin_client.post(f"/people/{administrator.pk}/deactivate/")
    assert User.objects.get(pk=administrator.pk).is_active


def test_pending_invitations_is_a_queryset_for_the_work_queue(administrator):
    from django.db.models import QuerySet

    from providers.accounts import invitation_send

    person = UserFactory(username="new", email="new@example.nhs.wales")
    invitation = invitation_send(user=person, acting_user=administrator)
    assert isinstance(pending_invitations(), QuerySet) and list(pending_invitations()) == [invitation]
