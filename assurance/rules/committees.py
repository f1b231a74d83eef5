"""METHODOLOGY 6, committees and packs: which months a pack covers, and which providers get an
exception page."""

from providers.periods import shift

from .indicator import R

EXCEPTION_LEVEL = 3  # level 3 or 4 gets an exception page
MAX_MONTHS_COVERED = 12  # a pack never reaches back more than a year


def covered_from(period, previous_pack_period, cadence_months, max_months=MAX_MONTHS_COVERED):
    """The first month a pack covers: the month after the committee's previous pack, or,
    for a first pack, one cadence back (two months for the bi-monthly Joint Committee).
    Never more than `max_months` months, and never after the pack's own month."""
    if previous_pack_period is None or previous_pack_period >= period:
        start = shift(period, -(cadence_months - 1))
    else:
        start = shift(previous_pack_period, 1)
    return max(start, shift(period, -(max_months - 1)))


def has_exception_page(escalation_level, area_rags):
    """Whether a provider gets an exception page in a pack: at escalation level 3 or 4, or with
    any Red area. `area_rags` are the month's area RAGs that count (after overrides; the scorecard's
    USC and Planned halves of Access may be among them), blank or None where not rated."""
    return (escalation_level or 0) >= EXCEPTION_LEVEL or any(rag == R for rag in area_rags)


# Which providers a committee's pack covers (METHODOLOGY 6, second edition) -------------------

# The scopes a committee can take; reporting.choices.CommitteeScope labels the same codes.
SCOPE_ALL = "all"  # every provider in scope for the month (CDGB, Management Group, Joint Committee)
SCOPE_LEVEL_3_UP = "level_3_up"  # PFIG: seed 002, 3.5.1 and 3.6
SCOPE_LEVEL_4_SUMMITS = "level_4_summits"  # the Board: seed 002, 3.5.1 and 3.5.2
SCOPE_QUALITY_SAFETY = "quality_safety"  # QPSC: seed 001, 3.2.4
SCOPES = (SCOPE_ALL, SCOPE_LEVEL_3_UP, SCOPE_LEVEL_4_SUMMITS, SCOPE_QUALITY_SAFETY)


def provider_in_scope(scope, *, escalation_level=None, quality_safety_rag=None, critical_red=False, summit_held=False):
    """Whether a committee with `scope` hears about a provider this month.

    - all: every provider;
    - level 3 and above: its escalation level is 3 or 4;
    - level 4 and summits: its level is 4, or a provider summit was held about it in the months covered;
    - quality and safety: its Quality and safety area is Red, or one of its critical indicators is Red,
      or a provider summit was held about it in the months covered.
    """
    level = escalation_level or 0
    if scope == SCOPE_ALL:
        return True
    if scope == SCOPE_LEVEL_3_UP:
        return level >= 3
    if scope == SCOPE_LEVEL_4_SUMMITS:
        return level >= 4 or bool(summit_held)
    if scope == SCOPE_QUALITY_SAFETY:
        return quality_safety_rag == R or bool(critical_red) or bool(summit_held)
    raise ValueError(f"Unknown committee scope: {scope!r}")


def decision_in_scope(scope, *, from_level, to_level, provider_in_scope_now):
    """Whether an escalation decision goes into a committee's pack: any decision about a provider in
    its scope, and for the committees scoped by level also a decision that moved a provider into or
    out of their levels (a step-down from 3 to 2 is news to the committee that heard about level 3)."""
    if scope == SCOPE_ALL or provider_in_scope_now:
        return True
    floor = {SCOPE_LEVEL_3_UP: 3, SCOPE_LEVEL_4_SUMMITS: 4}.get(scope)
    return floor is not None and max(from_level or 0, to_level or 0) >= floor
