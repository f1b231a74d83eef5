"""Enumerations of the assurance framework (METHODOLOGY, "Vocabulary"; codes as in DESIGN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The five key areas of the scorecard (seed 002, Table 2)."""

    ACCESS = "access", _("Access")
    QUALITY_SAFETY = "quality_safety", _("Quality and safety")
    FINANCE_ACTIVITY = "finance_activity", _("Finance and activity")
    PATIENT_EXPERIENCE = "patient_experience", _("Patient experience")
    GOVERNANCE = "governance", _("Governance")


class Setting(models.TextChoices):
    """Access indicators are unscheduled (USC) or planned care."""

    UNSCHEDULED = "unscheduled", _("Unscheduled care")
    PLANNED = "planned", _("Planned care")


class Domain(models.TextChoices):
    """The four domains of the performance assurance framework (seed 000, Appendix 1)."""

    QUANTITATIVE = "quantitative", _("Quantitative")
    PROCESS = "process", _("Process")
    OUTCOME = "outcome", _("Outcome")
    QUALITATIVE = "qualitative", _("Qualitative")


class Cohort(models.TextChoices):
    """Patient cohorts the four domains apply to (seed 000, Appendix 1)."""

    REFERRED = "referred", _("All patients referred")
    TREATED = "treated", _("Patients undergoing treatment")
    NOT_TREATED = "not_treated", _("Patients referred but not treated")
    DIVERTED = "diverted", _("Patients diverted to alternative treatment")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percentage")
    PERCENT_OF_PLAN = "percent_of_plan", _("Percentage of plan (may exceed 100)")
    RATE = "rate", _("Rate")
    DAYS = "days", _("Days")
    GBP = "gbp", _("Pounds (£)")
    RATIO = "ratio", _("Ratio")


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("Higher is better")
    LOWER_BETTER = "lower_better", _("Lower is better")


class Rag(models.TextChoices):
    """Red, Amber, Green. Always shown with its word, never by colour alone."""

    GREEN = "G", _("Green")
    AMBER = "A", _("Amber")
    RED = "R", _("Red")


class ValueStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    MISSING = "missing", _("Missing")
    DEVELOPMENT_PLAN = "development_plan", _("Development plan agreed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class RatingReason(models.TextChoices):
    """Why an indicator got its RAG: the rule of METHODOLOGY 1 that fired."""

    NOT_APPLICABLE = "not_applicable", _("Not applicable this month")
    MISSING = "missing", _("Not reported")
    DEVELOPMENT_PLAN = "development_plan", _("Data not yet available; development plan agreed")
    JUDGEMENT = "judgement", _("Rated by the commissioning team")
    TARGET_MET = "target_met", _("Target met")
    ON_TRAJECTORY = "on_trajectory", _("Target missed, but on the agreed trajectory")
    PERSISTENT = "persistent", _("Target missed for three months running")
    WITHIN_TOLERANCE = "within_tolerance", _("Target missed, within the amber threshold")
    OFF_TARGET = "off_target", _("Target missed, beyond the amber threshold")
