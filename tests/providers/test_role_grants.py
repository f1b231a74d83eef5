"""Who may do what is granted through one service (providers.services.user_roles_set) that records
who granted what and when, and refuses what DESIGN.md says a register administrator may not do:
change their own roles or director levels, or make anyone a superuser."""

import pytest
from django.urls import reverse

from providers.models import RoleGrant, User
from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from providers.services import RoleChangeRefused, user_roles_set

pytestmark = pytest.mark.django_db


def test_it_grants_roles_teams_and_levels_and_records_who_granted_what(administrator, team_member):
    grants = user_roles_set(
        user=team_member,
        acting_user=administrator,
        roles=[TEAM_MEMBER, DIRECTOR],
        teams=["cardiac"],
        director_levels=[3],
    )
    team_member = User.objects.get(pk=team_member.pk)
    assert team_member.role_names == [TEAM_MEMBER, DIRECTOR]
    assert list(team_member.teams.values_list("code", flat=True)) == ["cardiac"]
    assert team_member.owned_levels == [3] and team_member.is_executive_director
    recorded = {(g.kind, tuple(g.old), tuple(g.new), g.acting_user) for g in RoleGrant.objects.filter(user=team_member)}
    assert recorded == {
        ("role", (TEAM_MEMBER,), tuple(sorted([DIRECTOR, TEAM_MEMBER])), administrator),
        ("team", ("cardiac", "neurosciences"), ("cardiac",), administrator),
        ("director_level", (), (3,), administrator),
    }
    assert len(grants) == 3 and all(g.at is not None for g in grants)
    role = RoleGrant.objects.get(kind="role")
    assert (role.granted, role.removed) == ([DIRECTOR], [])


def test_what_is_not_given_is_left_and_what_does_not_change_is_not_recorded(administrator, service_director):
    assert user_roles_set(user=service_director, acting_user=administrator, roles=[DIRECTOR], director_levels=[2]) == []
    user_roles_set(user=service_director, acting_user=administrator, director_levels=[])
    service_director.refresh_from_db()
    assert service_director.owned_levels == [] and service_director.role_names == [DIRECTOR]
    assert [(g.kind, g.old, g.new) for g in RoleGrant.objects.all()] == [("director_level", [2], [])]


@pytest.mark.parametrize("change", [{"roles": [ADMINISTRATOR, DIRECTOR]}, {"roles": []}, {"director_levels": [4]}])
def test_nobody_changes_their_own_roles_or_director_levels(administrator, change):
    with pytest.raises(RoleChangeRefused, match="your own roles or director levels"):
        user_roles_set(user=administrator, acting_user=administrator, **change)
    administrator = User.objects.get(pk=administrator.pk)
    assert administrator.role_names == [ADMINISTRATOR] and administrator.owned_levels == []
    assert not RoleGrant.objects.exists()


def test_one_may_save_ones_own_unchanged_roles_and_change_ones_own_teams(administrator):
    user_roles_set(
        user=administrator,
        acting_user=administrator,
        roles=[ADMINISTRATOR],
        director_levels=[],
        teams=["cardiac"],
    )
    assert [(g.kind, g.new, g.acting_user) for g in RoleGrant.objects.all()] == [("team", ["cardiac"], administrator)]


def test_another_administrator_changes_an_administrators_roles(administrator):
    other = User.objects.create_user("admin2")
    user_roles_set(user=other, acting_user=None, roles=[ADMINISTRATOR])
    user_roles_set(user=administrator, acting_user=other, roles=[ADMINISTRATOR, COMMITTEE_MEMBER])
    assert User.objects.get(pk=administrator.pk).has_role(COMMITTEE_MEMBER)
    assert RoleGrant.objects.filter(user=administrator).get().acting_user == other


def test_nobody_is_made_a_superuser(administrator, team_member):
    team_member.is_superuser = True
    with pytest.raises(RoleChangeRefused, match="superuser"):
        user_roles_set(user=team_member, acting_user=administrator, roles=[TEAM_MEMBER])
    assert not User.objects.get(pk=team_member.pk).is_superuser


def test_the_system_grants_without_an_acting_user(team_member):
    user_roles_set(user=team_member, acting_user=None, roles=[COMMITTEE_MEMBER])
    assert RoleGrant.objects.get().acting_user is None


@pytest.mark.parametrize("change", [{"roles": ["Emperor"]}, {"teams": ["nope"]}, {"director_levels": [7]}])
def test_a_role_team_or_level_that_does_not_exist_is_refused(administrator, team_member, change):
    with pytest.raises(ValueError):
        user_roles_set(user=team_member, acting_user=administrator, **change)
    assert not RoleGrant.objects.exists()


# The Django admin's user page goes through the service -------------------------------------
# Since issue 15 only a superuser with a second factor reaches the Django admin (and only when
# ADMIN_ENABLED): register administrators manage people at /people/. So here the administrator
# is also a superuser, to show the admin still cannot get around the service.


@pytest.fixture
def django_admin(administrator):
    User.objects.filter(pk=administrator.pk).update(is_superuser=True)
    return User.objects.get(pk=administrator.pk)


def change_form(client, user):
    """The admin's change form for `user` as its page fills it, ready to post back."""
    page = client.get(reverse("admin:providers_user_change", args=[user.pk]))
    assert page.status_code == 200
    form, data = page.context["adminform"].form, {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if hasattr(field.widget, "widgets"):  # a date and a time
            if value is not None:
                date_part, time_part = field.widget.decompress(value)
                data[f"{name}_0"], data[f"{name}_1"] = (
                    date_part.isoformat(),
                    time_part.strftime("%H:%M:%S"),
                )
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return page, data


def role_ids(*names):
    from django.contrib.auth.models import Group

    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def test_a_grant_in_the_admin_is_recorded_with_the_administrator(as_user, django_admin, team_member):
    client = as_user(django_admin)
    _page, data = change_form(client, team_member)
    data.update(groups=role_ids(TEAM_MEMBER, DIRECTOR), is_chief_executive="on")
    response = client.post(reverse("admin:providers_user_change", args=[team_member.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    team_member = User.objects.get(pk=team_member.pk)
    assert team_member.has_role(DIRECTOR) and team_member.is_chief_executive
    assert {(g.kind, g.acting_user) for g in RoleGrant.objects.all()} == {
        ("role", django_admin),
        ("director_level", django_admin),
    }
    history = client.get(reverse("admin:providers_user_change", args=[team_member.pk])).content.decode()
    assert "Changes to roles, teams and director levels" in history


def test_an_administrator_cannot_change_their_own_roles_in_the_admin(as_user, django_admin):
    client = as_user(django_admin)
    _page, data = change_form(client, django_admin)
    data.update(groups=role_ids(ADMINISTRATOR, DIRECTOR), is_chief_executive="on")
    response = client.post(reverse("admin:providers_user_change", args=[django_admin.pk]), data)
    assert response.status_code == 200
    assert "You may not change your own roles or director levels" in response.content.decode()
    django_admin = User.objects.get(pk=django_admin.pk)
    assert django_admin.role_names == [ADMINISTRATOR] and not django_admin.is_chief_executive
    assert not RoleGrant.objects.exists()


def test_an_administrator_may_still_edit_their_own_details_in_the_admin(as_user, django_admin):
    client = as_user(django_admin)
    _page, data = change_form(client, django_admin)
    data["email"] = "rhian@example.nhs.wales"
    response = client.post(reverse("admin:providers_user_change", args=[django_admin.pk]), data)
    assert response.status_code == 302
    assert User.objects.get(pk=django_admin.pk).email == "rhian@example.nhs.wales"
    assert not RoleGrant.objects.exists()


def test_the_admin_offers_no_way_to_make_a_superuser(as_user, django_admin, team_member):
    client = as_user(django_admin)
    page, data = change_form(client, team_member)
    assert "is_superuser" not in page.context["adminform"].form.fields
    data["is_superuser"] = "on"
    client.post(reverse("admin:providers_user_change", args=[team_member.pk]), data)
    assert not User.objects.get(pk=team_member.pk).is_superuser


def test_the_audit_of_grants_is_read_only_in_the_admin(as_user, django_admin, team_member):
    user_roles_set(user=team_member, acting_user=django_admin, roles=[DIRECTOR])
    client = as_user(django_admin)
    assert client.get(reverse("admin:providers_rolegrant_changelist")).status_code == 200
    grant = RoleGrant.objects.get()
    assert client.post(reverse("admin:providers_rolegrant_delete", args=[grant.pk]), {"post": "yes"}).status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
