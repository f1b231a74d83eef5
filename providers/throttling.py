"""Login throttling that a client cannot steer (django-axes, issue 15).

Failures are counted against the address the connection came from (REMOTE_ADDR), or, behind
a configured number of trusted proxies (TRUSTED_PROXY_COUNT), the address the outermost of
them reports: each proxy appends the address it saw to X-Forwarded-For, so the client's is the
TRUSTED_PROXY_COUNT-th entry from the end, and whatever the client wrote before it is ignored.

On top of the limit per account and address (AXES_FAILURE_LIMIT), an account is locked after
AXES_ACCOUNT_FAILURE_LIMIT failures from any addresses together, so spreading guesses over many
real addresses does not escape it either.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address as far as we can trust it (settings.AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    entries = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(entries) < proxies:
        return remote  # not what the configured proxies would send: trust only the connection
    return _address(entries[-proxies]) or remote


def account_failures(request, credentials=None):
    """Failed logins for the account in the cool-off window, from every address."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountLimitHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-account limit as well (settings.AXES_HANDLER).

    Axes compares one number with one limit, so the account's count is scaled to the per-address
    limit: it reaches AXES_FAILURE_LIMIT exactly when the account's failures reach
    AXES_ACCOUNT_FAILURE_LIMIT. The lock-out page is axes' as before.
    """

    def get_failures(self, request, credentials=None):
        pair = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        account_limit = settings.AXES_ACCOUNT_FAILURE_LIMIT
        return max(pair, account_failures(request, credentials) * limit // account_limit)
