"""Middleware for resilience (issue 16).

- DatabaseRetryMiddleware: a page read (GET or HEAD) that met a dropped database connection
  (PostgreSQL restarted, the connection terminated, a network blip) is answered again on a
  fresh connection instead of with a 500. Only safe methods are retried: a read changes
  nothing, so doing it twice is harmless; a write is never repeated behind the user's back.
- NoStoreMiddleware: every response to a signed-in user, pages and downloads alike, carries
  `Cache-Control: private, no-store`, so no browser, proxy or shared computer keeps a copy
  of provider data after the session ends.
"""

import logging
import time

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRIES = 2
PAUSE_SECONDS = 0.05
_MARK = "_assurance_database_dropped"


def is_dropped_connection(exc):
    """True for the errors a lost or refused database connection raises (not a bad query)."""
    return isinstance(exc, (OperationalError, InterfaceError))


def close_broken_connections():
    """Close every connection that failed or can no longer be used; the next query reconnects."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if connection.in_atomic_block:
            continue  # a test's transaction or an outer atomic block: not ours to close
        if connection.errors_occurred or not connection.is_usable():
            connection.close()


def _note_exception(sender, request=None, **kwargs):
    """Remember on the request that it failed for want of a database connection."""
    import sys  # noqa: PLC0415 - only needed on this rare path

    exc = sys.exc_info()[1]
    if request is not None and is_dropped_connection(exc):
        setattr(request, _MARK, True)


got_request_exception.connect(_note_exception, dispatch_uid="assurance.middleware.note_dropped_connection")


class DatabaseRetryMiddleware:
    """Answer a read again (up to RETRIES times) when it failed on a dropped database connection."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            return response
        for attempt in range(1, RETRIES + 1):
            if response.status_code < 500 or not getattr(request, _MARK, False):
                break
            setattr(request, _MARK, False)
            log.warning(
                "%s %s met a dropped database connection; reading again (%s)", request.method, request.path, attempt
            )
            close_broken_connections()
            time.sleep(PAUSE_SECONDS * attempt)
            response = self.get_response(request)
        return response


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on everything a signed-in user is sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
        return response
