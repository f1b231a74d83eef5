"""Which months a pack covers (METHODOLOGY 6), as a pure function."""

from providers.periods import shift


def covered_from(period, previous_pack_period, cadence_months, max_months=12):
    """The first month a pack covers: the month after the committee's previous pack, or,
    for a first pack, one cadence back (two months for the bi-monthly Joint Committee).
    Never more than `max_months` months, and never after the pack's own month."""
    if previous_pack_period is None or previous_pack_period >= period:
        start = shift(period, -(cadence_months - 1))
    else:
        start = shift(previous_pack_period, 1)
    return max(start, shift(period, -(max_months - 1)))
