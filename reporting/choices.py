from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A pack never reaches back more than a year, however long since the last one (METHODOLOGY 6).
from assurance.rules import MAX_MONTHS_COVERED  # noqa: F401
from assurance.rules import committees as rules
from providers.choices import Status

# The six committees of METHODOLOGY 6 are rows of reporting.models.Committee (kept by administrators);
# their codes are the command line's (DESIGN.md: build_pack --committee CODE).
CDGB, MANAGEMENT_GROUP, JOINT_COMMITTEE = "cdgb", "management_group", "joint_committee"
QPSC, PFIG, BOARD = "qpsc", "pfig", "board"


class Cadence(models.IntegerChoices):
    """How often a committee meets: the months between its packs (a first pack covers this many months)."""

    MONTHLY = 1, _("Monthly")
    BI_MONTHLY = 2, _("Bi-monthly")
    QUARTERLY = 3, _("Quarterly")


class CommitteeScope(models.TextChoices):
    """Which providers a committee's packs cover (assurance.rules.committees.provider_in_scope)."""

    ALL = rules.SCOPE_ALL, _("All providers")
    LEVEL_3_UP = rules.SCOPE_LEVEL_3_UP, _("Providers at escalation level 3 and above")
    LEVEL_4_SUMMITS = rules.SCOPE_LEVEL_4_SUMMITS, _("Providers at level 4, and every provider summit held")
    QUALITY_SAFETY = (
        rules.SCOPE_QUALITY_SAFETY,
        _("Red quality and safety areas, Red critical indicators, and every provider summit held"),
    )


class PackStatus(Status, models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")

    @property
    def colour(self):
        return {
            PackStatus.QUEUED: "grey",
            PackStatus.RUNNING: "blue",
            PackStatus.READY: "green",
            PackStatus.FAILED: "red",
        }[self]


class PackEventKind(models.TextChoices):
    REQUESTED = "requested", _("Asked for the pack")
    VIEWED = "viewed", _("Opened the pack's page")
    DOWNLOADED_PDF = "pdf", _("Downloaded the PDF")
    DOWNLOADED_XLSX = "xlsx", _("Downloaded the Excel workbook")


class SpcVariation(Status, models.TextChoices):
    """The variation icon of an SPC chart (NHS "Making Data Count", reporting.spc): what its latest
    point says. The tag says "Variation" in the icon's colour; the label says what it means."""

    COMMON_CAUSE = "common_cause", _("Common cause variation: no significant change")
    IMPROVEMENT_HIGH = "improvement_high", _("Special cause variation of an improving nature, where high is good")
    IMPROVEMENT_LOW = "improvement_low", _("Special cause variation of an improving nature, where low is good")
    CONCERN_HIGH = "concern_high", _("Special cause variation of a concerning nature, where the value is high")
    CONCERN_LOW = "concern_low", _("Special cause variation of a concerning nature, where the value is low")

    @property
    def colour(self):
        if self in (SpcVariation.CONCERN_HIGH, SpcVariation.CONCERN_LOW):
            return "orange"
        if self in (SpcVariation.IMPROVEMENT_HIGH, SpcVariation.IMPROVEMENT_LOW):
            return "blue"
        return "grey"

    @property
    def tag_label(self):
        return gettext("Variation")


class SpcAssurance(Status, models.TextChoices):
    """The assurance icon of an SPC chart: where the target sits against the process limits."""

    PASSING = "consistently_passing", _("The system is expected to consistently meet the target")
    FAILING = "consistently_failing", _("The system is expected to consistently fail the target")
    HIT_AND_MISS = "hit_and_miss", _("The system may achieve or fail the target, subject to random variation")

    @property
    def colour(self):
        return {SpcAssurance.PASSING: "blue", SpcAssurance.FAILING: "orange", SpcAssurance.HIT_AND_MISS: "grey"}[self]

    @property
    def tag_label(self):
        return gettext("Assurance")


class TokenState(Status, models.TextChoices):
    """Where a personal API token stands (reporting.models.ApiToken)."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")

    @property
    def colour(self):
        return {TokenState.ACTIVE: "green", TokenState.EXPIRED: "grey", TokenState.REVOKED: "red"}[self]
