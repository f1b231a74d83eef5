"""Contract value tiers and routine meeting cadence (METHODOLOGY 5), as pure functions.

Kept free of the ORM so the rule reads like the methodology's table and is tested
without a database; `Contract.objects.with_tier()` applies the same thresholds in SQL.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from providers.periods import add_months, months_between

TIER_1_MIN = Decimal("40000000")
TIER_2_MIN = Decimal("10000000")
RENEWAL_FLAG_MONTHS = 6

ROUTINE_CADENCE = {
    1: _("Bi-monthly SLA meeting with lead executive; annual Exec-to-Exec"),
    2: _("Bi-annual SLA meeting"),
    3: _("Annual SLA meeting"),
}
# Months between routine SLA meetings, for "next meeting due" (later issues).
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
