"""What a committee pack holds (METHODOLOGY 6): the frames and records `reporting.selectors.pack_data`
fills and the PDF and workbook lay out. No ORM, no reportlab."""

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

SCORECARD_AREAS = ["quality_safety", "finance_activity", "patient_experience", "governance"]
SCORECARD_COLUMNS = [
    "provider",
    "code",
    "received",
    "usc",
    "usc_direction",
    "usc_overridden",
    "planned",
    "planned_direction",
    "planned_overridden",
    *SCORECARD_AREAS,
    *(f"{a}_direction" for a in SCORECARD_AREAS),
    *(f"{a}_overridden" for a in SCORECARD_AREAS),
    "recommended",
    "recommended_direction",
    "escalation",
    "escalation_direction",
    "pending_step_down",
]
NO_RETURN_COLUMNS = ["month", "provider", "code", "team", "state"]
DECISION_COLUMNS = ["date", "month", "provider", "from_level", "to_level", "kind", "reasons", "rationale", "decided_by"]
EXCEPTION_INDICATOR_COLUMNS = ["area", "indicator", "value", "target", "rag", "reason", "note"]
COMPLETENESS_COLUMNS = ["month", "team", "providers", "completeness", "timeliness", "overdue"]
CORPORATE_RISK_COLUMNS = [
    "provider",
    "code",
    "risk",
    "score",
    "likelihood",
    "consequence",
    "mitigation",
    "owner",
    "review_date",
    "review_passed",
]
SUMMIT_COLUMNS = ["date", "provider", "code", "chair", "attendees", "open_actions"]
RENEWAL_COLUMNS = ["reference", "provider", "title", "team", "annual_value", "renewal_date", "tier", "overdue"]


@dataclass
class ChartData:
    """One indicator's series for a trend chart on an exception page."""

    title: str
    unit: str
    target: float | None
    amber: float | None
    higher_is_better: bool
    values: pd.DataFrame  # period (date), value (float)
    trajectory: pd.DataFrame  # period (date), value (float)


@dataclass
class ExceptionPage:
    """A provider at level 3 or 4, or with a Red area: what its exception page shows."""

    provider: str
    code: str
    escalation_level: int | None
    recommended_level: int | None
    intervention: str
    areas: list  # [(area label, effective RAG, computed RAG if overridden)]
    indicators: pd.DataFrame  # EXCEPTION_INDICATOR_COLUMNS: its Red and Amber indicators
    charts: list = field(default_factory=list)  # [ChartData]
    plans: list = field(default_factory=list)  # [{title, area, indicator, actions, owner, next_review}]
    received: bool = True  # False: no return this month, so nothing rated (it keeps its level)
    # What a Red here still lacks (escalation.flags): plain sentences, e.g. "Quality and safety is Red
    # with no action plan."; shown as flags at the top of the page.
    flags: list = field(default_factory=list)


@dataclass
class PackData:
    """Everything one pack shows for a committee and month, read once (`selectors.pack_data`)."""

    committee: str
    committee_name: str
    period: date
    period_from: date
    months: list
    built_on: date
    levels: pd.DataFrame  # level, providers, before, recommended
    pending_step_downs: int
    decisions: pd.DataFrame  # DECISION_COLUMNS
    scorecard: pd.DataFrame  # SCORECARD_COLUMNS
    exceptions: list  # [ExceptionPage]
    completeness: pd.DataFrame  # COMPLETENESS_COLUMNS
    renewals: pd.DataFrame  # RENEWAL_COLUMNS
    renewals_from: date
    # The providers in scope whose return was not received, per month covered (NO_RETURN_COLUMNS).
    no_returns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NO_RETURN_COLUMNS))
    # The month's collection deadline when the pack was built on or before it (ratings provisional).
    provisional_until: date | None = None
    # Which providers the committee hears about, in words (Committee.scope's label).
    scope: str = ""
    # When the committee's previous pack was built: the decisions are those recorded since (None: a
    # first pack, so those recorded since the start of the months covered).
    decisions_since: datetime | None = None
    # The corporate risk register (CRAF, score 15 and above): CORPORATE_RISK_COLUMNS.
    corporate_risks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CORPORATE_RISK_COLUMNS))
    # The provider summits held in the months covered: SUMMIT_COLUMNS.
    summits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SUMMIT_COLUMNS))
    # The financial position at the month (METHODOLOGY 9), laid out by reporting.packs.finance: a dict
    # of plain values from reporting.selectors.finance.pack_finance (None: not read for this pack).
    finance: dict | None = None
