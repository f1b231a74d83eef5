"""Providers, the service lines they deliver, the commissioning teams and the users."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Country, DirectorLevel, GrantKind, InterventionLevel, Regulator, Sector
from .roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER


class TimeStampedModel(models.Model):
    """Abstract base giving every row when it was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


# Register codes of providers, services and indicators (DESIGN.md): 1 to 40 letters, digits,
# ".", "-" and "_", kept exactly as written and matched exactly (7A1, RQ3, NCBPS13X, E.B.3, AE4H).
CODE_MAX_LENGTH = 40
register_code_validator = RegexValidator(
    r"^(?!\.\.?\Z)[A-Za-z0-9._-]{1,40}\Z",  # not "." or "..": they would break a page's address
    _("Enter a code of 1 to 40 letters, digits, full stops, hyphens and underscores (for example 7A1, CARD or E.B.3)."),
)
# Commissioning teams are reference data created by a migration, with fixed lowercase codes.
slug_code_validator = RegexValidator(
    r"^[a-z0-9_]{2,40}\Z",
    _("Enter a code of lowercase letters, digits and underscores (for example cardiac_surgery)."),
)
# Kept for old migrations that name it.
code_validator = register_code_validator


class CommissioningTeam(TimeStampedModel):
    """A multi-professional commissioning team and its portfolio of services (seed 001, 3.2.6)."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[slug_code_validator],
        error_messages={"unique": _("A team with this code already exists.")},
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("A team with this name already exists.")},
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commissioning team")
        verbose_name_plural = _("commissioning teams")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("providers:team_list")

    @property
    def display_name(self):
        """The name in the reader's language (providers/reference_names.py marks the six teams')."""
        return gettext(self.name) if self.name else ""


class Service(TimeStampedModel):
    """A service line that contracts commission and indicators can apply to."""

    code = models.CharField(
        _("code"),
        max_length=CODE_MAX_LENGTH,
        unique=True,
        validators=[register_code_validator],
        error_messages={"unique": _("A service with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    commissioning_team = models.ForeignKey(
        CommissioningTeam,
        verbose_name=_("commissioning team"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("providers:service_list")


class Provider(TimeStampedModel):
    """An organisation the commissioner buys healthcare from."""

    code = models.CharField(
        _("code"),
        max_length=CODE_MAX_LENGTH,
        unique=True,
        validators=[register_code_validator],
        error_messages={"unique": _("A provider with this code already exists.")},
        help_text=_("The organisation's ODS code, for example 7A1."),
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    country = models.CharField(_("country"), max_length=20, choices=Country.choices)
    regulator = models.CharField(_("regulator"), max_length=10, choices=Regulator.choices, blank=True)
    intervention_level = models.CharField(
        _("government intervention level"),
        max_length=30,
        choices=InterventionLevel.choices,
        default=InterventionLevel.ROUTINE,
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        permissions = [("import_register", _("Can import the register from a spreadsheet"))]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("reporting:provider_detail", args=[self.code])

    @property
    def in_special_measures(self):
        return self.intervention_level == InterventionLevel.SPECIAL_MEASURES


class User(AbstractUser):
    """A member of staff; belongs to commissioning teams and, if a director, owns levels."""

    teams = models.ManyToManyField(
        CommissioningTeam, verbose_name=_("commissioning teams"), blank=True, related_name="members"
    )
    is_service_director = models.BooleanField(
        _("Service Director"), default=False, help_text=_("Owns escalation level 2.")
    )
    is_executive_director = models.BooleanField(
        _("Executive Director"), default=False, help_text=_("Owns escalation level 3.")
    )
    is_chief_executive = models.BooleanField(
        _("Chief Executive"), default=False, help_text=_("Owns escalation level 4.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language chosen with the switcher: the site, emails and committee packs use it."),
    )

    # Raised to end every session of the user at once (after an MFA reset, or "sign out
    # everywhere"): it is part of the hash each session is checked against (issue 15).
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # sessions from before the field
        key_salt = "providers.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def owned_levels(self):
        """The escalation levels whose step-downs this user may approve."""
        flags = [
            (DirectorLevel.SERVICE_DIRECTOR, self.is_service_director),
            (DirectorLevel.EXECUTIVE_DIRECTOR, self.is_executive_director),
            (DirectorLevel.CHIEF_EXECUTIVE, self.is_chief_executive),
        ]
        return [level for level, owned in flags if owned]

    def owns_level(self, level):
        return level in self.owned_levels

    def has_role(self, role):
        # Group names are cached per request on the instance: templates ask repeatedly.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role in self._role_names

    @property
    def role_names(self):
        return [r for r in (TEAM_MEMBER, DIRECTOR, COMMITTEE_MEMBER, ADMINISTRATOR) if self.has_role(r)]

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class RoleGrant(models.Model):
    """A change to what a user may do (roles, teams or director levels), with who made it and
    when: the audit DESIGN.md asks of administrators' grants. Kept, never edited."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants")
    acting_user = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank: the system (a data load or a command), not a person."),
    )
    kind = models.CharField(_("what changed"), max_length=20, choices=GrantKind.choices)
    # Sorted lists: role names, team codes, or the director levels (2, 3, 4) owned.
    old = models.JSONField(_("before"), default=list)
    new = models.JSONField(_("after"), default=list)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.old} -> {self.new}"

    @property
    def granted(self):
        return [item for item in self.new if item not in self.old]

    @property
    def removed(self):
        return [item for item in self.old if item not in self.new]


class Invitation(models.Model):
    """An invitation to set a password, emailed to a new user by an administrator (issue 15).

    The link carries a token from Django's token generator, which stops working once the
    password is set (one use) and after INVITATION_DAYS; the row says who invited whom, when.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("email address"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} ({self.email})"

    @property
    def pending(self):
        return self.accepted_at is None and self.expires_at > timezone.now()
