"""A version for each month's ratings, for caching what changes only when a month is re-rated.

Pages that read a month's stored ratings (the dashboard's counts, its step-ups, the list of
rated months) cache what they read under the month's version (Django's cache framework: Redis
when REDIS_URL is set, so every worker sees the same versions; memory in one process otherwise).
Whatever writes a month's ratings bumps its version: the rating (assurance.ratings), the
escalation's stamp of levels and pending step-downs, a decision recorded, an override (which
re-rates). A bump is a new random value, so a version evicted from the cache cannot come back
as an old one. It is bumped at once and again when the transaction commits, so a page read
between the two cannot keep what it cached from the uncommitted state.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

ALL = "ratings-version:all"  # any month: a month newly rated changes the list of rated months
# The register and meetings: a provider's name, sector or country, a contract's team, a meeting
# held. The dashboard's rows show and filter on these, which change without any month re-rated;
# reporting.apps bumps it whenever one of them is saved or deleted (register_changed).
REGISTER = "register-version"


def _key(period):
    return f"ratings-version:{period:%Y-%m}"


def version(period=None):
    """The current version of a month's ratings (of all months when period is None)."""
    return _current(ALL if period is None else _key(period))


def register_version():
    """The current version of the register and meetings (REGISTER)."""
    return _current(REGISTER)


def _current(key):
    """The version under `key`; a new one each time when the cache cannot be reached (then nothing
    kept under it is ever found, and every read that uses it goes to the database)."""
    try:
        return _read_or_start(key)
    except Exception:  # noqa: BLE001 - any cache failure
        logger.warning("The cache is unreachable: %s unknown", key)
        return uuid.uuid4().hex


def _read_or_start(key):
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(key, value, timeout=None):  # another process set it first: theirs counts
            value = cache.get(key, value)
    return value


def cache_key(name, period=None, *parts):
    """A cache key for `name` read from a month's ratings (all months when period is None)."""
    return ":".join(["rated", name, version(period), *(str(part) for part in parts)])


def cached(name, period, compute, *parts, timeout=24 * 60 * 60):
    """`compute()`, kept in the cache under the month's version (all months' when period is None)
    until the month is re-rated. Without a cache to reach (Redis down) it is computed each time:
    slower, never wrong. The day's timeout bounds what an evicted or lost version leaves behind."""
    return remember(cache_key(name, period, *parts), compute, timeout=timeout)


def remember(key, compute, timeout=24 * 60 * 60):
    """`compute()` kept in the cache under `key` (one built from the versions above); computed
    each time when the cache cannot be reached."""
    try:
        return cache.get_or_set(key, compute, timeout=timeout)
    except Exception:  # noqa: BLE001 - any cache failure: compute instead
        logger.warning("The cache is unreachable: %s computed afresh", key.split(":", 1)[0])
        return compute()


def _renew(*keys):
    """New versions under `keys`, now and again when the transaction commits, so a page read between
    the two cannot keep what it cached from the uncommitted state."""

    def renew():
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
        except Exception:  # noqa: BLE001 - a cache that cannot be reached holds nothing to renew
            logger.warning("The cache is unreachable: %s not renewed", ", ".join(keys))

    renew()
    transaction.on_commit(renew)


def bump(*periods):
    """The ratings of these months changed: whatever was cached from them is read afresh."""
    _renew(ALL, *(_key(p) for p in periods))


def register_changed(**_signal):
    """A provider, contract, team or meeting was written: what was cached from them is read afresh
    (a receiver of post_save, post_delete and m2m_changed)."""
    _renew(REGISTER)
