"""Contract value tiers and routine meeting cadence (METHODOLOGY 5), as pure functions.

Kept free of the ORM, and of Django altogether, so the rule reads like the methodology's table
and is tested without a database, and the methodology's rules (assurance.rules.meetings) can take
the cadence from here; `Contract.objects.with_tier()` applies the same thresholds in SQL. The
words for each tier's meetings are contracts.choices.ROUTINE_CADENCE.
"""

from datetime import date, timedelta
from decimal import Decimal

from providers.periods import add_months, months_between

TIER_1_MIN = Decimal("40000000")
TIER_2_MIN = Decimal("10000000")
RENEWAL_FLAG_MONTHS = 6

# Months between routine SLA meetings, by tier: the one copy (assurance.rules.meeting_cadence
# reads it for "next meeting due").
ROUTINE_CADENCE_MONTHS = {1: 2, 2: 6, 3: 12}


def value_tier(annual_value, strategic_importance=False):
    """Tier 1: at least £40m a year or of strategic importance; 2: £10m to £40m; 3: below."""
    if strategic_importance or annual_value >= TIER_1_MIN:
        return 1
    if annual_value >= TIER_2_MIN:
        return 2
    return 3


def contract_length_months(start: date, end: date) -> int:
    """Length in whole months, counting the last day: 1 April to 31 March is 12 months."""
    return months_between(start, end + timedelta(days=1))


def renewal_due_soon(renewal: date, today: date, months: int = RENEWAL_FLAG_MONTHS) -> bool:
    """True when the renewal date has passed or falls within `months` months of today."""
    return renewal <= add_months(today, months)
