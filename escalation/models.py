"""Escalation: each provider's level, every decision that changed it, step-down proposals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assurance.choices import Area
from assurance.models import Indicator
from assurance.rules import risk_register_level
from providers.models import CommissioningTeam, Provider
from providers.periods import format_period

from .choices import (
    ActionStatus,
    DecisionKind,
    DeepDiveScope,
    IntelligenceKind,
    Level,
    MeetingKind,
    PlanStatus,
    ProposalStatus,
    RegulatorRating,
    RiskRegister,
    Severity,
)


class ProviderEscalation(models.Model):
    """A provider's current escalation level (METHODOLOGY 4)."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="escalation")
    level = models.PositiveSmallIntegerField(_("escalation level"), choices=Level.choices)
    since = models.DateTimeField(_("at this level since"))
    review_date = models.DateField(_("next review"), null=True, blank=True)
    last_evaluated_period = models.DateField(_("last month evaluated"), null=True, blank=True)
    # METHODOLOGY 4, "the month of a change of level": a step-down run starts after it.
    changed_period = models.DateField(_("month of the latest change of level"), null=True, blank=True)
    # The month of the latest rejected or withdrawn proposal: a new run starts after it too.
    proposal_gate = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("provider escalation")

    def __str__(self):
        return f"{self.provider} at level {self.level}"


class EscalationDecision(models.Model):
    """A change of level: from, to, kind, reasons, rationale, who, when and the review date."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="escalation_decisions")
    period = models.DateField(_("month"), help_text=_("The month whose ratings led to the decision."))
    from_level = models.PositiveSmallIntegerField(_("from"), choices=Level.choices, null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(_("to"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank when made by rule."),
    )
    decided_at = models.DateTimeField(_("when"))
    review_date = models.DateField(_("review date"), null=True, blank=True)
    intelligence = models.ManyToManyField(
        "IntelligenceEntry", blank=True, related_name="decisions", verbose_name=_("intelligence cited")
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("escalation decision")

    def __str__(self):
        return f"{self.provider_id}: {self.from_level} -> {self.to_level} ({self.kind}, {format_period(self.period)})"


class StepDownProposal(models.Model):
    """A step-down raised by rule, waiting for the director who owns the current level."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="step_down_proposals")
    period = models.DateField(_("raised for month"))
    from_level = models.PositiveSmallIntegerField(_("from"), choices=Level.choices)
    proposed_level = models.PositiveSmallIntegerField(_("to"), choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    raised_at = models.DateTimeField(_("raised"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    # A withdrawal (METHODOLOGY 4): the month that showed the improvement did not hold, and why.
    withdrawn_period = models.DateField(_("withdrawn in month"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("step-down proposal")
        constraints = [
            models.UniqueConstraint(fields=["provider"], condition=Q(status="pending"), name="one_pending_step_down")
        ]

    def __str__(self):
        return f"{self.provider_id}: {self.from_level} -> {self.proposed_level} ({self.status})"


class Meeting(models.Model):
    """An SLA meeting, CQPRM, Exec-to-Exec, provider summit, deep dive or Contract Management Board."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    chair = models.CharField(_("chair"), max_length=200)
    executive_chair = models.CharField(
        _("executive chair"),
        max_length=200,
        blank=True,
        help_text=_("At level 4 the CQPRM is chaired by the executive lead (METHODOLOGY 5): name and post."),
    )
    # A deep dive may look at a specialty or a geography across several providers (seed 000, 6.4):
    # `provider` leads, `other_providers` are the rest.
    scope = models.CharField(
        _("deep dive covers"), max_length=20, choices=DeepDiveScope.choices, default=DeepDiveScope.PROVIDER
    )
    scope_detail = models.CharField(
        _("specialty or geography"),
        max_length=200,
        blank=True,
        help_text=_("For example Cardiac surgery, or North Wales."),
    )
    other_providers = models.ManyToManyField(
        Provider, blank=True, related_name="shared_meetings", verbose_name=_("other providers covered")
    )
    attendees = models.TextField(_("attendees"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")

    def __str__(self):
        return f"{self.get_kind_display()}, {self.provider.name}, {self.date:%d %b %Y}"


class MeetingAction(models.Model):
    """An action from a meeting: what, who owns it, by when, and where it stands."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("meeting action")

    def __str__(self):
        return self.description


class ActionPlan(models.Model):
    """The action plan a Red indicator or area needs (seed 003, section 8)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="action_plans")
    area = models.CharField(_("key area"), max_length=30, choices=Area.choices)
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
        help_text=_("Leave blank for a plan covering the whole area."),
    )
    title = models.CharField(_("title"), max_length=255)
    actions = models.TextField(_("actions"), help_text=_("What will be done, by whom and by when."))
    review_points = models.TextField(_("review points"), help_text=_("When progress will be reviewed, and where."))
    next_review = models.DateField(_("next review"))
    risk_assessment = models.TextField(
        _("risk assessment"), help_text=_("The impact of under-performance on the quality and safety of care.")
    )
    support_needed = models.TextField(_("support needed"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "next_review"]
        verbose_name = _("action plan")

    def __str__(self):
        return self.title


class Risk(models.Model):
    """A risk about a provider, scored likelihood x consequence (METHODOLOGY 7)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    consequence = models.PositiveSmallIntegerField(
        _("consequence (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    area = models.CharField(
        _("key area"),
        max_length=30,
        choices=Area.choices,
        blank=True,
        help_text=_("The key area this risk assesses: a Red area needs a risk assessment (seed 003, section 8)."),
    )
    team = models.ForeignKey(
        CommissioningTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        verbose_name=_("commissioning team"),
        help_text=_("The team whose register holds the risk."),
    )
    controls = models.TextField(_("controls in place"), blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    review_date = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-pk"]
        verbose_name = _("risk")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, consequence__gte=1, consequence__lte=5),
                name="risk_scores_one_to_five",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def score(self):
        return risk_register_level(self.likelihood, self.consequence)[0]

    @property
    def register(self):
        return risk_register_level(self.likelihood, self.consequence)[1]

    def get_register_display(self):
        return dict(RiskRegister.choices)[self.register]


def validate_web_link(value):
    """A link is http or https only (no javascript:, data: or file: links)."""
    URLValidator(schemes=["http", "https"], message=_("Enter a web address starting http:// or https://."))(value)


ATTACHMENT_TYPES = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv", "png", "jpg", "jpeg"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_attachment_size(file):
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Attach a smaller file or give a link instead."))


class IntelligenceEntry(models.Model):
    """One piece of intelligence about a provider (issue 18; seed 004 asks for it to be triangulated):
    a regulator report or rating, a notice, soft intelligence, media, a complaint theme, an
    ombudsman or coroner response, "you said, we did", or the NHS England quality portal."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="intelligence")
    kind = models.CharField(_("kind"), max_length=30, choices=IntelligenceKind.choices)
    date = models.DateField(_("date"), help_text=_("The date of the report, rating, notice or event."))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("Who it came from, for example HIW or CQC."))
    area = models.CharField(_("key area"), max_length=30, choices=Area.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    rating = models.CharField(
        _("regulator rating"),
        max_length=30,
        choices=RegulatorRating.choices,
        blank=True,
        help_text=_("For an inspection rating: the rating given, as of the date above."),
    )
    link = models.CharField(_("link"), max_length=500, blank=True, validators=[validate_web_link])
    attachment = models.FileField(
        _("attachment"),
        upload_to="intelligence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_TYPES), validate_attachment_size],
        help_text=_("PDF, Word, Excel, OpenDocument, text, CSV or image; at most 10 MB."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("intelligence entry")
        verbose_name_plural = _("intelligence entries")

    def __str__(self):
        return self.title
