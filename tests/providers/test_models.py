import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from tests.providers.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["7A1", "RBS", "NQ1", "RQ3", "7a1", "R", "NCBPS13X", "E.B.3", "AE4H", "X" * 40])
def test_register_codes_are_accepted(code):
    ProviderFactory.build(code=code).full_clean()


@pytest.mark.parametrize("code", ["", "RB S", "X" * 41, "7A1!", "E/B/3"])
def test_other_codes_are_refused(code):
    with pytest.raises(ValidationError):
        ProviderFactory.build(code=code).full_clean()


@pytest.mark.parametrize(
    ("flags", "levels"),
    [
        ({}, []),
        ({"is_service_director": True}, [2]),
        ({"is_executive_director": True}, [3]),
        ({"is_chief_executive": True}, [4]),
        ({"is_service_director": True, "is_chief_executive": True}, [2, 4]),
    ],
)
def test_a_director_owns_the_levels_of_their_roles(flags, levels):
    user = UserFactory.build(**flags)
    assert user.owned_levels == levels
    assert all(user.owns_level(level) for level in levels)
    assert not any(user.owns_level(level) for level in {2, 3, 4} - set(levels))


def test_the_four_roles_exist_with_the_right_powers():
    perms = {group.name: set(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}
    assert set(perms) >= {TEAM_MEMBER, DIRECTOR, COMMITTEE_MEMBER, ADMINISTRATOR}
    assert {"view_provider", "view_contract"} <= perms[TEAM_MEMBER]
    register = ("provider", "service", "commissioningteam", "contract", "contractline", "user")
    register_writes = {f"{action}_{model}" for action in ("add", "change", "delete") for model in register}
    assert not register_writes & (perms[TEAM_MEMBER] | perms[DIRECTOR])
    assert perms[COMMITTEE_MEMBER].isdisjoint({"view_provider", "view_contract"})
    assert {"add_contract", "change_provider", "import_register", "add_user"} <= perms[ADMINISTRATOR]


def test_users_belong_to_teams(team_member):
    assert sorted(team_member.teams.values_list("code", flat=True)) == ["cardiac", "neurosciences"]
    assert team_member.role_names == [TEAM_MEMBER]
