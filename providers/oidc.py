"""Single sign-on through OpenID Connect (mozilla-django-oidc), e.g. Microsoft Entra ID (issue 15).

On only when settings.OIDC_ENABLED (OIDC_RP_CLIENT_ID set). The identity provider says who the
person is; the product decides what they may do: a sign-in is matched by email to exactly one
existing active account, and nobody is ever created here, so nobody gets powers by signing in.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

# A session flag: the identity provider enforced a second factor (OIDC_PROVIDER_ENFORCES_MFA).
MFA_BY_IDENTITY_PROVIDER = "mfa_by_identity_provider"


class EmailMatchBackend(OIDCAuthenticationBackend):
    """Matches the identity provider's email claim to one active account; creates nobody."""

    def __init__(self, *args, **kwargs):
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(email__iexact=email, is_active=True)
        # Two accounts with one address: refuse rather than guess which one is meant.
        return users if users.count() == 1 else self.UserModel.objects.none()

    def create_user(self, claims):  # never called: OIDC_CREATE_USER is False; refused if it were
        return None

    def update_user(self, user, claims):
        return user  # names and roles are kept in the product

    def get_user(self, user_id):
        # As Django's ModelBackend: a deactivated account's sessions end at once.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class CallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Single sign-on did not find an active account with your email address here. "
                "Ask your register administrator to invite you."
            ),
        )
        return super().login_failure()

    def login_success(self):
        response = super().login_success()
        if settings.OIDC_PROVIDER_ENFORCES_MFA:
            self.request.session[MFA_BY_IDENTITY_PROVIDER] = True
        return response


@require_GET
def oidc_start(request):
    """Send the browser to the identity provider (404 when single sign-on is off)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


@require_GET
def oidc_callback(request):
    """Where the identity provider sends the browser back (404 when single sign-on is off)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return CallbackView.as_view()(request)
