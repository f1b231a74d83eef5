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


class DeepDiveScope(models.TextChoices):
    """What a deep dive across providers looks at (seed 000, 6.4)."""

    PROVIDER = "provider", _("One provider")
    SPECIALTY = "specialty", _("A specialty, across providers")
    GEOGRAPHY = "geography", _("A geography, across providers")


class IntelligenceKind(models.TextChoices):
    """The sources of intelligence seed 004 asks commissioners to triangulate (issue 18)."""

    REGULATOR_REPORT = "regulator_report", _("Regulator report (HIW, CQC, CIW, Audit Wales)")
    INSPECTION_RATING = "inspection_rating", _("Inspection rating")
    ENFORCEMENT_NOTICE = "enforcement_notice", _("Enforcement or improvement notice")
    SOFT_INTELLIGENCE = "soft_intelligence", _("Soft intelligence")
    MEDIA = "media", _("Media")
    COMPLAINT_THEME = "complaint_theme", _("Complaint theme")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    CORONER = "coroner", _("Coroner")
    YOU_SAID_WE_DID = "you_said_we_did", _("You said, we did")
    QUALITY_PORTAL = "quality_portal", _("NHS England quality portal")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    SEVERE = "severe", _("Severe")


class RegulatorRating(models.TextChoices):
    """Inspection ratings as the regulators publish them (CQC's four; HIW and CIW findings read onto them)."""

    OUTSTANDING = "outstanding", _("Outstanding")
    GOOD = "good", _("Good")
    REQUIRES_IMPROVEMENT = "requires_improvement", _("Requires improvement")
    INADEQUATE = "inadequate", _("Inadequate")


# Seed 002, Appendix 2: who may attend an internal provider summit (the Chief Executive decides).
SUMMIT_ATTENDEES = """Chief Executive
Executive Director of Finance or their deputy
Chief Operating Officer
Executive Director of Nursing and Midwifery or their deputy
Executive Director of Public Health or their deputy
Executive Director of Strategy and Transformation
Executive Medical Director or their deputy
(Other attendees may also be invited)"""

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
