"""Shared personas (STYLE.md): one user per role, plus a member of another team."""

import pytest

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from tests.providers.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Stored files (committee packs) go to a scratch folder, never the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def team_member(db):
    """Alice, in the Cardiac and Neurosciences teams."""
    return UserFactory(username="alice", role=TEAM_MEMBER, team_codes=["cardiac", "neurosciences"])


@pytest.fixture
def other_team_member(db):
    """Bob, in Mental Health and Vulnerable Groups only."""
    return UserFactory(username="bob", role=TEAM_MEMBER, team_codes=["mental_health"])


@pytest.fixture
def service_director(db):
    return UserFactory(username="sian", role=DIRECTOR, is_service_director=True)


@pytest.fixture
def executive_director(db):
    return UserFactory(username="dafydd", role=DIRECTOR, is_executive_director=True)


@pytest.fixture
def chief_executive(db):
    return UserFactory(username="ceo", role=DIRECTOR, is_chief_executive=True)


@pytest.fixture
def committee_member(db):
    return UserFactory(username="committee", role=COMMITTEE_MEMBER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=ADMINISTRATOR, is_staff=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="norole")


PERSONAS = [
    "team_member", "other_team_member", "service_director", "executive_director",
    "chief_executive", "committee_member", "administrator", "no_role_user",
]


@pytest.fixture
def as_user(client, request):
    """Log the test client in as a persona given by fixture name."""

    def login(persona):
        user = request.getfixturevalue(persona) if isinstance(persona, str) else persona
        client.force_login(user)
        return client

    return login


@pytest.fixture
def catalogue(db):
    """One indicator in each of the five areas (percent, target 95, amber 90)."""
    from tests.assurance.factories import IndicatorFactory

    areas = ["access", "quality_safety", "finance_activity", "patient_experience", "governance"]
    return {area: IndicatorFactory(code=f"{area}_ind", area=area, setting="planned" if area == "access" else "")
            for area in areas}
