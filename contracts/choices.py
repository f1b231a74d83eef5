"""Enumerations for the contract register (codes as in DESIGN.md's contracts.csv)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    SLA = "sla", _("Service Level Agreement")
    LTA = "lta", _("Long Term Agreement")
    NHS_STANDARD = "nhs_standard", _("NHS Standard Contract")
    FRAMEWORK = "framework", _("Framework agreement")
    GRANT = "grant", _("Grant")
    PRE_PLACEMENT = "pre_placement", _("Pre Placement Agreement")
    INDIVIDUAL_PLACEMENT = "individual_placement", _("Individual Placement Agreement")
    PARTNERSHIP = "partnership", _("Partnership agreement")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    EXPIRED = "expired", _("Expired")


class Tier(models.IntegerChoices):
    """Value tiers (METHODOLOGY 5; seed 000, 6.1 to 6.3)."""

    TIER_1 = 1, _("Tier 1: £40m or more, or strategic")
    TIER_2 = 2, _("Tier 2: £10m to £40m")
    TIER_3 = 3, _("Tier 3: under £10m")


class AssuranceLevel(models.IntegerChoices):
    """Overall risk rating / level of assurance on the register (seed 002, 3.2 and 3.5.1)."""

    LEVEL_1 = 1, _("Level 1: routine monitoring")
    LEVEL_2 = 2, _("Level 2: enhanced monitoring")
    LEVEL_3 = 3, _("Level 3: escalated monitoring")
    LEVEL_4 = 4, _("Level 4: escalated monitoring, CEO informed")


class RenewalWindow(models.TextChoices):
    """Filter choices for when a contract is due for renewal."""

    OVERDUE = "overdue", _("Renewal date passed")
    SIX_MONTHS = "6", _("Within 6 months")
    TWELVE_MONTHS = "12", _("Within 12 months")
