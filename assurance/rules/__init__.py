"""The methodology (../shared/METHODOLOGY.md) as pure functions on plain values, one module per
section: `indicator` (1), `area` (2), `level` (3), `escalation` (4), `meetings` (5), `committees` (6),
`risk` (7), `data_quality` (8), `follow_through` (what a Red needs, issue 18), and `numbers` for reading numbers exactly.

No ORM and no Django: plain numbers and codes in, a small result out, so the rules are tested
like the methodology's tables. Every rule is also importable from here (`rules.indicator_rag`).
The codes (RAGs, reasons, directions, return states, levels) are plain constants here; the
Django choices with their labels and colours (assurance.choices, contracts.choices.Level) use the
same codes.
"""

from .area import (  # noqa: F401
    AreaResult,
    area_rag,
)
from .committees import (  # noqa: F401
    EXCEPTION_LEVEL,
    MAX_MONTHS_COVERED,
    covered_from,
    has_exception_page,
)
from .data_quality import (  # noqa: F401
    COUNT,
    DAYS,
    DRAFT,
    GBP,
    LATE,
    LOCKED,
    NOT_STARTED,
    OVERDUE,
    PERCENT,
    PERCENT_OF_PLAN,
    RAGS,
    RATE,
    RATIO,
    REPORTED,
    RETURN_STATES,
    SUBMITTED,
    XMR_CONSTANT,
    XmRLimits,
    outside_recent_range,
    process_limits,
    result_problems,
    return_state,
    value_problem,
    xmr_limits,
)
from .escalation import (  # noqa: F401
    INITIAL,
    LEVEL_OWNER,
    PROPOSE_STEP_DOWN,
    RULES_STEP_UP,
    WITHDRAW_PROPOSAL,
    escalation_actions,
    run_after,
    triggering_areas,
)
from .follow_through import (  # noqa: F401
    ACTION_PLAN,
    FOLLOW_THROUGH_LEVEL,
    INTERVENTION_INDICATOR,
    NEEDS,
    RISK_ASSESSMENT,
    TRAJECTORY,
    governance_area_rag,
    governance_area_result,
    intervention_indicator_rag,
    is_overdue,
    missing_for_red,
    needs_follow_through,
)
from .indicator import (  # noqa: F401
    DEVELOPMENT_PLAN,
    HIGHER_BETTER,
    INTERVENTION,
    JUDGEMENT,
    MISSING,
    NOT_APPLICABLE,
    OFF_TARGET,
    ON_TRAJECTORY,
    PERSISTENT,
    REASONS,
    TARGET_MET,
    WITHIN_TOLERANCE,
    A,
    G,
    IndicatorResult,
    R,
    indicator_rag,
    is_green,
    meets,
)
from .level import (  # noqa: F401
    IMPROVED,
    LEVELS,
    RAG_ORDER,
    UNCHANGED,
    WORSENED,
    count_reds_ambers,
    direction,
    recommended_level,
)
from .meetings import (  # noqa: F401
    CQPRM,
    EXEC_TO_EXEC,
    PROVIDER_SUMMIT,
    ROUTINE_SLA_MONTHS,
    SLA,
    is_health_board,
    meeting_cadence,
)
from .numbers import (  # noqa: F401
    exact,
    gettext_noop,
    parse_number,
)
from .risk import (  # noqa: F401
    risk_register_level,
)
