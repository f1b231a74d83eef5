"""The vocabulary: each status is a choices enum with its label and its colour, using the codes
of the methodology's rules (which keep them as plain strings, free of Django). No database."""

import re

import pytest

from assurance import rules
from assurance.choices import Direction, Rag, RatingReason, ReturnState, ReturnStatus, ValueStatus
from contracts.choices import ContractStatus, Level
from providers.choices import PDF_TINTS, InterventionLevel, Status
from reporting.choices import PackStatus, SpcAssurance, SpcVariation

VOCABULARIES = [
    Rag,
    Direction,
    RatingReason,
    ReturnState,
    Level,
    ContractStatus,
    InterventionLevel,
    SpcVariation,
    SpcAssurance,
    PackStatus,
]


@pytest.mark.parametrize(
    ("enum", "codes"),
    [
        (Rag, rules.RAGS),
        (Rag, (rules.G, rules.A, rules.R)),
        (Direction, (rules.IMPROVED, rules.UNCHANGED, rules.WORSENED)),
        (RatingReason, rules.REASONS),
        (ReturnState, rules.RETURN_STATES),
        (Level, rules.LEVELS),
    ],
)
def test_the_enum_codes_are_the_rules_codes(enum, codes):
    assert sorted(enum.values) == sorted(codes)


def test_value_and_return_statuses_are_the_codes_the_rules_read():
    assert {
        ValueStatus.MISSING,
        ValueStatus.DEVELOPMENT_PLAN,
        ValueStatus.NOT_APPLICABLE,
        ValueStatus.REPORTED,
    } == {rules.MISSING, rules.DEVELOPMENT_PLAN, rules.NOT_APPLICABLE, rules.REPORTED}
    assert {ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, ReturnStatus.LOCKED} == {
        rules.DRAFT,
        rules.SUBMITTED,
        rules.LOCKED,
    }


def test_every_reason_the_rules_give_has_a_label():
    results = [
        rules.indicator_rag(
            status=status,
            judgement=judgement,
            value=value,
            target=95,
            amber_threshold=90,
            trajectory=trajectory,
            previous_two_not_green=persistent,
        )
        for status, judgement, value, trajectory, persistent in [
            ("not_applicable", False, None, None, False),
            (None, False, None, None, False),
            ("development_plan", False, None, None, False),
            ("reported", True, None, None, False),
            ("reported", False, 96, None, False),
            ("reported", False, 80, 75, False),
            ("reported", False, 80, None, True),
            ("reported", False, 92, None, False),
            ("reported", False, 80, None, False),
        ]
    ]
    # Issue 18: the intervention indicator capped by the government intervention level.
    results.append(rules.intervention_indicator_rag(rules.IndicatorResult("G", "judgement"), "special_measures"))
    assert {result.reason for result in results} == set(RatingReason.values)


@pytest.mark.parametrize(
    ("member", "colour", "word"),
    [
        (Rag.GREEN, "green", "Green"),
        (Rag.AMBER, "orange", "Amber"),
        (Rag.RED, "red", "Red"),
        (Level.ROUTINE, "green", "Level 1"),
        (Level.ENHANCED, "yellow", "Level 2"),
        (Level.ESCALATED, "orange", "Level 3"),
        (Level.CEO, "red", "Level 4"),
        (ReturnState.NOT_STARTED, "white", "Not started"),
        (ReturnState.DRAFT, "blue", "Draft"),
        (ReturnState.SUBMITTED, "green", "Submitted"),
        (ReturnState.LATE, "orange", "Submitted late"),
        (ReturnState.OVERDUE, "red", "Overdue"),
        (ReturnState.LOCKED, "grey", "Locked"),
        (Direction.IMPROVED, "green", "Improved"),
        (Direction.UNCHANGED, "grey", "Unchanged"),
        (Direction.WORSENED, "red", "Worsened"),
        (RatingReason.TARGET_MET, "green", "Target met"),
        (RatingReason.PERSISTENT, "red", "Target missed for three months running"),
        (ContractStatus.ACTIVE, "green", "Active"),
        (ContractStatus.DRAFT, "blue", "Draft"),
        (ContractStatus.EXPIRED, "red", "Expired"),
        (ContractStatus.INACTIVE, "grey", "Inactive"),
        (InterventionLevel.ROUTINE, "grey", "Routine arrangements"),
        (InterventionLevel.AREA_OF_CONCERN, "yellow", "Area of concern"),
        (InterventionLevel.ENHANCED_MONITORING, "yellow", "Enhanced monitoring"),
        (InterventionLevel.TARGETED_INTERVENTION, "orange", "Targeted intervention"),
        (InterventionLevel.SPECIAL_MEASURES, "red", "Special measures"),
    ],
)
def test_each_status_has_its_colour_and_its_word(member, colour, word):
    assert member.colour == colour
    assert member.tag_class == f"nhsuk-tag--{colour}"
    assert str(member.tag_label) == word


@pytest.mark.parametrize("enum", VOCABULARIES)
def test_every_member_has_an_nhsuk_tag_colour_and_a_pdf_tint(enum):
    for member in enum:
        assert member.colour in PDF_TINTS
        assert re.fullmatch(r"#[0-9a-f]{6}", member.pdf_colour)


def test_the_pdf_shades_rags_as_the_packs_always_have():
    assert {rag.value: rag.pdf_colour for rag in Rag} == {
        "G": "#cce5d8",
        "A": "#ffdeab",
        "R": "#f7d4d1",
    }


@pytest.mark.parametrize(
    ("direction", "symbol", "css", "title", "spoken"),
    [
        (
            Direction.IMPROVED,
            "▲",
            "app-arrow app-arrow--improved",
            "Improved since last month",
            "improved since last month",
        ),
        (
            Direction.WORSENED,
            "▼",
            "app-arrow app-arrow--worsened",
            "Worse than last month",
            "worse than last month",
        ),
        (Direction.UNCHANGED, "▶", "app-arrow", "Same as last month", "same as last month"),
    ],
)
def test_each_direction_has_its_arrow(direction, symbol, css, title, spoken):
    assert (
        direction.symbol,
        direction.arrow_class,
        str(direction.arrow_title),
        str(direction.arrow_spoken),
    ) == (symbol, css, title, spoken)


@pytest.mark.parametrize(
    ("name", "enum"),
    [
        ("rag", Rag),
        ("level", Level),
        ("return_state", ReturnState),
        ("direction", Direction),
        ("rating_reason", RatingReason),
        ("contract_status", ContractStatus),
        ("intervention_level", InterventionLevel),
        ("spc_variation", SpcVariation),
        ("spc_assurance", SpcAssurance),
        ("pack_status", PackStatus),
    ],
)
def test_a_vocabulary_is_found_by_its_name(name, enum):
    assert Status.vocabulary(name) is enum


def test_an_unknown_vocabulary_is_an_error():
    with pytest.raises(LookupError):
        Status.vocabulary("colour")


def test_the_escalation_level_is_defined_once_with_the_registers_labels():
    """One Level: escalation and the contract register share it, with the labels their
    migrations were made with (so changing where it lives needs no migration)."""
    from contracts.models import Contract
    from escalation import choices as escalation_choices
    from escalation.models import ProviderEscalation

    assert escalation_choices.Level is Level
    assert [(value, str(label)) for value, label in Level.choices] == [
        (1, "Level 1: routine monitoring"),
        (2, "Level 2: enhanced monitoring"),
        (3, "Level 3: escalated monitoring"),
        (4, "Level 4: escalated monitoring, CEO informed"),
    ]
    assert Contract._meta.get_field("risk_rating").choices == ProviderEscalation._meta.get_field("level").choices
