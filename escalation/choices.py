from django.db import models
from django.utils.translation import gettext_lazy as _

# Escalation levels are defined once, in contracts (left of escalation: the register's risk
# rating is the same level); here for the escalation code that imports it from .choices.
from contracts.choices import Level  # noqa: F401


class DecisionKind(models.TextChoices):
    INITIAL = "initial", _("First rating")
    RULES_STEP_UP = "rules_step_up", _("Step-up by rule")
    MANUAL_STEP_UP = "manual_step_up", _("Manual escalation")
    STEP_DOWN = "step_down", _("Step-down approved")
    EXECUTIVE_DECISION = "executive_decision", _("Executive Committee decision (special measures)")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EscalationReason(models.TextChoices):
    """Reasons for escalation (seed 002, 3.5.1; METHODOLOGY 4)."""

    SERVICE_CONTINUITY = "service_continuity", _("Immediate challenge to service continuity")
    DATA_ALARMS = "data_alarms", _("Alarms from qualitative or quantitative data")
    WORKFORCE = "workforce_soft_intelligence", _("Workforce metrics or credible soft intelligence")
    FAILED_PLANS = "failed_improvement_plans", _("Repeated failure to deliver improvement plans")
    LEADERSHIP = "leadership_governance", _("Poor leadership or governance")
    MEDIA = "media_exposure", _("Serious media exposure or covert reporting")
    MINOR_CONCERNS = "growing_minor_concerns", _("Growing number of minor concerns")
    CRITICAL_REVIEW = "critical_independent_review", _("Highly critical independent review")
    REGULATOR = "regulator_concern", _("Serious concern from HIW, CQC, CHC, CIW or Welsh Government")
    SPECIAL_MEASURES = "special_measures", _("Government or regulator special measures")


class MeetingKind(models.TextChoices):
    SLA = "sla", _("SLA meeting")
    CQPRM = "cqprm", _("Contract quality and performance review meeting (CQPRM)")
    EXEC_TO_EXEC = "exec_to_exec", _("Exec-to-Exec")
    PROVIDER_SUMMIT = "provider_summit", _("Provider summit")
    DEEP_DIVE = "deep_dive", _("Deep dive")
    CMB = "cmb", _("Contract Management Board")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RiskRegister(models.TextChoices):
    LOCAL = "local", _("Managed locally (1 to 6)")
    TEAM = "team", _("Commissioning team register (8 to 12)")
    CORPORATE = "corporate", _("Corporate risk register, CRAF (15 and above)")


# Seed 002, Appendix 2: the sample agenda for an internal provider summit.
SUMMIT_AGENDA = """1. Background and purpose
2. How we are proposing to run the summit
3. Examination of available information and data, with a summary and flagging of the big issues:
   - Governance and strategic change
   - Access
   - Quality and safety
   - Finance
   - Patient experience
   - Any other relevant data or information
   - No surprises
4. How concerned should we be?
5. Next steps"""
