"""assurance.access: every persona against every predicate, as a table (DESIGN.md, "Who uses it").

Provider A is the Cardiac team's (Alice's), provider B Mental Health's (Bob's). Team members
are limited to their teams' providers; directors and administrators are not limited by team,
only by their permissions.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from assurance import access
from assurance.models import MonthlyReturn
from providers.models import CommissioningTeam, Provider
from tests.assurance.factories import MonthlyReturnFactory
from tests.conftest import PERSONAS
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(db):
    """A and B as above; C holds only a draft contract with Cardiac; D an expired one."""
    a = ContractFactory(provider__code="AAA").provider
    b = ContractFactory(
        provider__code="BBB", commissioning_team=CommissioningTeam.objects.get(code="mental_health")
    ).provider
    c = ContractFactory(provider__code="CCC", status="draft").provider
    d = ContractFactory(
        provider__code="DDD",
        status="expired",
        start_date=date(2020, 4, 1),
        end_date=date(2023, 3, 31),
    ).provider
    return {
        "a": a,
        "b": b,
        "draft_only": c,
        "expired": d,
        "draft": MonthlyReturnFactory(provider=a, period=date(2026, 9, 1), status="draft"),
        "submitted": MonthlyReturnFactory(provider=a, period=date(2026, 8, 1), status="submitted"),
    }


def fresh(request, persona):
    """The persona as a request would load it: nothing kept from an earlier question."""
    return get_user_model().objects.get(pk=request.getfixturevalue(persona).pk)


# Each predicate, asked about provider A.
PREDICATES = {
    "can_enter_return": lambda user, e: access.can_enter_return(user, e["a"]),
    "can_view_return": lambda user, e: access.can_view_return(user, e["a"]),
    "can_only_view_return": lambda user, e: access.can_only_view_return(user, e["a"]),
    "can_view_draft_values": lambda user, e: access.can_view_return_values(user, e["draft"]),
    "can_view_submitted_values": lambda user, e: access.can_view_return_values(user, e["submitted"]),
    "can_upload_returns": lambda user, e: access.can(user, access.UPLOAD_RETURNS, e["a"]),
    "can_view_trajectories": lambda user, e: access.can(user, access.VIEW_TRAJECTORIES, e["a"]),
    "can_agree_trajectory": lambda user, e: access.can(user, access.AGREE_TRAJECTORY, e["a"]),
    "can_record": lambda user, e: access.can_record(user, e["a"]),
    "can_change_a_risk": lambda user, e: access.can_record(user, e["a"], action="escalation.change_risk"),
    "can_read_highlight": lambda user, e: access.can_read_highlight(user, e["a"]),
    "can_write_highlight": lambda user, e: access.can_write_highlight(user, e["a"]),
}
DIRECTOR = {
    "can_view_return",
    "can_only_view_return",
    "can_view_submitted_values",
    "can_view_trajectories",
    "can_record",
    "can_change_a_risk",
    "can_read_highlight",
}
# What each persona may do for provider A; every other predicate is False.
ALLOWED = {
    "team_member": set(PREDICATES) - {"can_only_view_return"},
    "other_team_member": set(),
    "service_director": DIRECTOR,
    "executive_director": DIRECTOR,
    "chief_executive": DIRECTOR,
    "committee_member": set(),
    "administrator": {
        "can_view_return",
        "can_only_view_return",
        "can_view_submitted_values",
        "can_upload_returns",
        "can_view_trajectories",
        "can_agree_trajectory",
        "can_read_highlight",
    },
    "no_role_user": set(),
}


def test_the_table_covers_every_persona():
    assert set(ALLOWED) == set(PERSONAS)


@pytest.mark.parametrize("predicate", list(PREDICATES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_against_each_predicate(request, estate, persona, predicate):
    assert PREDICATES[predicate](fresh(request, persona), estate) is (predicate in ALLOWED[persona])


# The same acts through the scopes, the querysets views and selectors filter with.
ACTIONS = {
    access.ENTER_RETURN: "can_enter_return",
    access.UPLOAD_RETURNS: "can_upload_returns",
    access.VIEW_TRAJECTORIES: "can_view_trajectories",
    access.AGREE_TRAJECTORY: "can_agree_trajectory",
    access.RECORD: "can_record",
    access.READ_HIGHLIGHT: "can_read_highlight",
    access.WRITE_HIGHLIGHT: "can_write_highlight",
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_scopes_hold_what_the_predicates_allow(request, estate, persona, action):
    user = fresh(request, persona)
    providers = {estate[key] for key in ("a", "b", "draft_only", "expired")}
    expected = {p for p in providers if access.can(user, action, p)}
    assert (estate["a"] in expected) is (ACTIONS[action] in ALLOWED[persona])
    assert set(access.provider_scope(user, action)) & providers == expected
    assert {p.pk for p in providers} & access.provider_ids(user, action) == {p.pk for p in expected}
    restricted = access.restrict(MonthlyReturn.objects.all(), user, action)
    assert set(restricted.values_list("provider_id", flat=True)) == {p.pk for p in expected} & {estate["a"].pk}


def test_a_team_member_reaches_only_providers_their_teams_commission_from(request, estate):
    alice = fresh(request, "team_member")
    assert set(access.provider_scope(alice, access.ENTER_RETURN)) == {
        estate["a"],
        estate["expired"],
    }
    # A draft contract commissions nothing; an expired one still ties the provider to the team.
    assert not access.can_enter_return(alice, estate["draft_only"])
    assert access.can_enter_return(alice, estate["expired"])
    bob = fresh(request, "other_team_member")
    assert set(access.provider_scope(bob, access.RECORD)) == {estate["b"]}


def test_directors_and_administrators_are_not_limited_by_team(request, estate):
    for persona in ("service_director", "executive_director", "chief_executive", "administrator"):
        user = fresh(request, persona)
        assert not access.is_team_limited(user)
        assert access.return_access(user, estate["draft_only"]) == access.VIEW
        assert set(access.provider_scope(user, access.READ_HIGHLIGHT)) == set(Provider.objects.all())


def test_return_access_edits_views_or_refuses(request, estate):
    assert access.return_access(fresh(request, "team_member"), estate["a"]) == access.EDIT
    assert access.return_access(fresh(request, "service_director"), estate["a"]) == access.VIEW
    for persona in ("other_team_member", "committee_member", "no_role_user"):
        with pytest.raises(PermissionDenied):
            access.return_access(fresh(request, persona), estate["a"])


def test_highlight_access_says_whether_the_reader_may_write(request, estate):
    assert access.highlight_access(fresh(request, "team_member"), estate["a"]) is True
    assert access.highlight_access(fresh(request, "administrator"), estate["a"]) is False
    for persona in ("other_team_member", "committee_member", "no_role_user"):
        with pytest.raises(PermissionDenied):
            access.highlight_access(fresh(request, persona), estate["a"])


def test_team_members_work_for_their_own_teams_and_everyone_else_for_all(request, estate):
    codes = {t.code for t in access.team_scope(fresh(request, "team_member"))}
    assert codes == {"cardiac", "neurosciences"}
    assert set(access.team_scope(fresh(request, "administrator"))) == set(CommissioningTeam.objects.all())


def test_the_team_limit_is_read_once_per_user(request, estate, django_assert_num_queries):
    alice = fresh(request, "team_member")
    access.can_enter_return(alice, estate["a"])  # permissions and the team's providers, read now
    with django_assert_num_queries(0):
        for provider in (estate["a"], estate["b"], estate["draft_only"], estate["expired"]):
            access.can_enter_return(alice, provider)
            access.can_record(alice, provider)
            access.can_write_highlight(alice, provider)
