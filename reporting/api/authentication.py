"""Personal API tokens in the Authorization header: `Authorization: Bearer pat_...`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import api_token_find


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """The request acts as the token's owner, with their permissions and team limits, no more.

    `request.auth` is the ApiToken (the views audit each use against it). A token that is
    unknown, revoked or expired, or whose owner has been deactivated, is refused with 401.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session may authenticate instead
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer”, with one space."))
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        token = api_token_find(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or has been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token, as the schema describes it (Swagger UI's Authorize button)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on your account's API tokens page (pat_...).",
        }
