"""Your account (issue 15): password, two-factor authentication, signing out everywhere, and the
pages reached from emails (an invitation, a forgotten password). Every signed-in user has these."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import accounts, mfa
from .forms_identity import CodeForm, NHSPasswordResetForm
from .models import Invitation


@require_GET
@login_required
def account_index(request):
    user = request.user
    return render(
        request,
        "account/index.html",
        {
            "has_mfa": accounts.has_mfa(user),
            "mfa_required": accounts.mfa_required(user),
            "recovery_codes_left": accounts.recovery_codes_left(user),
            "grants": user.role_grants.select_related("acting_user")[:10],
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password (Django's validators apply); your other sessions end."""

    template_name = "account/password_change.html"
    success_url = reverse_lazy("account:index")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        messages.success(self.request, _("Your password has been changed. You were signed out everywhere else."))
        return response


# A forgotten password: Django's views, styled; the same answer whether or not the address is known.


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "account/password_reset.html"
    email_template_name = "account/email/password_reset.txt"
    subject_template_name = "account/email/password_reset_subject.txt"
    form_class = NHSPasswordResetForm
    success_url = reverse_lazy("account:password_reset_done")

    def form_valid(self, form):
        # Links in the email start with the site's configured address, not the Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("account:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"


# Invitations ---------------------------------------------------------------------------


def _invited_user(uidb64, token):
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not accounts.invitation_tokens.check_token(user, token):
        return None
    if not Invitation.objects.filter(user=user, accepted_at=None).exists():
        return None
    return user


@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64, token):
    """Set a password from an invitation's link (once; expired, used or replaced links fail)."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "account/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        accounts.invitation_accepted(user)
        messages.success(
            request, _("Your password is set. Log in with your username, %(username)s.") % {"username": user.username}
        )
        return redirect("login")
    return render(request, "account/invitation_accept.html", {"form": form, "invited": user})


# Two-factor authentication ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def mfa_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(mfa.safe_next(request))
    if not accounts.has_mfa(user):
        return redirect("account:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_throttled = mfa.throttled(user)
        device = mfa.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            mfa.verify(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)s are left. Make new ones on your account page.")
                    % {"left": accounts.recovery_codes_left(user)},
                )
            return redirect(mfa.safe_next(request))
        if was_throttled:
            form.add_error("code", _("Too many wrong codes. Wait a few seconds, then enter the code your app shows."))
        else:
            form.add_error("code", _("The code is not right, or it has expired. Enter the code your app shows now."))
    return render(request, "account/mfa_verify.html", {"form": form, "next": mfa.safe_next(request)})


@require_http_methods(["GET", "POST"])
@login_required
def mfa_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code.

    Replacing an existing one needs this session to have been verified with it first."""
    user = request.user
    if accounts.has_mfa(user) and not user.is_verified():
        return redirect("account:mfa_verify")
    form = CodeForm(request.POST or None)
    device = user.totpdevice_set.filter(confirmed=False).first() if request.method == "POST" else None
    if device is None:
        device = accounts.totp_device_start(user)
    elif form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            codes = accounts.totp_device_confirm(device)
            mfa.verify(request, device)
            accounts.sessions_end_others(request, user)
            messages.success(request, _("Two-factor authentication is on."))
            return render(request, "account/recovery_codes.html", {"codes": codes, "next": mfa.safe_next(request)})
        form.add_error("code", _("The code is not right. Check the time on your phone and enter the code shown now."))
    context = {"form": form, "qr_svg": mfa.qr_svg(device), "secret": mfa.totp_secret(device)}
    context["required"] = accounts.mfa_required(user)
    context["next"] = mfa.safe_next(request)
    return render(request, "account/mfa_setup.html", context)


@require_POST
@login_required
def recovery_codes_new(request):
    """New recovery codes, shown once (the old ones stop working)."""
    if not accounts.has_mfa(request.user):
        messages.error(request, _("Set up two-factor authentication first: recovery codes come with it."))
        return redirect("account:index")
    codes = accounts.recovery_codes_replace(request.user)
    return render(request, "account/recovery_codes.html", {"codes": codes, "next": reverse("account:index")})


@require_POST
@login_required
def sign_out_everywhere(request):
    accounts.sessions_end_others(request, request.user)
    messages.success(request, _("You were signed out on every other computer and browser."))
    return redirect("account:index")
