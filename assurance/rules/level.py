"""METHODOLOGY 3, the recommended escalation level and the direction arrows."""

from .indicator import A, G, R

LEVELS = (1, 2, 3, 4)  # routine, enhanced, escalated, escalated with the CEO informed


def count_reds_ambers(area_rags):
    rags = [rag for rag in area_rags if rag is not None]
    return sum(1 for rag in rags if rag == R), sum(1 for rag in rags if rag == A)


def recommended_level(area_rags, previous_two_reds=(None, None)):
    """METHODOLOGY 3 from this month's five area ratings (after overrides).

    `previous_two_reds` holds the count of Red areas in each of the two preceding months
    (None when that month is not a collection period or the provider was not rated).
    Returns None when no area is rated.
    """
    if all(rag is None for rag in area_rags):
        return None
    reds, ambers = count_reds_ambers(area_rags)
    if reds >= 2 and all(previous is not None and previous >= 2 for previous in previous_two_reds):
        return 4
    if reds >= 1:
        return 3
    if ambers >= 2:
        return 2
    return 1


IMPROVED, UNCHANGED, WORSENED = "improved", "unchanged", "worsened"
RAG_ORDER = {G: 0, A: 1, R: 2}


def direction(previous, current, order=RAG_ORDER):
    """The arrow against last month: improved, unchanged or worsened; None if either is not rated.

    For RAGs, Green is best; for levels pass `order=None`: a lower level is better.
    """
    if previous is None or current is None:
        return None
    rank = (lambda x: x) if order is None else order.get
    before, now = rank(previous), rank(current)
    if now < before:
        return IMPROVED
    if now > before:
        return WORSENED
    return UNCHANGED
