"""Two-factor sign-in with django-otp (issue 15): enforcement, codes and the QR code.

After the password, a user with an authenticator must give a code (or a recovery code) before
anything else; a director or administrator without one is sent to set one up first. Until then
they reach only the pages to do that, their account page's sign-out and the language switcher.
"""

import io
from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts import has_mfa, mfa_required
from .oidc import MFA_BY_IDENTITY_PROVIDER

# Pages an unverified user may still open: to verify or set up a second factor, or to leave.
OPEN_URL_NAMES = {"account:mfa_verify", "account:mfa_setup", "logout", "language_switch", "health"}


class MFARequiredMiddleware:
    """Keeps a signed-in user who owes a second factor on the pages that collect it.

    Goes after django_otp.middleware.OTPMiddleware, which sets request.user.is_verified().
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.session.get(MFA_BY_IDENTITY_PROVIDER):
            target = self.target(request, user)
            request.mfa_pending = bool(target)  # the header offers no menu meanwhile
            if target and not self.is_open(request):
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
        return self.get_response(request)

    @staticmethod
    def target(request, user):
        if has_mfa(user):
            return "account:mfa_verify"
        if mfa_required(user):
            return "account:mfa_setup"
        return None

    @staticmethod
    def is_open(request):
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page reveals nothing
        return match.view_name in OPEN_URL_NAMES


def safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def verify_code(user, code):
    """The device (authenticator, else a recovery code, used up) that accepts the code, or None.
    django-otp slows down repeated wrong codes per device (ThrottlingMixin)."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    # Six digits are the app's code; anything else can only be a recovery code (8 letters and
    # digits): so a recovery code does not count as a wrong code against the app, nor the reverse.
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, _detail = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return device
    return None


def throttled(user):
    """Whether wrong codes have slowed the user's authenticator down (django-otp doubles the wait
    after each wrong code: 1, 2, 4 ... seconds)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device is not None and not device.verify_is_allowed()[0]


def verify(request, device):
    """Mark this session as verified by the device."""
    otp_login(request, device)


def totp_secret(device) -> str:
    """The secret in base 32, as an authenticator app accepts it typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device) -> str:
    """The device's otpauth:// link as an inline SVG element (no script, no other host)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class SuperuserOTPAdminSite(OTPAdminSite):
    """The Django admin, when switched on at all (ADMIN_ENABLED): superusers verified by a second
    factor only. A register administrator manages people on the product's own pages."""

    def has_permission(self, request):
        return settings.ADMIN_ENABLED and super().has_permission(request) and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def switched_on_only(request, *args, **kwargs):
            if not settings.ADMIN_ENABLED:
                raise Http404
            return inner(request, *args, **kwargs)

        return switched_on_only

    def login(self, request, extra_context=None):
        if not settings.ADMIN_ENABLED:
            raise Http404
        return super().login(request, extra_context)


def protect_admin_site():
    admin_site.__class__ = SuperuserOTPAdminSite
    admin_site.login_form = SuperuserOTPAdminSite.login_form
    admin_site.login_template = SuperuserOTPAdminSite.login_template
