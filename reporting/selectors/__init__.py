"""Reads for the reporting pages, one module per page: the dashboard's scorecard, the
provider page, committee packs and highlight reports. Every public name is also here."""

from .highlight import highlight
from .packs import (
    CHART_MONTHS,
    EXCEPTION_LEVEL,
    MAX_CHARTS_PER_PROVIDER,
    committees_readable_by,
    committees_visible_to,
    pack_data,
    packs_visible_to,
    previous_pack_period,
)
from .provider_page import provider_performance
from .scorecard import (
    AREAS,
    PAGE_SCOPE_LIMIT,
    SCORECARD_AREAS,
    SORTS,
    changed_since_last_month,
    decision_phrase,
    effective_access,
    rated_months,
    scorecard,
    scorecard_page,
    step_ups,
)

__all__ = [
    "AREAS",
    "CHART_MONTHS",
    "EXCEPTION_LEVEL",
    "MAX_CHARTS_PER_PROVIDER",
    "PAGE_SCOPE_LIMIT",
    "SCORECARD_AREAS",
    "SORTS",
    "changed_since_last_month",
    "committees_readable_by",
    "committees_visible_to",
    "decision_phrase",
    "effective_access",
    "highlight",
    "pack_data",
    "packs_visible_to",
    "previous_pack_period",
    "provider_performance",
    "rated_months",
    "scorecard",
    "scorecard_page",
    "step_ups",
]
