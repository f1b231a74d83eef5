"""Enumerations for providers. Codes are the lowercase values of DESIGN.md's CSV formats."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

# The tint of each NHS.UK tag colour (the tag's background in nhsuk-frontend), for the places a
# status is shown without the design system's CSS: the PDF pack's shaded cells and the workbook's
# fills. Orange keeps the amber the packs have always used (also the provider page's RAG strip).
PDF_TINTS = {
    "white": "#ffffff",
    "grey": "#dbe0e3",
    "green": "#cce5d8",
    "aqua-green": "#ccedeb",
    "blue": "#ccdff1",
    "purple": "#d6cce3",
    "pink": "#efd3e3",
    "red": "#f7d4d1",
    "orange": "#ffdeab",
    "yellow": "#fff59d",
}


class Status:
    """A vocabulary of statuses people read: each value has its word and its colour.

    Mixed into a `TextChoices` or `IntegerChoices` (`class Rag(Status, models.TextChoices)`), which
    defines `colour`: the NHS.UK tag colour of each member ("green", "yellow", "red", "grey", ...).
    From it follow the tag's modifier class for HTML and the tint for the PDF and the workbook,
    so a value has one colour wherever it is shown. Every status renders through one template
    tag, `{% status value "rag" %}` (providers.templatetags.nhsuk): the word in its tag, never
    colour alone. The vocabulary's name there is the class name in snake case (`Rag`: "rag",
    `ReturnState`: "return_state"); `Status.vocabulary(name)` finds it.
    """

    _vocabularies = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Status._vocabularies[re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()] = cls

    @classmethod
    def vocabulary(cls, name):
        """The Status enum called `name` ("rag", "level", "return_state", ...)."""
        try:
            return Status._vocabularies[name]
        except KeyError:
            raise LookupError(f"No status vocabulary called {name!r}.") from None

    @property
    def colour(self):
        raise NotImplementedError

    @property
    def tag_class(self):
        """The NHS.UK tag modifier class: "nhsuk-tag--green"."""
        return f"nhsuk-tag--{self.colour}"

    @property
    def pdf_colour(self):
        """The colour's tint as hex ("#cce5d8"), to shade a cell in the PDF or the workbook."""
        return PDF_TINTS[self.colour]

    @property
    def tag_label(self):
        """The word on the tag: the label, unless the vocabulary says a shorter one."""
        return self.label


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


class InterventionLevel(Status, models.TextChoices):
    """Government or regulator intervention, as the NHS Wales escalation framework names it.

    DESIGN.md's CSV lists four codes; the issue adds "area of concern" between routine
    and enhanced monitoring, so it is accepted too (a superset keeps the contract).
    """

    ROUTINE = "routine", _("Routine arrangements")
    AREA_OF_CONCERN = "area_of_concern", _("Area of concern")
    ENHANCED_MONITORING = "enhanced_monitoring", _("Enhanced monitoring")
    TARGETED_INTERVENTION = "targeted_intervention", _("Targeted intervention")
    SPECIAL_MEASURES = "special_measures", _("Special measures")

    @property
    def colour(self):
        return {
            InterventionLevel.ROUTINE: "grey",
            InterventionLevel.AREA_OF_CONCERN: "yellow",
            InterventionLevel.ENHANCED_MONITORING: "yellow",
            InterventionLevel.TARGETED_INTERVENTION: "orange",
            InterventionLevel.SPECIAL_MEASURES: "red",
        }[self]


class DirectorLevel(models.IntegerChoices):
    """The escalation level a director role owns (METHODOLOGY 4)."""

    SERVICE_DIRECTOR = 2, _("Service Director")
    EXECUTIVE_DIRECTOR = 3, _("Executive Director")
    CHIEF_EXECUTIVE = 4, _("Chief Executive")


class GrantKind(models.TextChoices):
    """What a role grant changed (providers.models.RoleGrant)."""

    ROLE = "role", _("Roles")
    TEAM = "team", _("Commissioning teams")
    DIRECTOR_LEVEL = "director_level", _("Director levels")
    # Issue 15: the account itself (active or not) and its second factor (reset by an administrator).
    ACCOUNT = "account", _("Account")
    MFA = "mfa", _("Two-factor authentication")
