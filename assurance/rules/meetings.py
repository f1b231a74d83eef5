"""METHODOLOGY 5, meeting cadence from the contract tier and the escalation level."""

# The tier table (and its months between routine SLA meetings) is the contract register's:
# contracts.tiers, pure like this package, is its one home.
from contracts.tiers import ROUTINE_CADENCE_MONTHS as ROUTINE_SLA_MONTHS

SLA, CQPRM, EXEC_TO_EXEC, PROVIDER_SUMMIT = "sla", "cqprm", "exec_to_exec", "provider_summit"


def meeting_cadence(tier, level):
    """METHODOLOGY 5: {meeting kind: months between meetings} for a provider.

    Routine SLA meetings follow the tier of the provider's largest active contract (tier 1
    also an annual Exec-to-Exec); escalation sets a minimum on top: a CQPRM at least every
    two months at level 2, monthly at levels 3 and 4.
    """
    cadence = {}
    if tier in ROUTINE_SLA_MONTHS:
        cadence[SLA] = ROUTINE_SLA_MONTHS[tier]
    if tier == 1:
        cadence[EXEC_TO_EXEC] = 12
    if level == 2:
        cadence[CQPRM] = 2
    elif level in (3, 4):
        cadence[CQPRM] = 1
    return cadence
