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
