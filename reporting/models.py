"""Reporting: highlight reports per provider and month, and committee packs with their audit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assurance.models import Job
from providers.models import Provider
from providers.periods import format_period

from .choices import Committee, PackEventKind, PackStatus


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


class CommitteePack(Job):
    """A committee's report pack for a month, built in the background and kept as PDF and XLSX.

    `period_from` to `period` are the months it covers: the months since the committee's
    previous pack (two for the bi-monthly Joint Committee, one for the monthly boards).
    A job (assurance.models.Job) whose finished state is called "ready".
    """

    Status = PackStatus
    done_status = PackStatus.READY

    committee = models.CharField(_("committee"), max_length=30, choices=Committee.choices)
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
        permissions = [
            ("view_internal_packs", _("Can read Corporate Directors Group Board and Management Group packs")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1) & Q(period_from__day=1), name="pack_periods_are_months"),
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period")), name="pack_covers_forwards"),
        ]

    def __str__(self):
        return f"{self.get_committee_display()}, {format_period(self.period)}"

    def get_absolute_url(self):
        return reverse("reporting:pack_detail", args=[self.pk])

    @property
    def build_seconds(self):
        return self.duration_seconds


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
