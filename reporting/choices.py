from django.db import models
from django.utils.translation import gettext_lazy as _

# A pack never reaches back more than a year, however long since the last one (METHODOLOGY 6).
from assurance.rules import MAX_MONTHS_COVERED  # noqa: F401


class Committee(models.TextChoices):
    """The committees that receive packs, and how often they meet (METHODOLOGY 6)."""

    CDGB = "cdgb", _("Corporate Directors Group Board")
    MANAGEMENT_GROUP = "management_group", _("Management Group")
    JOINT_COMMITTEE = "joint_committee", _("Joint Committee")


# Months between meetings: a first pack covers this many months up to its own.
CADENCE_MONTHS = {Committee.CDGB: 1, Committee.MANAGEMENT_GROUP: 1, Committee.JOINT_COMMITTEE: 2}
CADENCE_LABELS = {1: _("monthly"), 2: _("bi-monthly")}


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PackEventKind(models.TextChoices):
    REQUESTED = "requested", _("Asked for the pack")
    VIEWED = "viewed", _("Opened the pack's page")
    DOWNLOADED_PDF = "pdf", _("Downloaded the PDF")
    DOWNLOADED_XLSX = "xlsx", _("Downloaded the Excel workbook")
