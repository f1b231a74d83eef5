"""Writes for accounts (issue 15): invitations, deactivation, second factors and sessions.

Who acted is an argument, as in providers.services: each change an administrator makes to
another person's account is kept as a RoleGrant (who, when, what), like a change of roles.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import GrantKind
from .models import Invitation, RoleGrant, User
from .roles import ADMINISTRATOR, DIRECTOR

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens under their own salt: a link stops working once the password
    is set (the hash changes) or after PASSWORD_RESET_TIMEOUT."""

    key_salt = "providers.accounts.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


# Second factor -------------------------------------------------------------------------


def mfa_required(user) -> bool:
    """Directors and administrators (and anyone with a director level or the Django admin) must
    sign in with a second factor; settings.MFA_REQUIRED=False switches that off (a laptop demo)."""
    if not settings.MFA_REQUIRED or not user.is_authenticated:
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or user.owned_levels
        or user.has_role(DIRECTOR)
        or user.has_role(ADMINISTRATOR)
    )


def confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_mfa(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_start(user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (a new secret each time they start)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(device: TOTPDevice) -> list[str]:
    """Make a verified authenticator the user's only one, and give them new recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_replace(device.user)


@transaction.atomic
def recovery_codes_replace(user) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working); shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def mfa_reset(*, user: User, acting_user: User | None) -> RoleGrant | None:
    """Remove a person's authenticator and recovery codes (they lost their phone) and end all their
    sessions: they set up a new one at their next sign-in. Audited. Not one's own (another
    administrator does it, so a stolen password and session cannot remove the second factor)."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(_("You may not reset your own two-factor authentication: another administrator does."))
    had = []
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        had.append("authenticator app")
    if StaticDevice.objects.filter(user=user).exists():
        had.append("recovery codes")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_all(user)
    if not had:
        return None
    return RoleGrant.objects.create(user=user, acting_user=acting_user, kind=GrantKind.MFA, old=had, new=[])


# Sessions -------------------------------------------------------------------------------


def sessions_end_all(user):
    """End every session of the user (each is checked against a hash that includes the epoch)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.session_epoch = User.objects.values_list("session_epoch", flat=True).get(pk=user.pk)


def sessions_end_others(request, user):
    """End the user's other sessions, keeping the one making this request."""
    sessions_end_all(user)
    update_session_auth_hash(request, user)


# Accounts -------------------------------------------------------------------------------


def _grant(user, acting_user, kind, old, new):
    return RoleGrant.objects.create(user=user, acting_user=acting_user, kind=kind, old=old, new=new)


@transaction.atomic
def user_set_active(*, user: User, acting_user: User | None, active: bool) -> RoleGrant | None:
    """Deactivate (never delete: their decisions and returns keep their name) or reactivate."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(_("You may not deactivate your own account."))
    if user.is_active == active:
        return None
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end_all(user)
        Invitation.objects.filter(user=user, accepted_at=None).update(expires_at=timezone.now())
    label = {True: "active", False: "deactivated"}
    return _grant(user, acting_user, GrantKind.ACCOUNT, [label[not active]], [label[active]])


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("account:invitation_accept", args=[uid, invitation_tokens.make_token(user)])
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def invitation_send(*, user: User, acting_user: User | None) -> Invitation:
    """Email the user a one-time link to set their password; earlier invitations stop counting."""
    now = timezone.now()
    Invitation.objects.filter(user=user, accepted_at=None, expires_at__gt=now).update(expires_at=now)
    invitation = Invitation.objects.create(
        user=user,
        invited_by=acting_user,
        email=user.email,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )
    url = invitation_url(user)
    inviter = acting_user.display_name if acting_user else _("The register administrator")
    with override(user.language or settings.LANGUAGE_CODE):
        subject = _("You have been invited to Provider assurance")
        body = _(
            "%(inviter)s has given you an account on Provider assurance.\n\n"
            "Your username is %(username)s. Set your password with this link (it works once, "
            "until %(expires)s):\n\n%(url)s\n\nIf you did not expect this email, ignore it."
        ) % {
            "inviter": inviter,
            "username": user.username,
            "expires": timezone.localtime(invitation.expires_at).strftime("%d %B %Y %H:%M"),
            "url": url,
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return invitation


def invitation_accepted(user):
    Invitation.objects.filter(user=user, accepted_at=None).update(accepted_at=timezone.now())


# Separation of duties: the other administrators hear of powerful grants --------------------

SENSITIVE_ROLES = {DIRECTOR, ADMINISTRATOR}


def sensitive(grant: RoleGrant) -> bool:
    if grant.kind == GrantKind.DIRECTOR_LEVEL:
        return bool(grant.granted)
    return grant.kind == GrantKind.ROLE and bool(SENSITIVE_ROLES & set(grant.granted))


def notify_sensitive_grants(grants, acting_user):
    """Email every other active administrator about a director level or an administrator or
    director role granted, so no one administrator's grant goes unseen (DESIGN: separation of duties)."""
    powerful = [grant for grant in grants if sensitive(grant)]
    if not powerful or acting_user is None:
        return
    others = (
        User.objects.filter(is_active=True, groups__name=ADMINISTRATOR)
        .exclude(pk=acting_user.pk)
        .exclude(email="")
        .distinct()
    )
    user = powerful[0].user
    lines = [f"- {grant.get_kind_display()}: {', '.join(str(item) for item in grant.granted)}" for grant in powerful]
    url = f"{settings.SITE_URL}{reverse('people:detail', args=[user.pk])}"
    for admin in others:
        with override(admin.language or settings.LANGUAGE_CODE):
            subject = _("%(actor)s granted %(user)s new powers") % {
                "actor": acting_user.display_name,
                "user": user.display_name,
            }
            body = _(
                "%(actor)s granted %(user)s:\n%(lines)s\n\nIf this was not agreed, revoke it and tell "
                "your information governance lead: %(url)s"
            ) % {"actor": acting_user.display_name, "user": user.display_name, "lines": "\n".join(lines), "url": url}
        address = admin.email
        transaction.on_commit(lambda s=subject, b=body, a=address: send_mail(s, b, None, [a]))


# The demo's authenticators (make run): known secrets, printed by load_demo -------------------

DEMO_DEVICE_NAME = "Demo authenticator"


def demo_totp_device(user) -> TOTPDevice:
    """A confirmed authenticator with a secret derived from the username, for the demo logins only
    (published in the README like their password). Never used outside `load_demo`."""
    import hashlib  # noqa: PLC0415 - only the demo needs it

    key = hashlib.sha256(f"provider-assurance-demo-totp:{user.username}".encode()).hexdigest()[:40]
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": key, "confirmed": True}
    )
    return device
