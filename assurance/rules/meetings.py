"""METHODOLOGY 5, meeting cadence from the contract tier and the escalation level."""

# The tier table (and its months between routine SLA meetings) is the contract register's:
# contracts.tiers, pure like this package, is its one home.
from contracts.tiers import ROUTINE_CADENCE_MONTHS as ROUTINE_SLA_MONTHS

SLA, CQPRM, EXEC_TO_EXEC, PROVIDER_SUMMIT = "sla", "cqprm", "exec_to_exec", "provider_summit"


def is_health_board(sector, name):
    """An NHS Wales health board (seed 000, 4: an annual Exec-to-Exec with each, in its
    commissioner role): an NHS Wales provider named a health board, not an NHS trust."""
    return sector == "nhs_wales" and "health board" in (name or "").lower()


def meeting_cadence(tier, level, *, health_board=False):
    """METHODOLOGY 5: {meeting kind: months between meetings} for a provider.

    Routine SLA meetings follow the tier of the provider's largest active contract (tier 1
    also an annual Exec-to-Exec); escalation sets a minimum on top: a CQPRM at least every
    two months at level 2, monthly at levels 3 and 4. An NHS Wales health board has an annual
    Exec-to-Exec whatever its tier (seed 000, 4; issue 18).
    """
    cadence = {}
    if tier in ROUTINE_SLA_MONTHS:
        cadence[SLA] = ROUTINE_SLA_MONTHS[tier]
    if tier == 1 or health_board:  # seed 000, 4: an annual Exec-to-Exec with each health board
        cadence[EXEC_TO_EXEC] = 12
    if level == 2:
        cadence[CQPRM] = 2
    elif level in (3, 4):
        cadence[CQPRM] = 1
    return cadence
