"""Rate limiting per token (DRF throttling: 429 with Retry-After beyond the rate)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own allowance (`API_RATE_LIMIT`, e.g. "600/minute"); a browser session
    has one per user, and anonymous callers one per address. Counts live in Django's cache."""

    scope = "api"

    def get_rate(self):
        # Read when used, so a deployment (or a test) can change it without a restart of DRF's settings.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
