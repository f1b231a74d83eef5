"""Personal API tokens: made, found and revoked here, once (the account page and the
authentication both call these).

A token reads `pat_<prefix>_<secret>`: the prefix (public, unique) finds the row, and only
the SHA-256 of the whole token is stored, compared in constant time. A secret of 32 random
bytes needs no slow hash: it cannot be guessed, only stolen, and what is stored cannot be used.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ApiToken, ApiTokenUse

TOKEN_START = "pat_"  # nosec B105 - the public start of every token, not a secret
MAX_TOKENS_PER_USER = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: (the row, the whole token, to be shown once and never again)."""
    prefix = secrets.token_hex(6)
    plain = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, secret_hash=_digest(plain), expires_at=expires_at
    )
    return token, plain


def api_token_revoke(*, token: ApiToken) -> None:
    """Stop the token working, at once; the row and its uses are kept for the audit."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def live_tokens():
    """Tokens that still work: not revoked, not expired, their owner active."""
    return ApiToken.objects.filter(revoked_at__isnull=True, user__is_active=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def api_token_find(plain: str) -> ApiToken | None:
    """The live token this text is, or None (malformed, unknown, wrong secret, revoked, expired,
    or its owner deactivated)."""
    if not plain.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = plain[len(TOKEN_START) :].partition("_")
    if not prefix or not secret or len(plain) > 200:
        return None
    token = live_tokens().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(plain)):
        return None
    return token


def api_token_used(*, token: ApiToken, method: str, path: str, status_code: int, ip_address: str | None) -> None:
    """Audit one request: a row per use, and the token's last use (two small writes)."""
    now = timezone.now()
    ApiTokenUse.objects.create(
        token=token, method=method[:10], path=path[:300], status_code=status_code, ip_address=ip_address or None
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
