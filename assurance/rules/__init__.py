"""The methodology (../shared/METHODOLOGY.md) as pure functions on plain values, one module per
section: `indicator` (1), `area` (2), `level` (3), `escalation` (4), `meetings` (5), `risk` (7),
`data_quality` (8), and `numbers` for reading numbers exactly.

No ORM and no Django: plain numbers and codes in, a small result out, so the rules are tested
like the methodology's tables. Every rule is also importable from here (`rules.indicator_rag`).
"""

from .area import (  # noqa: F401
    AreaResult,
    area_rag,
)
from .data_quality import (  # noqa: F401
    COUNT,
    DAYS,
    GBP,
    PERCENT,
    PERCENT_OF_PLAN,
    RAGS,
    RATE,
    RATIO,
    REPORTED,
    XMR_CONSTANT,
    outside_recent_range,
    process_limits,
    result_problems,
    value_problem,
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
from .indicator import (  # noqa: F401
    DEVELOPMENT_PLAN,
    HIGHER_BETTER,
    MISSING,
    NOT_APPLICABLE,
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
