"""METHODOLOGY 2, the area RAG from its indicators' RAGs."""

from dataclasses import dataclass

from .indicator import A, G, R


@dataclass(frozen=True)
class AreaResult:
    rag: str | None
    greens: int
    ambers: int
    reds: int


def area_rag(ratings):
    """METHODOLOGY 2 from [(rag, critical)] of the area's indicators (None rags excluded).

    Red if reds outnumber greens or a critical indicator is Red; Green if greens outnumber
    ambers and reds together; Amber otherwise; not rated when nothing is rated.
    """
    rated = [(rag, critical) for rag, critical in ratings if rag is not None]
    g = sum(1 for rag, _c in rated if rag == G)
    a = sum(1 for rag, _c in rated if rag == A)
    r = sum(1 for rag, _c in rated if rag == R)
    if not rated:
        return AreaResult(None, 0, 0, 0)
    if r > g or any(rag == R and critical for rag, critical in rated):
        return AreaResult(R, g, a, r)
    if g > a + r:
        return AreaResult(G, g, a, r)
    return AreaResult(A, g, a, r)
