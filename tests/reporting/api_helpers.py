"""Shared by the API tests: a token for a persona, and a client that sends it."""

from django.test import Client

from reporting.api.tokens import api_token_create


def token_for(user, name="tests"):
    return api_token_create(user=user, name=name)[1]


def api_client(user=None, *, token=None):
    """A client sending `token` (or a new token of `user`) in the Authorization header."""
    if token is None and user is not None:
        token = token_for(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)
