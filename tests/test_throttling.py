"""Login throttling that holds (issue 15): failures count against the connection's address (or
the one a configured number of trusted proxies reports), never a header the client chose, and
each account has its own limit whatever the address."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

RIGHT = "a-long-test-password"


def log_in(client, password, *, remote="198.51.100.9", forwarded=None, username="alice"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_invented_forwarded_addresses_do_not_escape_the_lock(client, team_member):
    """The review's bypass: thirty wrong passwords from thirty invented X-Forwarded-For
    addresses were never locked, and then the right password logged in."""
    statuses = [log_in(client, "wrong-password", forwarded=f"203.0.113.{n}").status_code for n in range(30)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    assert log_in(client, RIGHT, forwarded="192.0.2.200").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_victims_address_in_the_header_does_not_lock_the_victim_out(client, team_member):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, "wrong-password", remote="198.51.100.9", forwarded="203.0.113.50")
    client.cookies.clear()
    victim = log_in(client, RIGHT, remote="203.0.113.50")
    assert victim.status_code == 302 and client.session["_auth_user_id"] == str(team_member.pk)


def test_with_no_trusted_proxy_the_header_is_ignored(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post("/login/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert get_client_ip_address(request) == "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        # One trusted proxy appends the address it saw: the last entry; what the client
        # wrote before it is ignored.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 5.6.7.8, 203.0.113.7", "203.0.113.7"),
        # Two proxies: the outer one's report is second from the end.
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        # Fewer entries than proxies, or rubbish: the connection's address.
        (2, "203.0.113.7", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_behind_trusted_proxies_the_address_they_report_counts(rf, settings, count, header, expected):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.post("/login/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.2")
    assert get_client_ip_address(request) == expected


def test_behind_a_proxy_a_client_cannot_widen_its_count_with_the_header(client, settings, team_member):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The proxy appends the real client (203.0.113.5) to whatever the client sent.
        log_in(client, "wrong-password", remote="10.0.0.2", forwarded=f"192.0.2.{n}, 203.0.113.5")
    assert log_in(client, RIGHT, remote="10.0.0.2", forwarded="192.0.2.99, 203.0.113.5").status_code == 429
    # Another person behind the same proxy is not locked out of the account.
    client.cookies.clear()
    assert log_in(client, RIGHT, remote="10.0.0.2", forwarded="203.0.113.6").status_code == 302


def test_an_account_has_a_limit_that_no_choice_of_address_escapes(client, settings, team_member):
    limit = settings.AXES_ACCOUNT_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        # A different real address each time (a botnet): each stays under the per-address limit.
        assert log_in(client, "wrong-password", remote=f"198.51.100.{n}").status_code == 200
    assert log_in(client, "wrong-password", remote="198.51.100.250").status_code == 429
    assert log_in(client, RIGHT, remote="192.0.2.1").status_code == 429
    # Other accounts are not affected.
    UserFactory = __import__("tests.providers.factories", fromlist=["UserFactory"]).UserFactory
    UserFactory(username="carol")
    assert log_in(client, RIGHT, remote="192.0.2.1", username="carol").status_code == 302
