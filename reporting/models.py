"""Reporting: highlight reports per provider and month, and committee packs with their audit."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assurance.models import Job
from providers.models import Provider
from providers.periods import format_period

from .choices import Cadence, CommitteeScope, PackEventKind, PackStatus, TokenState


class HighlightReport(models.Model):
    """The commissioning team's words for a provider's month (seed 002, 3.3.2).

    The exceptions, trends and governance results are read from the stored ratings and
    returns when the report is shown; only what a person writes is kept here.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="highlight_reports")
    period = models.DateField(_("month"))
    commentary = models.TextField(
        _("commentary"),
        blank=True,
        help_text=_(
            "Where further investigation may be needed, or where the Commissioning and Contracting "
            "Group may need to give further consideration."
        ),
    )
    governance = models.TextField(
        _("governance and strategic change"),
        blank=True,
        help_text=_(
            "For example inspection reports and notices, government intervention, audit and well-led "
            "assessments, strategic change, inquiries, service closures, leadership changes, staff "
            "surveys, soft intelligence and media issues."
        ),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Optimistic locking, as for returns: two people editing at once must not lose words.
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "provider__name"]
        verbose_name = _("highlight report")
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="one_highlight_report_per_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="highlight_period_is_first_of_month"),
        ]

    def __str__(self):
        return f"{self.provider.name}, {format_period(self.period)}"

    def get_absolute_url(self):
        return reverse("reporting:highlight_report", args=[self.provider.code, format_period(self.period)])


class Committee(models.Model):
    """A committee that receives packs (METHODOLOGY 6, second edition): configuration kept by
    administrators in the product's own pages. Its code is the command line's
    (`build_pack --committee CODE`) and is fixed once made; the six defaults come from the seeds
    (migration 0004)."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits and underscores, starting with a letter.")
            )
        ],
        help_text=_("Used on the command line (build_pack --committee CODE). It cannot be changed later."),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True, help_text=_("Blank: the English name."))
    cadence = models.PositiveSmallIntegerField(
        _("how often it meets"),
        choices=Cadence.choices,
        default=Cadence.MONTHLY,
        help_text=_("A first pack covers this many months; later packs the months since the previous pack."),
    )
    scope = models.CharField(
        _("providers in scope"), max_length=30, choices=CommitteeScope.choices, default=CommitteeScope.ALL
    )
    sections = models.JSONField(_("sections"), default=list, help_text=_("The sections its packs hold, in order."))
    readers = models.ManyToManyField(
        Group,
        verbose_name=_("roles that may read its packs"),
        related_name="+",
        help_text=_("People in these roles see the committee's packs and may download them."),
    )
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("A committee no longer in use keeps its packs but gets no new ones.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the active language (the Welsh name when there is one and Welsh is active)."""
        if self.name_cy and (translation.get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name

    @property
    def cadence_months(self):
        return int(self.cadence)


class CommitteePack(Job):
    """A committee's report pack for a month, built in the background and kept as PDF and XLSX.

    `period_from` to `period` are the months it covers: the months since the committee's
    previous pack (a first pack: as many months as its cadence). It holds the committee's
    sections, for the providers in its scope, and the escalation decisions recorded since the
    committee's previous pack was built. A job (assurance.models.Job) whose finished state is
    called "ready".
    """

    Status = PackStatus
    done_status = PackStatus.READY

    # `to_field="code"` keeps the column holding the committee's code, as before it was a model.
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        to_field="code",
        db_column="committee",
        related_name="packs",
        verbose_name=_("committee"),
    )
    period = models.DateField(_("month"))
    period_from = models.DateField(_("covering from"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to="packs/", blank=True)
    xlsx = models.FileField(_("Excel workbook"), upload_to="packs/", blank=True)
    pdf_pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pdf_bytes = models.PositiveIntegerField(null=True, blank=True)
    xlsx_bytes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-requested_at"]
        verbose_name = _("committee pack")
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1) & Q(period_from__day=1), name="pack_periods_are_months"),
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period")), name="pack_covers_forwards"),
        ]

    def __str__(self):
        return f"{self.committee}, {format_period(self.period)}"

    def get_absolute_url(self):
        return reverse("reporting:pack_detail", args=[self.pk])

    def file_stem(self):
        """The files' name without extension: the committee's code and month, and the language when it
        is not English, so an English and a Welsh pack of the same month never share a name."""
        return pack_file_stem(self.committee_id, self.period, self.language)

    @property
    def reader_reason(self):
        """Why the build failed (or is being tried again), in plain words: the exception itself goes to
        the log and stays in `failure_reason`, never on a reader's page."""
        if self.status == PackStatus.FAILED:
            return translation.gettext(
                "Something went wrong in the product while the pack was being built. The details have been "
                "recorded for the support team."
            )
        if self.failure_reason:
            return translation.gettext("The first attempt to build it did not finish; it is being tried again.")
        return ""

    @property
    def build_seconds(self):
        return self.duration_seconds

    def requeue(self):
        """Send the build again (the sweep's retry of a build whose worker died)."""
        from . import tasks  # noqa: PLC0415 - tasks import services inside, services import models

        return tasks.build_pack.delay(self.pk)


def pack_file_stem(code, period, language):
    """`cdgb-2026-10` for an English pack, `cdgb-2026-10-cy` for a Welsh one."""
    stem = f"{code}-{format_period(period)}"
    return stem if language.lower().startswith("en") else f"{stem}-{language.lower()}"


class PackEvent(models.Model):
    """Who opened, downloaded or asked for a committee pack, and when (the pack's audit trail)."""

    pack = models.ForeignKey(CommitteePack, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what"), max_length=20, choices=PackEventKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pack event")

    def __str__(self):
        return f"{self.user} {self.kind} {self.pack}"


class ApiToken(models.Model):
    """A personal API token: it acts as its owner, with exactly their role and team limits.

    Only a SHA-256 hash of the secret is stored; the whole token is shown once, when made.
    `prefix` is public (it starts the token) and finds the row; the hash is then compared in
    constant time. A revoked or expired token, or one whose owner is deactivated, stops working.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def state(self):
        """Active, expired or revoked (a deactivated owner's tokens also stop: see api.tokens)."""
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return TokenState.EXPIRED
        return TokenState.ACTIVE


class ApiTokenUse(models.Model):
    """One request made with an API token: the audit of every use (who, when, what, outcome)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("API token use")
        indexes = [models.Index(fields=["token", "-at"])]

    def __str__(self):
        return f"{self.token_id} {self.method} {self.path} {self.status_code}"


class ReminderPreference(models.Model):
    """Which reminder emails a person wants (issue 17): each can be switched off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    returns = models.BooleanField(
        _("returns due and overdue"),
        default=True,
        help_text=_("An email when a return of your team is due in 5 days, and when it is overdue."),
    )
    digest = models.BooleanField(
        _("weekly digest for directors"),
        default=True,
        help_text=_("A weekly email of what awaits your decision or review."),
    )

    class Meta:
        verbose_name = _("reminder preference")

    def __str__(self):
        return f"{self.user_id}: returns {self.returns}, digest {self.digest}"


class ReminderSent(models.Model):
    """One reminder sent: the record that makes each go once per event (kind, person, what)."""

    class Kind(models.TextChoices):
        RETURN_DUE = "return_due", _("Return due in 5 days")
        RETURN_OVERDUE = "return_overdue", _("Return overdue")
        DIGEST = "digest", _("Weekly digest for directors")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80, help_text=_("What it was about: a return (code and month) or a week."))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        constraints = [models.UniqueConstraint(fields=["kind", "user", "key"], name="one_reminder_per_event")]

    def __str__(self):
        return f"{self.kind} to {self.user_id} ({self.key})"
