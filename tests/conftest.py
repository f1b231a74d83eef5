"""Shared personas (STYLE.md): one user per role, plus a member of another team."""

import os

import pytest

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from tests.providers.factories import UserFactory

# Database: leave it as migrations made it ---------------------------------------------


def _reload_migration_data():
    """Reload the rows serialized after migrations (groups, permissions, teams, ...)."""
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:
            continue
        connection.creation.deserialize_db_from_string(contents)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's fixtures (and so the flush) are torn down, reload the data.

    See tests/browser/conftest.py for why: live_server and transaction=True tests end with a
    FLUSH that empties the tables data migrations filled (roles, permissions, teams).
    """
    marker = item.get_closest_marker("django_db")
    serialized = bool(marker and marker.kwargs.get("serialized_rollback"))
    blocker = (getattr(item, "funcargs", None) or {}).get("django_db_blocker")
    if blocker is None and serialized:  # the test failed before `page` was set up
        try:
            from pytest_django.plugin import blocking_manager_key
        except ImportError:  # a private name that may move
            pass
        else:
            blocker = item.config.stash.get(blocking_manager_key, None)
    try:
        return (yield)
    finally:
        # With no next test, the session's teardown has already dropped the test database.
        if serialized and blocker is not None and nextitem is not None:
            previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright may still be running
            try:
                with blocker.unblock():
                    _reload_migration_data()
            finally:
                if previous is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(request, monkeypatch):
    """`client.force_login` stands for a completed sign-in, which for a director or administrator
    (or anyone with an authenticator) includes the TOTP code (issue 15): the user is given a test
    authenticator if they have none and the session is marked as verified by it, as the code
    step would. Tests of the sign-in itself post to /login/ and /account/two-factor/ instead, or
    use the marker `real_mfa` to keep force_login as Django has it."""
    if request.node.get_closest_marker("real_mfa"):
        return
    from django.test import Client

    from tests.providers.factories import verify_session_if_needed

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session_if_needed(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def api_rate_limit(settings):
    """The API's rate limit counts in a cache the tests share: far above what any test sends,
    so only the tests of the limit itself (which lower it) meet it."""
    settings.API_RATE_LIMIT = "1000000/minute"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what a page cached under a month's ratings version
    (assurance.rating_versions) in one test's database means nothing in the next one's."""
    from django.core.cache import cache

    cache.clear()


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
    "team_member",
    "other_team_member",
    "service_director",
    "executive_director",
    "chief_executive",
    "committee_member",
    "administrator",
    "no_role_user",
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
    return {
        area: IndicatorFactory(code=f"{area}_ind", area=area, setting="planned" if area == "access" else "")
        for area in areas
    }


@pytest.fixture
def objects(db, team_member):
    """For the access matrix and bad-input tests: provider A (Cardiac: Alice's) with everything
    a URL may name; provider B (Mental Health: Bob's)."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from assurance.models import PeriodLock
    from escalation.models import ActionPlan, Meeting, ProviderEscalation, Risk, StepDownProposal
    from providers.models import CommissioningTeam
    from reporting.models import Committee, CommitteePack
    from tests.assurance.factories import IndicatorFactory
    from tests.contracts.factories import ContractFactory, ContractLineFactory
    from tests.providers.factories import ServiceFactory

    contract = ContractFactory(provider__code="AAA")
    # A line, so the contract's actuals page has a grid to enter (a contract with no lines has no form).
    ContractLineFactory(contract=contract, planned_activity=1200, planned_cost=Decimal("600000"))
    provider_b = ContractFactory(
        provider__code="BBB", commissioning_team=CommissioningTeam.objects.get(code="mental_health")
    ).provider
    a = contract.provider
    now = timezone.now()
    ProviderEscalation.objects.create(provider=a, level=3, since=now)
    proposal = StepDownProposal.objects.create(
        provider=a, period=date(2026, 9, 1), from_level=3, proposed_level=1, raised_at=now
    )
    PeriodLock.objects.create(period=date(2026, 8, 1), locked=True)
    meeting = Meeting.objects.create(
        provider=a, kind="sla", date=date(2026, 9, 1), chair="Chair", recorded_by=team_member
    )
    plan = ActionPlan.objects.create(
        provider=a,
        area="access",
        title="Plan",
        actions="x",
        review_points="x",
        next_review=date(2026, 12, 1),
        risk_assessment="x",
        owner="x",
        created_by=team_member,
    )
    risk = Risk.objects.create(
        provider=a, title="Risk", likelihood=2, consequence=2, owner="x", review_date=date(2026, 12, 1)
    )
    from assurance.models import RatingRun
    from reporting.api.tokens import api_token_create

    indicator = IndicatorFactory()
    from escalation.models import IntelligenceEntry

    intelligence = IntelligenceEntry(
        provider=a,
        kind="regulator_report",
        date=date(2026, 9, 1),
        title="HIW report",
        source="HIW",
        severity="high",
        recorded_by=team_member,
    )
    intelligence.attachment.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
    intelligence.save()
    from assurance.models import UploadJob

    upload = UploadJob.objects.create(  # checked, awaiting "Save these changes" (a file with no rows)
        requested_by=team_member,
        kind="returns",
        filename="returns.csv",
        status="done",
        outcome="checked",
        data=b"provider_code,indicator_code,period,value,rag,status,note\n",
        result={"rows": 0},
    )
    packs = {}
    for committee in ("cdgb", "joint_committee"):
        pack = CommitteePack.objects.create(
            committee_id=committee, period=date(2026, 9, 1), period_from=date(2026, 9, 1), status="ready"
        )
        pack.pdf.save("p.pdf", ContentFile(b"%PDF-1.4 test"))
        pack.xlsx.save("p.xlsx", ContentFile(b"PK test"))
        packs[committee] = pack.pk
    return {
        "a": a.code,
        "b": provider_b.code,
        "contract": contract.pk,
        "upload": upload.pk,
        "service": ServiceFactory().pk,
        "team": contract.commissioning_team.pk,
        "spare_team": CommissioningTeam.objects.create(code="spare", name="Spare").pk,
        "indicator": indicator.pk,
        "indicator_code": indicator.code,
        "rating_job": RatingRun.objects.create(periods=["2026-09"], trigger="schedule").pk,
        "token": api_token_create(user=team_member, name="Alice's token")[0].pk,  # Alice's own
        "proposal": proposal.pk,
        "meeting": meeting.pk,
        "plan": plan.pk,
        "risk": risk.pk,
        "intelligence": intelligence.pk,
        "board_pack": packs["cdgb"],
        "joint_pack": packs["joint_committee"],
        "committee": Committee.objects.get(code="board").pk,  # a committee for its edit page (issue 18)
        "person": team_member.pk,  # a user for the people pages (issue 15)
    }
