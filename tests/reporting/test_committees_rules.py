"""METHODOLOGY 6, second edition: which providers and decisions a committee's pack covers, table-driven.
No database."""

import pytest

from assurance.rules import A, G, R
from assurance.rules import committees as rules

ALL, L3, L4, QS = rules.SCOPE_ALL, rules.SCOPE_LEVEL_3_UP, rules.SCOPE_LEVEL_4_SUMMITS, rules.SCOPE_QUALITY_SAFETY


@pytest.mark.parametrize(
    ("scope", "level", "quality_safety", "critical_red", "summit", "in_scope"),
    [
        (ALL, 1, G, False, False, True),  # CDGB, Management Group, Joint Committee: everyone
        (ALL, None, None, False, False, True),  # even a provider not yet rated
        (L3, 2, R, True, True, False),  # PFIG: level 3 and above, nothing else
        (L3, 3, G, False, False, True),
        (L3, 4, G, False, False, True),
        (L4, 3, R, True, False, False),  # the Board: level 4 ...
        (L4, 4, G, False, False, True),
        (L4, 1, G, False, True, True),  # ... and every provider summit held
        (QS, 4, A, False, False, False),  # QPSC: not by level
        (QS, 1, R, False, False, True),  # a Red quality and safety area
        (QS, 1, G, True, False, True),  # a Red critical indicator (an Amber area can hold one in another area)
        (QS, 1, G, False, True, True),  # a summit
        (QS, 1, None, False, False, False),  # not rated (no return): not Red
    ],
)
def test_which_providers_a_committee_hears_about(scope, level, quality_safety, critical_red, summit, in_scope):
    assert (
        rules.provider_in_scope(
            scope,
            escalation_level=level,
            quality_safety_rag=quality_safety,
            critical_red=critical_red,
            summit_held=summit,
        )
        is in_scope
    )


def test_an_unknown_scope_is_refused_not_read_as_everyone():
    with pytest.raises(ValueError, match="Unknown committee scope"):
        rules.provider_in_scope("parliament", escalation_level=4)


@pytest.mark.parametrize(
    ("scope", "from_level", "to_level", "provider_in_scope", "included"),
    [
        (ALL, 1, 2, False, True),
        (L3, 2, 3, True, True),  # stepped up into PFIG's levels
        (L3, 3, 2, False, True),  # stepped down out of them: still news to PFIG
        (L3, 1, 2, False, False),
        (L3, None, 1, False, False),  # a first rating at level 1
        (L4, 4, 3, False, True),  # out of level 4: news to the Board
        (L4, 2, 3, False, False),
        (L4, 2, 3, True, True),  # a provider with a summit: every decision about it
        (QS, 3, 4, False, False),  # QPSC hears about providers in its scope, not levels
        (QS, 1, 2, True, True),
    ],
)
def test_which_decisions_go_into_a_committees_pack(scope, from_level, to_level, provider_in_scope, included):
    assert (
        rules.decision_in_scope(
            scope, from_level=from_level, to_level=to_level, provider_in_scope_now=provider_in_scope
        )
        is included
    )
