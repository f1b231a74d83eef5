"""Enumerations for the contract register (codes as in DESIGN.md's contracts.csv)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from providers.choices import Status


class ContractType(models.TextChoices):
    SLA = "sla", _("Service Level Agreement")
    LTA = "lta", _("Long Term Agreement")
    NHS_STANDARD = "nhs_standard", _("NHS Standard Contract")
    FRAMEWORK = "framework", _("Framework agreement")
    GRANT = "grant", _("Grant")
    PRE_PLACEMENT = "pre_placement", _("Pre Placement Agreement")
    INDIVIDUAL_PLACEMENT = "individual_placement", _("Individual Placement Agreement")
    PARTNERSHIP = "partnership", _("Partnership agreement")


class ContractStatus(Status, models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    EXPIRED = "expired", _("Expired")

    @property
    def colour(self):
        return {
            ContractStatus.DRAFT: "blue",
            ContractStatus.ACTIVE: "green",
            ContractStatus.INACTIVE: "grey",
            ContractStatus.EXPIRED: "red",
        }[self]


class Tier(models.IntegerChoices):
    """Value tiers (METHODOLOGY 5; seed 000, 6.1 to 6.3)."""

    TIER_1 = 1, _("Tier 1: £40m or more, or strategic")
    TIER_2 = 2, _("Tier 2: £10m to £40m")
    TIER_3 = 3, _("Tier 3: under £10m")


# What each tier's routine meetings are, in words (METHODOLOGY 5); how many months apart they
# fall is contracts.tiers.ROUTINE_CADENCE_MONTHS.
ROUTINE_CADENCE = {
    Tier.TIER_1: _("Bi-monthly SLA meeting with lead executive; annual Exec-to-Exec"),
    Tier.TIER_2: _("Bi-annual SLA meeting"),
    Tier.TIER_3: _("Annual SLA meeting"),
}


class Level(Status, models.IntegerChoices):
    """Escalation levels (seed 002, 3.5.1; METHODOLOGY 3 and 4), the one definition: a provider's
    escalation level, a recommended level, and the register's overall risk rating (level of
    assurance, seed 002, 3.2) are all one of these. Here, left of escalation, so the contract
    register can use it too; escalation.choices re-exports it."""

    ROUTINE = 1, _("Level 1: routine monitoring")
    ENHANCED = 2, _("Level 2: enhanced monitoring")
    ESCALATED = 3, _("Level 3: escalated monitoring")
    CEO = 4, _("Level 4: escalated monitoring, CEO informed")

    @property
    def colour(self):
        return {Level.ROUTINE: "green", Level.ENHANCED: "yellow", Level.ESCALATED: "orange", Level.CEO: "red"}[self]

    @property
    def tag_label(self):
        """The tag says "Level 3"; the label's meaning is shown beside it where there is room."""
        return gettext("Level %(n)s") % {"n": self.value}


class RenewalWindow(models.TextChoices):
    """Filter choices for when a contract is due for renewal."""

    OVERDUE = "overdue", _("Renewal date passed")
    SIX_MONTHS = "6", _("Within 6 months")
    TWELVE_MONTHS = "12", _("Within 12 months")
