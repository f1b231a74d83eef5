"""Personal API tokens: made and revoked on the account page, stored hashed and shown once,
acting exactly as their owner (never more), audited on every use, and rate limited."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.api.tokens import api_token_create
from reporting.models import ApiToken, ApiTokenUse
from tests.reporting.api_helpers import api_client
from tests.reporting.test_api_reads import PERSONAS, endpoints, estate  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
TOKENS = "/account/tokens/"


def test_a_token_is_made_on_the_account_page_and_shown_once(client, team_member):
    client.force_login(team_member)
    response = client.post(TOKENS, {"name": "Power BI", "expires": "90"}, follow=True)
    page = response.content.decode()
    token = ApiToken.objects.get(user=team_member)
    plain = page.split('id="new-token">')[1].split("<")[0]
    assert plain.startswith(f"pat_{token.prefix}_") and "It will not be shown again" in page
    assert token.secret_hash == hashlib.sha256(plain.encode()).hexdigest() and plain not in token.secret_hash
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert plain not in client.get(TOKENS).content.decode()  # shown once
    assert api_client(token=plain).get("/api/v1/providers/").status_code == 200


def test_a_token_needs_a_name(client, team_member):
    client.force_login(team_member)
    response = client.post(TOKENS, {"name": "  ", "expires": "never"})
    assert "Enter a name for the token." in response.content.decode() and not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(client, team_member):
    token, plain = api_token_create(user=team_member, name="Warehouse")
    client.force_login(team_member)
    assert "Are you sure you want to revoke" in client.get(f"{TOKENS}{token.pk}/revoke/").content.decode()
    client.post(f"{TOKENS}{token.pk}/revoke/")
    assert api_client(token=plain).get("/api/v1/providers/").status_code == 401
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_nobody_sees_or_revokes_another_users_token(client, team_member, other_team_member):
    token, plain = api_token_create(user=team_member, name="Mine")
    client.force_login(other_team_member)
    assert "Mine" not in client.get(TOKENS).content.decode()
    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 404
    assert api_client(token=plain).get("/api/v1/providers/").status_code == 200


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token, user: ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        ),
        lambda token, user: type(user).objects.filter(pk=user.pk).update(is_active=False),
        lambda token, user: ApiToken.objects.filter(pk=token.pk).update(secret_hash="0" * 64),
    ],
    ids=["expired", "owner deactivated", "wrong secret"],
)
def test_a_token_that_is_expired_or_whose_owner_is_deactivated_is_refused(team_member, spoil):
    token, plain = api_token_create(user=team_member, name="x")
    spoil(token, team_member)
    response = api_client(token=plain).get("/api/v1/providers/")
    assert response.status_code == 401 and "not valid" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer", "Bearer pat_x_y z", "Bearer pat_nope_nope", "Bearer nonsense"])
def test_a_malformed_token_is_refused(client, header, team_member):
    assert client.get("/api/v1/providers/", HTTP_AUTHORIZATION=header).status_code == 401


def test_every_use_is_audited_with_the_token_and_its_last_use(team_member):
    token, plain = api_token_create(user=team_member, name="Audit")
    client = api_client(token=plain)
    client.get("/api/v1/providers/?team=cardiac")
    client.get("/api/v1/packs/999/")
    uses = list(
        ApiTokenUse.objects.filter(token=token).order_by("at", "pk").values_list("method", "path", "status_code")
    )
    assert uses == [("GET", "/api/v1/providers/?team=cardiac", 200), ("GET", "/api/v1/packs/999/", 404)]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_rate_is_limited_per_token_with_retry_after(settings, team_member):
    settings.API_RATE_LIMIT = "3/minute"
    cache.clear()
    first, second = api_client(team_member), api_client(team_member)
    assert [first.get("/api/v1/providers/").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/providers/")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert second.get("/api/v1/providers/").status_code == 200  # another token has its own allowance
    cache.clear()


QUERIES = [{}, {"period": "2026-10"}, {"team": "cardiac"}, {"team": "mental_health"}, {"provider": "AAA"}, {"level": 3}]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_token_never_has_more_than_its_owner(estate, request, data):  # noqa: F811 - the fixture
    """Whatever the endpoint and query, a token's answer is its owner's own signed-in answer."""
    persona = data.draw(st.sampled_from(PERSONAS))
    path = data.draw(st.sampled_from(sorted(endpoints(estate))))
    query = data.draw(st.sampled_from(QUERIES))
    user = request.getfixturevalue(persona)
    from django.test import Client

    session = Client()
    session.force_login(user)
    by_session, by_token = session.get(path, query), api_client(user).get(path, query)
    assert by_token.status_code == by_session.status_code
    if by_session["Content-Type"] == "application/json":
        assert by_token.json() == by_session.json()


def test_a_request_that_fails_is_audited_too(team_member, monkeypatch):
    from reporting.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ProviderList, "list", boom)
    token, plain = api_token_create(user=team_member, name="Audit")
    client = api_client(token=plain)
    client.raise_request_exception = False
    assert client.get("/api/v1/providers/").status_code == 500
    assert list(ApiTokenUse.objects.filter(token=token).values_list("path", "status_code")) == [
        ("/api/v1/providers/", 500)
    ]


def test_the_account_page_links_to_the_tokens(client, team_member):
    client.force_login(team_member)
    assert 'href="/account/tokens/"' in client.get("/account/").content.decode()
