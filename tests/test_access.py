"""The authorisation matrix: every URL of the project and both methods against every persona.

The URLs are read from the URL configuration, so a new page cannot escape: a named URL
with no row in MATRIX fails `test_every_url_is_in_the_matrix`, which says what to add.
For each URL, each persona must get what its row says:

- allowed: the page (GET), or a handled post (a form again, a redirect, a 4xx about the data);
- refused: 403 (or the status in `refused`, e.g. 404 where the object is not theirs to see);
- anonymous: a redirect to the login page (unless the page is public);
- a method the URL does not serve: 405 (refused personas may get 403 first), never a 500.

A refused or unserved request must change nothing: the row counts of the register, returns,
ratings, escalation, reporting and their history tables are compared before and after.
Object-level checks come from the objects: provider A is Cardiac's (Alice's team) and
provider B Mental Health's (Bob's), so Bob is refused A's return, plans and reports.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ANON, TEAM, OTHER_TEAM = "anonymous", "team_member", "other_team_member"
SERVICE_DIRECTOR, EXECUTIVE_DIRECTOR, CHIEF_EXECUTIVE = "service_director", "executive_director", "chief_executive"
COMMITTEE, ADMIN, NO_ROLE = "committee_member", "administrator", "no_role_user"
PERSONAS = [ANON, TEAM, OTHER_TEAM, SERVICE_DIRECTOR, EXECUTIVE_DIRECTOR, CHIEF_EXECUTIVE, COMMITTEE, ADMIN, NO_ROLE]

DIRECTORS = frozenset({SERVICE_DIRECTOR, EXECUTIVE_DIRECTOR, CHIEF_EXECUTIVE})
TEAMS = frozenset({TEAM, OTHER_TEAM})
ADMINS = frozenset({ADMIN})
READERS = TEAMS | DIRECTORS | ADMINS  # staff with a role; not the Joint Committee
SCORECARD = READERS | {COMMITTEE}
SIGNED_IN = frozenset(PERSONAS) - {ANON}
EVERYONE = frozenset(PERSONAS)
ALICE_AND_STAFF = frozenset({TEAM}) | DIRECTORS | ADMINS  # provider A's team, directors, administrators


@dataclass(frozen=True)
class Row:
    """Who may use a URL. `get`/`post` None: the URL does not serve that method."""

    path: object  # objects -> path (with any query string)
    get: frozenset | None = None
    post: frozenset | None = None
    get_status: int = 200  # what an allowed GET returns (302 for a redirecting page)
    signed_in_get_status: int | None = None  # when signed-in users get something else (the login page)
    refused: dict = field(default_factory=dict)  # persona -> status instead of 403
    public: bool = False  # anonymous users are served too
    anonymous_status: int | None = None  # an API endpoint: anonymous callers get this (401), not the login page


def p(template):
    return lambda o: template.format(**o)


MATRIX = {
    # Site
    "home": Row(p("/"), get=SIGNED_IN),
    "health": Row(p("/health/"), get=EVERYONE, public=True),
    "reporting:reminder_settings": Row(p("/account/reminders/"), get=SIGNED_IN, post=SIGNED_IN),  # one's own
    "login": Row(p("/login/"), get=EVERYONE, post=EVERYONE, public=True, signed_in_get_status=302),
    "logout": Row(p("/logout/"), post=EVERYONE, public=True),
    "language_switch": Row(p("/language/"), post=EVERYONE, public=True),
    # Your account (issue 15): everyone signed in; the pages reached from emails are public.
    "account:index": Row(p("/account/"), get=SIGNED_IN),
    "account:password_change": Row(p("/account/password/"), get=SIGNED_IN, post=SIGNED_IN),
    # Verified (or owing no code): sent on; a director without a code would be shown the form.
    "account:mfa_verify": Row(p("/account/two-factor/"), get=SIGNED_IN, post=SIGNED_IN, get_status=302),
    "account:mfa_setup": Row(p("/account/two-factor/set-up/"), get=SIGNED_IN, post=SIGNED_IN),
    "account:recovery_codes": Row(p("/account/two-factor/recovery-codes/"), post=SIGNED_IN),
    "account:sign_out_everywhere": Row(p("/account/sign-out-everywhere/"), post=SIGNED_IN),
    "account:invitation_accept": Row(
        p("/account/invitation/MQ/no-such-token/"), get=EVERYONE, post=EVERYONE, public=True, get_status=400
    ),
    "account:password_reset": Row(p("/account/password-reset/"), get=EVERYONE, post=EVERYONE, public=True),
    "account:password_reset_done": Row(p("/account/password-reset/sent/"), get=EVERYONE, public=True),
    "account:password_reset_confirm": Row(
        p("/account/password-reset/MQ/no-such-token/"), get=EVERYONE, post=EVERYONE, public=True
    ),
    "account:password_reset_complete": Row(p("/account/password-reset/complete/"), get=EVERYONE, public=True),
    # Single sign-on: not found while it is switched off (tests/providers/test_identity_sso.py).
    "oidc_authentication_init": Row(p("/oidc/authenticate/"), get=EVERYONE, public=True, get_status=404),
    "oidc_authentication_callback": Row(p("/oidc/callback/"), get=EVERYONE, public=True, get_status=404),
    # People management: register administrators only.
    "people:list": Row(p("/people/"), get=ADMINS),
    "people:invite": Row(p("/people/invite/"), get=ADMINS, post=ADMINS),
    "people:detail": Row(p("/people/{person}/"), get=ADMINS),
    "people:access": Row(p("/people/{person}/access/"), get=ADMINS, post=ADMINS),
    "people:invite_again": Row(p("/people/{person}/invite-again/"), post=ADMINS),
    "people:deactivate": Row(p("/people/{person}/deactivate/"), get=ADMINS, post=ADMINS),
    "people:reactivate": Row(p("/people/{person}/reactivate/"), post=ADMINS),
    "people:mfa_reset": Row(p("/people/{person}/reset-two-factor/"), get=ADMINS, post=ADMINS),
    # The register: everyone with a staff role reads it; administrators change it.
    "providers:provider_list": Row(p("/providers/"), get=READERS),
    "providers:provider_create": Row(p("/providers/new/"), get=ADMINS, post=ADMINS),
    "providers:provider_update": Row(p("/providers/{a}/edit/"), get=ADMINS, post=ADMINS),
    "providers:provider_delete": Row(p("/providers/{b}/delete/"), get=ADMINS, post=ADMINS),
    "providers:service_list": Row(p("/services/"), get=READERS),
    "providers:service_create": Row(p("/services/new/"), get=ADMINS, post=ADMINS),
    "providers:service_update": Row(p("/services/{service}/edit/"), get=ADMINS, post=ADMINS),
    "providers:service_delete": Row(p("/services/{service}/delete/"), get=ADMINS, post=ADMINS),
    "providers:team_list": Row(p("/teams/"), get=READERS),
    "providers:team_create": Row(p("/teams/new/"), get=ADMINS, post=ADMINS),
    "providers:team_update": Row(p("/teams/{team}/edit/"), get=ADMINS, post=ADMINS),
    "providers:team_delete": Row(p("/teams/{spare_team}/delete/"), get=ADMINS, post=ADMINS),
    "contracts:contract_list": Row(p("/contracts/"), get=READERS),
    "contracts:contract_create": Row(p("/contracts/new/"), get=ADMINS, post=ADMINS),
    "contracts:contract_detail": Row(p("/contracts/{contract}/"), get=READERS),
    "contracts:contract_update": Row(p("/contracts/{contract}/edit/"), get=ADMINS, post=ADMINS),
    "contracts:contract_delete": Row(p("/contracts/{contract}/delete/"), get=ADMINS, post=ADMINS),
    "assurance:register_import": Row(p("/register/import/"), get=ADMINS, post=ADMINS),
    # Monthly collection: teams enter and upload for their own providers.
    "assurance:collection": Row(p("/returns/"), get=READERS),
    "assurance:returns_import": Row(p("/returns/upload/"), get=TEAMS | ADMINS, post=TEAMS | ADMINS),
    # An upload's page and progress: only the person who uploaded it (others: not found).
    "assurance:upload_job": Row(
        p("/returns/upload/{upload}/"), get={TEAM}, post={TEAM}, refused={OTHER_TEAM: 404, ADMIN: 404}
    ),
    "assurance:upload_job_status": Row(
        p("/returns/upload/{upload}/status/"), get={TEAM}, refused={OTHER_TEAM: 404, ADMIN: 404}
    ),
    "assurance:return_template": Row(
        p("/returns/template/?team=cardiac&period=2026-09"), get={TEAM, ADMIN}, refused={OTHER_TEAM: 404}
    ),  # not his team: no such template
    "assurance:return_entry": Row(p("/returns/{a}/2026-09/"), get=ALICE_AND_STAFF, post={TEAM}, refused={}),
    "assurance:indicator_list": Row(p("/indicators/"), get=READERS),
    "assurance:indicator_create": Row(p("/indicators/new/"), get=ADMINS, post=ADMINS),
    "assurance:indicator_update": Row(p("/indicators/{indicator}/edit/"), get=ADMINS, post=ADMINS),
    "assurance:indicator_target_create": Row(p("/indicators/{indicator}/targets/new/"), get=ADMINS, post=ADMINS),
    "assurance:trajectory_list": Row(p("/trajectories/"), get=READERS),
    "assurance:trajectory_create": Row(p("/trajectories/new/"), get=TEAMS | ADMINS, post=TEAMS | ADMINS),
    # Queries on values (teams that enter the return, directors) and return for correction (directors).
    "assurance:query_raise": Row(p("/returns/{a}/2026-09/queries/"), post={TEAM} | DIRECTORS),
    "assurance:query_answer": Row(p("/returns/{a}/2026-09/queries/1/"), post={TEAM} | DIRECTORS),
    "assurance:return_send_back": Row(p("/returns/{a}/2026-09/send-back/"), post=DIRECTORS),
    # A team's grid for a month: its own teams only (another team is not found). The key area of the
    # objects' indicator (quality and safety), so the grid has cells to enter (access has none).
    "assurance:team_grid": Row(
        p("/returns/grid/?team=cardiac&period=2026-09&area=quality_safety"),
        get={TEAM},
        post={TEAM},
        refused={OTHER_TEAM: 404},
    ),
    "assurance:lock_period": Row(p("/periods/2026-09/lock/"), post=DIRECTORS | ADMINS),
    "assurance:unlock_period": Row(p("/periods/2026-08/unlock/"), get=ADMINS, post=ADMINS),
    "assurance:rating_runs": Row(p("/ratings/jobs/"), get=READERS),
    # Contract actuals (METHODOLOGY 9): everyone with a staff role reads them; the contract's own
    # team (and administrators) enter them.
    "assurance:contract_actuals": Row(p("/contracts/{contract}/actuals/"), get=READERS, post={TEAM, ADMIN}),
    "assurance:activity_import": Row(p("/actuals/upload/"), get=TEAMS | ADMINS, post=TEAMS | ADMINS),
    "assurance:activity_template": Row(
        p("/actuals/template/?team=cardiac&year=2026"), get={TEAM, ADMIN}, refused={OTHER_TEAM: 404}
    ),  # not his team: no such template
    # Escalation: directors decide; teams record meetings, plans and risks for their providers.
    "escalation:provider_escalation": Row(p("/providers/{a}/escalation/"), get=READERS),
    "escalation:escalate": Row(p("/providers/{a}/escalation/escalate/"), post=DIRECTORS),
    "escalation:override": Row(p("/providers/{a}/escalation/override/"), post=DIRECTORS),
    # The Executive Committee's decision (special measures): the Chief Executive only.
    "escalation:executive_decision": Row(p("/providers/{a}/escalation/executive-decision/"), post={CHIEF_EXECUTIVE}),
    # Level 3 is the Executive Director's to decide.
    "escalation:decide_proposal": Row(p("/providers/{a}/escalation/proposals/{proposal}/"), post={EXECUTIVE_DIRECTOR}),
    "escalation:meeting_create": Row(
        p("/providers/{a}/meetings/new/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:meeting_update": Row(
        p("/providers/{a}/meetings/{meeting}/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:action_plan_create": Row(
        p("/providers/{a}/action-plans/new/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:action_plan_update": Row(
        p("/providers/{a}/action-plans/{plan}/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:risk_create": Row(p("/providers/{a}/risks/new/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS),
    "escalation:risk_update": Row(p("/providers/{a}/risks/{risk}/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS),
    "escalation:risk_register": Row(p("/risks/team/"), get=READERS),
    "escalation:intelligence_list": Row(p("/providers/{a}/intelligence/"), get=ALICE_AND_STAFF),
    "escalation:intelligence_create": Row(
        p("/providers/{a}/intelligence/new/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:intelligence_update": Row(
        p("/providers/{a}/intelligence/{intelligence}/"), get={TEAM} | DIRECTORS, post={TEAM} | DIRECTORS
    ),
    "escalation:intelligence_attachment": Row(
        p("/providers/{a}/intelligence/{intelligence}/attachment/"), get=ALICE_AND_STAFF
    ),
    # Reporting: the Joint Committee reads the scorecard and its own packs, nothing else.
    "reporting:dashboard": Row(p("/dashboard/"), get=SCORECARD),
    "reporting:provider_detail": Row(p("/providers/{a}/"), get=READERS),
    "reporting:highlight_latest": Row(p("/providers/{a}/highlight/"), get=ALICE_AND_STAFF, get_status=302),
    "reporting:highlight_report": Row(p("/providers/{a}/highlight/2026-09/"), get=ALICE_AND_STAFF),
    "reporting:highlight_edit": Row(p("/providers/{a}/highlight/2026-09/edit/"), get={TEAM}, post={TEAM}),
    "reporting:finance": Row(p("/finance/"), get=READERS),
    "reporting:finance_csv": Row(p("/finance/csv/"), get=READERS),
    "reporting:finance_xlsx": Row(p("/finance/xlsx/"), get=READERS),
    "reporting:pack_archive": Row(p("/packs/"), get=SCORECARD),
    "reporting:pack_request": Row(p("/packs/new/"), post=DIRECTORS | ADMINS),
    "reporting:pack_detail": Row(p("/packs/{board_pack}/"), get=READERS, refused={COMMITTEE: 404}),
    "reporting:pack_status": Row(p("/packs/{joint_pack}/status/"), get=SCORECARD),
    "reporting:pack_pdf": Row(p("/packs/{board_pack}/pdf/"), get=READERS, refused={COMMITTEE: 404}),
    "reporting:pack_xlsx": Row(p("/packs/{joint_pack}/xlsx/"), get=SCORECARD),
    # The API (reporting/api/): what each endpoint's page allows; here through the session (the
    # tokens' own tests show a token gets exactly its owner's answers). Anonymous callers get 401.
    "api:schema": Row(p("/api/v1/schema/"), get=EVERYONE, public=True),
    "api:docs": Row(p("/api/v1/docs/"), get=SIGNED_IN),
    "api:provider_list": Row(p("/api/v1/providers/"), get=READERS, anonymous_status=401),
    "api:provider_detail": Row(p("/api/v1/providers/{a}/"), get=READERS, anonymous_status=401),
    "api:contract_list": Row(p("/api/v1/contracts/"), get=READERS, anonymous_status=401),
    "api:contract_detail": Row(p("/api/v1/contracts/{contract}/"), get=READERS, anonymous_status=401),
    "api:indicator_list": Row(p("/api/v1/indicators/"), get=READERS, anonymous_status=401),
    "api:indicator_detail": Row(p("/api/v1/indicators/{indicator_code}/"), get=READERS, anonymous_status=401),
    "api:rating_list": Row(p("/api/v1/ratings/"), get=SCORECARD, anonymous_status=401),
    "api:indicator_rating_list": Row(p("/api/v1/indicator-ratings/"), get=READERS, anonymous_status=401),
    "api:rating_job": Row(p("/api/v1/rating-jobs/{rating_job}/"), get=READERS, anonymous_status=401),
    "api:level_list": Row(p("/api/v1/escalation/levels/"), get=READERS, anonymous_status=401),
    "api:decision_list": Row(p("/api/v1/escalation/decisions/"), get=READERS, anonymous_status=401),
    "api:pack_list": Row(p("/api/v1/packs/"), get=SCORECARD, anonymous_status=401),
    "api:pack_detail": Row(
        p("/api/v1/packs/{board_pack}/"), get=READERS, refused={COMMITTEE: 404}, anonymous_status=401
    ),
    "api:pack_pdf": Row(
        p("/api/v1/packs/{board_pack}/pdf/"), get=READERS, refused={COMMITTEE: 404}, anonymous_status=401
    ),
    "api:pack_xlsx": Row(p("/api/v1/packs/{joint_pack}/xlsx/"), get=SCORECARD, anonymous_status=401),
    # Returns are read by those who read returns and written by team members only (a form post: 415).
    "api:returns": Row(p("/api/v1/returns/"), get=READERS, post=TEAMS, anonymous_status=401),
    "api:finance": Row(p("/api/v1/finance/"), get=READERS, anonymous_status=401),
    # A user's own API tokens: everyone signed in has the page; Alice's token is Alice's alone.
    "api_tokens:token_list": Row(p("/account/tokens/"), get=SIGNED_IN, post=SIGNED_IN),
    "api_tokens:token_revoke": Row(
        p("/account/tokens/{token}/revoke/"),
        get={TEAM},
        post={TEAM},
        refused=dict.fromkeys(SIGNED_IN - {TEAM}, 404),
    ),
    # Committees are configuration kept by administrators (issue 18).
    "reporting:committee_list": Row(p("/packs/committees/"), get=ADMINS),
    "reporting:committee_create": Row(p("/packs/committees/new/"), get=ADMINS, post=ADMINS),
    "reporting:committee_update": Row(p("/packs/committees/{committee}/edit/"), get=ADMINS, post=ADMINS),
}

# What a refused user might try to post: plausible values for most forms' fields.
SNEAKY = {
    "code": "ZZZ",
    "name": "Sneaky",
    "reference": "SNEAKY-1",
    "reason": "because",
    "rationale": "because",
    "decision": "approve",
    "to_level": "4",
    "reasons": "media_exposure",
    "area": "access",
    "rag": "R",
    "commentary": "sneaky words",
    "governance": "",
    "version": "0",
    "committee": "joint_committee",
    "period": "2026-09",
    "title": "Sneaky plan",
    "kind": "sla",
    "date": "2026-10-01",
    "chair": "Someone",
    "language": "cy",
    "next": "/",
}


def url_names(resolver=None, namespace=None):
    """Every named URL pattern, namespaced, outside the Django admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = pattern.namespace
            yield from url_names(pattern, f"{namespace}:{inner}" if namespace and inner else (inner or namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    names = set(url_names())
    missing, stale = sorted(names - set(MATRIX)), sorted(set(MATRIX) - names)
    assert not missing, "Add a row to tests/test_access.py MATRIX for: " + ", ".join(missing)
    assert not stale, "MATRIX rows for URLs that no longer exist: " + ", ".join(stale)


WATCHED = [
    "providers.Provider",
    "providers.Service",
    "providers.CommissioningTeam",
    "providers.User",
    "contracts.Contract",
    "contracts.ContractLine",
    "contracts.LineActual",
    "assurance.Indicator",
    "assurance.MonthlyReturn",
    "assurance.IndicatorValue",
    "assurance.Trajectory",
    "assurance.PeriodLockEvent",
    "assurance.AreaOverride",
    "assurance.RatingRun",
    "escalation.EscalationDecision",
    "escalation.Meeting",
    "escalation.MeetingAction",
    "escalation.ActionPlan",
    "escalation.Risk",
    "reporting.CommitteePack",
    "reporting.HighlightReport",
    "reporting.ApiToken",
]


def fingerprint():
    """Row counts of the watched tables and their history tables, pending proposals and levels."""
    from escalation.models import ProviderEscalation, StepDownProposal

    counts = {}
    for label in WATCHED:
        model = apps.get_model(label)
        counts[label] = model.objects.count()
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{label} history"] = history.count()
    counts["pending proposals"] = StepDownProposal.objects.filter(status="pending").count()
    counts["levels"] = sorted(ProviderEscalation.objects.values_list("provider_id", "level"))
    return counts


def outcome(client, method, path):
    data = SNEAKY if method == "post" else None
    response = getattr(client, method)(path, data)
    return response


def check(row, name, persona, method, response, path):
    """What went wrong for this persona and method, or None."""
    allowed = getattr(row, method)
    status = response.status_code
    login = status == 302 and response["Location"].startswith("/login/?next=")
    if persona == ANON and row.anonymous_status is not None:
        login = status == row.anonymous_status  # the API asks for credentials instead
    if status >= 500:
        return f"{status} (server error)"
    if allowed is None:  # the URL does not serve this method
        if persona == ANON and not row.public:
            return None if status == 405 or login else f"{status}, expected 405 or the login page"
        if persona in (getattr(row, "get") or set()) | (getattr(row, "post") or set()) or row.public:
            return None if status == 405 else f"{status}, expected 405"
        return None if status in (403, 405) else f"{status}, expected 403 or 405"
    if persona == ANON and not row.public:
        return None if login else f"{status}, expected the login page"
    if persona in allowed:
        if method == "get":
            wanted = row.signed_in_get_status if row.signed_in_get_status and persona != ANON else row.get_status
            return None if status == wanted else f"{status}, expected {wanted}"
        # 415 and 422: the API refusing a form post's media type or its rows
        handled = (200, 204, 302, 400, 409, 415, 422)
        return None if status in handled and not login else f"{status}, expected a handled post"
    expected = row.refused.get(persona, 403)
    return None if status == expected else f"{status}, expected {expected}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_what_the_matrix_says(name, objects, client, request):
    row = MATRIX[name]
    path = row.path(objects)
    problems = []
    # Refused personas first, then the allowed ones (whose posts may change things).
    order = sorted(PERSONAS, key=lambda persona: persona in ((row.get or set()) | (row.post or set())))
    for method in ("get", "post"):
        for persona in order:
            client.logout()
            if persona != ANON:
                client.force_login(request.getfixturevalue(persona))
            allowed = getattr(row, method)
            refused = allowed is None or persona not in allowed or (persona == ANON and not row.public)
            before = fingerprint() if refused else None
            response = outcome(client, method, path)
            problem = check(row, name, persona, method, response, path)
            if problem:
                problems.append(f"{method.upper()} {path} as {persona}: {problem}")
            if refused and fingerprint() != before:
                problems.append(f"{method.upper()} {path} as {persona}: refused, yet the data changed")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_gets_into_the_django_admin(persona, client, request):
    """Not even the register administrator (issue 15: it could make itself superuser there):
    people are managed at /people/; the Django admin is for verified superusers only."""
    if persona != ANON:
        client.force_login(request.getfixturevalue(persona))
    for path in ("/admin/", "/admin/providers/provider/", "/admin/providers/user/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), path


def test_a_superuser_with_a_second_factor_gets_into_the_django_admin_only_when_it_is_on(client, settings):
    from tests.providers.factories import UserFactory

    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)  # with the second factor (tests/conftest.py)
    settings.ADMIN_ENABLED = True
    assert client.get("/admin/providers/user/").status_code == 200
    settings.ADMIN_ENABLED = False  # production's default (DEBUG=0)
    for path in ("/admin/", "/admin/providers/user/", "/admin/login/"):
        assert client.get(path).status_code == 404, path


@pytest.mark.real_mfa
def test_a_superuser_without_a_second_factor_is_kept_out_of_the_django_admin(client, settings):
    from tests.providers.factories import UserFactory

    settings.ADMIN_ENABLED = True
    settings.MFA_REQUIRED = False  # even with the product's own requirement off
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get("/admin/providers/user/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_session_ends_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) <= timedelta(hours=8)


def test_home_page_lists_what_the_role_may_do(client, team_member, committee_member):
    client.force_login(team_member)
    page = client.get("/").content.decode()
    assert 'href="/contracts/"' in page and 'href="/register/import/"' not in page
    client.force_login(committee_member)
    page = client.get("/").content.decode()
    assert 'href="/contracts/"' not in page and 'href="/returns/"' not in page
    assert 'href="/dashboard/"' in page and 'href="/packs/"' in page


def test_health_check_is_open(client):
    assert client.get("/health/").json() == {"status": "ok"}
