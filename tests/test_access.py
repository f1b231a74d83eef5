"""Every page of the register against every role: page, 403, or a redirect to log in."""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.contracts.factories import ContractFactory
from tests.providers.factories import ServiceFactory

pytestmark = pytest.mark.django_db

READERS = {"team_member", "other_team_member", "service_director", "executive_director",
           "chief_executive", "administrator"}
ADMINS = {"administrator"}
DIRECTORS = {"service_director", "executive_director", "chief_executive"}
# The objects' provider is commissioned by the Cardiac team: Alice's, not Bob's.
RETURN_READERS = {"team_member", "administrator"} | DIRECTORS
UPLOADERS = {"team_member", "other_team_member", "administrator"}


@pytest.fixture
def objects(db):
    from tests.assurance.factories import IndicatorFactory

    contract = ContractFactory()
    service = ServiceFactory()
    return {"provider": contract.provider, "contract": contract, "service": service,
            "team": contract.commissioning_team, "indicator": IndicatorFactory()}


# (url name, args from the objects, who may open it)
PAGES = [
    ("providers:provider_list", lambda o: [], READERS),
    ("reporting:provider_detail", lambda o: [o["provider"].code], READERS),
    ("providers:provider_create", lambda o: [], ADMINS),
    ("providers:provider_update", lambda o: [o["provider"].code], ADMINS),
    ("providers:provider_delete", lambda o: [o["provider"].code], ADMINS),
    ("providers:service_list", lambda o: [], READERS),
    ("providers:service_create", lambda o: [], ADMINS),
    ("providers:service_update", lambda o: [o["service"].pk], ADMINS),
    ("providers:service_delete", lambda o: [o["service"].pk], ADMINS),
    ("providers:team_list", lambda o: [], READERS),
    ("providers:team_create", lambda o: [], ADMINS),
    ("providers:team_update", lambda o: [o["team"].pk], ADMINS),
    ("providers:team_delete", lambda o: [o["team"].pk], ADMINS),
    ("contracts:contract_list", lambda o: [], READERS),
    ("contracts:contract_detail", lambda o: [o["contract"].pk], READERS),
    ("contracts:contract_create", lambda o: [], ADMINS),
    ("contracts:contract_update", lambda o: [o["contract"].pk], ADMINS),
    ("contracts:contract_delete", lambda o: [o["contract"].pk], ADMINS),
    ("contracts:register_import", lambda o: [], ADMINS),
    ("assurance:collection", lambda o: [], READERS),
    ("assurance:return_entry", lambda o: [o["provider"].code, "2026-09"], RETURN_READERS),
    ("assurance:returns_import", lambda o: [], UPLOADERS),
    ("assurance:trajectory_list", lambda o: [], READERS),
    ("assurance:trajectory_create", lambda o: [], UPLOADERS),
    ("assurance:indicator_list", lambda o: [], READERS),
    ("assurance:indicator_create", lambda o: [], ADMINS),
    ("assurance:indicator_update", lambda o: [o["indicator"].pk], ADMINS),
    ("escalation:provider_escalation", lambda o: [o["provider"].code], READERS),
    ("reporting:dashboard", lambda o: [], READERS | {"committee_member"}),
    ("reporting:highlight_report", lambda o: [o["provider"].code, "2026-09"], RETURN_READERS),
    ("reporting:highlight_edit", lambda o: [o["provider"].code, "2026-09"], {"team_member"}),
    ("reporting:pack_archive", lambda o: [], READERS | {"committee_member"}),
    ("escalation:meeting_create", lambda o: [o["provider"].code], {"team_member"} | DIRECTORS),
    ("escalation:action_plan_create", lambda o: [o["provider"].code], {"team_member"} | DIRECTORS),
    ("escalation:risk_create", lambda o: [o["provider"].code], {"team_member"} | DIRECTORS),
]


@pytest.mark.parametrize(("name", "args", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_the_page_or_403(client, request, objects, name, args, allowed, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name, args=args(objects)))
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize(("name", "args", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_users_are_sent_to_log_in(client, objects, name, args, allowed):
    url = reverse(name, args=args(objects))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "args", "allowed"), [p for p in PAGES if p[2] == ADMINS],
                         ids=[p[0] for p in PAGES if p[2] == ADMINS])
@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - ADMINS))
def test_writes_by_non_administrators_are_refused_and_change_nothing(
        client, request, objects, name, args, allowed, persona):
    from contracts.models import Contract
    from providers.models import Provider

    client.force_login(request.getfixturevalue(persona))
    before = (Provider.objects.count(), Contract.objects.count())
    response = client.post(reverse(name, args=args(objects)), {"code": "ZZZ", "name": "Sneaky"})
    assert response.status_code == 403
    assert (Provider.objects.count(), Contract.objects.count()) == before


def test_home_page_needs_a_login_and_lists_what_the_role_may_do(client, team_member, committee_member):
    assert client.get("/").status_code == 302
    client.force_login(team_member)
    page = client.get("/").content.decode()
    assert 'href="/contracts/"' in page and 'href="/register/import/"' not in page
    client.force_login(committee_member)
    page = client.get("/").content.decode()
    assert 'href="/contracts/"' not in page and 'href="/returns/"' not in page
    assert 'href="/dashboard/"' in page


def test_health_check_is_open(client):
    assert client.get("/health/").json() == {"status": "ok"}
