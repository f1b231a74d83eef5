"""Escalation: each provider's level, every decision that changed it, step-down proposals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assurance.periods import format_period
from providers.models import Provider

from .choices import DecisionKind, Level, ProposalStatus


class ProviderEscalation(models.Model):
    """A provider's current escalation level (METHODOLOGY 4)."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="escalation")
    level = models.PositiveSmallIntegerField(_("escalation level"), choices=Level.choices)
    since = models.DateTimeField(_("at this level since"))
    review_date = models.DateField(_("next review"), null=True, blank=True)
    last_evaluated_period = models.DateField(_("last month evaluated"), null=True, blank=True)
    # After a rejected step-down, a new proposal needs three qualifying months after this one.
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
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("Blank when made by rule."))
    decided_at = models.DateTimeField(_("when"))
    review_date = models.DateField(_("review date"), null=True, blank=True)

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
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    raised_at = models.DateTimeField(_("raised"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("step-down proposal")
        constraints = [models.UniqueConstraint(
            fields=["provider"], condition=Q(status="pending"), name="one_pending_step_down")]

    def __str__(self):
        return f"{self.provider_id}: {self.from_level} -> {self.proposed_level} ({self.status})"
