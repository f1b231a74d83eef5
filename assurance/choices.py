"""Enumerations of the assurance framework (METHODOLOGY, "Vocabulary"; codes as in DESIGN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from providers.choices import Status

# The codes are the methodology's (assurance.rules keeps them as plain strings, free of Django);
# tests/assurance/test_vocabulary.py holds the two equal.


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


class IndicatorSource(models.TextChoices):
    """Where an indicator's monthly value comes from (DESIGN.md indicators.csv `source`):
    blank, typed in returns; otherwise derived from contract actuals (METHODOLOGY 9)."""

    RETURNS = "", _("Typed in returns")
    ACTIVITY_AGAINST_PLAN = "activity_against_plan", _("Derived: activity against plan")
    COST_AGAINST_PLAN = "cost_against_plan", _("Derived: cost against plan")


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("Higher is better")
    LOWER_BETTER = "lower_better", _("Lower is better")


class Rag(Status, models.TextChoices):
    """Red, Amber, Green. Always shown with its word, never by colour alone."""

    GREEN = "G", _("Green")
    AMBER = "A", _("Amber")
    RED = "R", _("Red")

    @property
    def colour(self):
        return {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}[self]


class Direction(Status, models.TextChoices):
    """The arrow against last month on an area or a level (METHODOLOGY 3). Shown as an arrow
    with its meaning for screen readers ({% arrow %}), or as its word in a workbook."""

    IMPROVED = "improved", _("Improved")
    UNCHANGED = "unchanged", _("Unchanged")
    WORSENED = "worsened", _("Worsened")

    @property
    def colour(self):
        return {Direction.IMPROVED: "green", Direction.UNCHANGED: "grey", Direction.WORSENED: "red"}[self]

    @property
    def symbol(self):
        return {Direction.IMPROVED: "▲", Direction.UNCHANGED: "▶", Direction.WORSENED: "▼"}[self]

    @property
    def arrow_class(self):
        """The arrow's CSS classes (static/css: improved green, worsened red, unchanged grey)."""
        return "app-arrow" if self == Direction.UNCHANGED else f"app-arrow app-arrow--{self.value}"

    @property
    def arrow_title(self):
        """The arrow's tooltip."""
        return {
            Direction.IMPROVED: _("Improved since last month"),
            Direction.UNCHANGED: _("Same as last month"),
            Direction.WORSENED: _("Worse than last month"),
        }[self]

    @property
    def arrow_spoken(self):
        """What a screen reader says after the value."""
        return {
            Direction.IMPROVED: _("improved since last month"),
            Direction.UNCHANGED: _("same as last month"),
            Direction.WORSENED: _("worse than last month"),
        }[self]


class ValueStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    MISSING = "missing", _("Missing")
    DEVELOPMENT_PLAN = "development_plan", _("Development plan agreed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class ReturnState(Status, models.TextChoices):
    """Where a provider's return for a month stands, on the collection overview (METHODOLOGY 8,
    timeliness; decided by rules.return_state)."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LATE = "late", _("Submitted late")
    OVERDUE = "overdue", _("Overdue")
    LOCKED = "locked", _("Locked")

    @property
    def colour(self):
        return {
            ReturnState.NOT_STARTED: "white",
            ReturnState.DRAFT: "blue",
            ReturnState.SUBMITTED: "green",
            ReturnState.LATE: "orange",
            ReturnState.OVERDUE: "red",
            ReturnState.LOCKED: "grey",
        }[self]


class RatingReason(Status, models.TextChoices):
    """Why an indicator got its RAG: the rule of METHODOLOGY 1 that fired. Its colour is that of
    the RAG the rule gives (grey where the rule gives none, or a person's judgement)."""

    NOT_APPLICABLE = "not_applicable", _("Not applicable this month")
    MISSING = "missing", _("Not reported")
    DEVELOPMENT_PLAN = "development_plan", _("Data not yet available; development plan agreed")
    JUDGEMENT = "judgement", _("Rated by the commissioning team")
    TARGET_MET = "target_met", _("Target met")
    ON_TRAJECTORY = "on_trajectory", _("Target missed, but on the agreed trajectory")
    PERSISTENT = "persistent", _("Target missed for three months running")
    WITHIN_TOLERANCE = "within_tolerance", _("Target missed, within the amber threshold")
    OFF_TARGET = "off_target", _("Target missed, beyond the amber threshold")
    INTERVENTION = "intervention", _("Capped by the government intervention level")

    @property
    def colour(self):
        return {
            RatingReason.NOT_APPLICABLE: "grey",
            RatingReason.MISSING: "red",
            RatingReason.DEVELOPMENT_PLAN: "orange",
            RatingReason.JUDGEMENT: "grey",
            RatingReason.TARGET_MET: "green",
            RatingReason.ON_TRAJECTORY: "orange",
            RatingReason.PERSISTENT: "red",
            RatingReason.WITHIN_TOLERANCE: "orange",
            RatingReason.OFF_TARGET: "red",
            RatingReason.INTERVENTION: "red",
        }[self]


class JobStatus(Status, models.TextChoices):
    """Where a background job stands (assurance.models.Job): a rating run, a committee pack."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

    @property
    def colour(self):
        return {JobStatus.QUEUED: "grey", JobStatus.RUNNING: "blue", JobStatus.DONE: "green", JobStatus.FAILED: "red"}[
            self
        ]
