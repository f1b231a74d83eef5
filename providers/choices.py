"""Enumerations for providers. Codes are the lowercase values of DESIGN.md's CSV formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    NHS_WALES = "nhs_wales", _("NHS Wales")
    NHS_ENGLAND = "nhs_england", _("NHS England")
    INDEPENDENT = "independent", _("Independent")
    THIRD_SECTOR = "third_sector", _("Third sector")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")


class Country(models.TextChoices):
    WALES = "wales", _("Wales")
    ENGLAND = "england", _("England")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


class Regulator(models.TextChoices):
    HIW = "hiw", _("Healthcare Inspectorate Wales")
    CQC = "cqc", _("Care Quality Commission")
    CIW = "ciw", _("Care Inspectorate Wales")


class InterventionLevel(models.TextChoices):
    """Government or regulator intervention, as the NHS Wales escalation framework names it.

    DESIGN.md's CSV lists four codes; the issue adds "area of concern" between routine
    and enhanced monitoring, so it is accepted too (a superset keeps the contract).
    """

    ROUTINE = "routine", _("Routine arrangements")
    AREA_OF_CONCERN = "area_of_concern", _("Area of concern")
    ENHANCED_MONITORING = "enhanced_monitoring", _("Enhanced monitoring")
    TARGETED_INTERVENTION = "targeted_intervention", _("Targeted intervention")
    SPECIAL_MEASURES = "special_measures", _("Special measures")


class DirectorLevel(models.IntegerChoices):
    """The escalation level a director role owns (METHODOLOGY 4)."""

    SERVICE_DIRECTOR = 2, _("Service Director")
    EXECUTIVE_DIRECTOR = 3, _("Executive Director")
    CHIEF_EXECUTIVE = 4, _("Chief Executive")
