"""{% status %}: every status renders through one tag, in its colour and with its word (never
colour alone), with the same markup the pages had before the vocabulary held the colours."""

import pytest
from django.template import Context, Template
from django.utils import translation

from assurance.choices import Direction, Rag, ReturnState


def render(source, **context):
    return Template("{% load nhsuk %}" + source).render(Context(context))


def tag(colour, word):
    return f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{word}</strong>'


NOT_RATED = '<span class="nhsuk-body-s">Not rated</span>'


@pytest.mark.parametrize(
    ("value", "vocabulary", "html"),
    [
        ("G", "rag", tag("green", "Green")),
        ("A", "rag", tag("orange", "Amber")),
        ("R", "rag", tag("red", "Red")),
        ("", "rag", NOT_RATED),
        (None, "rag", NOT_RATED),
        ("X", "rag", NOT_RATED),
        (1, "level", tag("green", "Level 1")),
        (2, "level", tag("yellow", "Level 2")),
        (3, "level", tag("orange", "Level 3")),
        (4, "level", tag("red", "Level 4")),
        (None, "level", NOT_RATED),
        ("not_started", "return_state", tag("white", "Not started")),
        ("draft", "return_state", tag("blue", "Draft")),
        ("submitted", "return_state", tag("green", "Submitted")),
        ("late", "return_state", tag("orange", "Submitted late")),
        ("overdue", "return_state", tag("red", "Overdue")),
        ("locked", "return_state", tag("grey", "Locked")),
        ("active", "contract_status", tag("green", "Active")),
        ("draft", "contract_status", tag("blue", "Draft")),
        ("expired", "contract_status", tag("red", "Expired")),
        ("inactive", "contract_status", tag("grey", "Inactive")),
        ("special_measures", "intervention_level", tag("red", "Special measures")),
        ("targeted_intervention", "intervention_level", tag("orange", "Targeted intervention")),
        ("enhanced_monitoring", "intervention_level", tag("yellow", "Enhanced monitoring")),
        ("area_of_concern", "intervention_level", tag("yellow", "Area of concern")),
        ("routine", "intervention_level", tag("grey", "Routine arrangements")),
        ("concern_high", "spc_variation", tag("orange", "Variation")),
        ("concern_low", "spc_variation", tag("orange", "Variation")),
        ("improvement_high", "spc_variation", tag("blue", "Variation")),
        ("improvement_low", "spc_variation", tag("blue", "Variation")),
        ("common_cause", "spc_variation", tag("grey", "Variation")),
        ("consistently_passing", "spc_assurance", tag("blue", "Assurance")),
        ("consistently_failing", "spc_assurance", tag("orange", "Assurance")),
        ("hit_and_miss", "spc_assurance", tag("grey", "Assurance")),
        ("queued", "pack_status", tag("grey", "Queued")),
        ("running", "pack_status", tag("blue", "Being built")),
        ("ready", "pack_status", tag("green", "Ready")),
        ("failed", "pack_status", tag("red", "Failed")),
    ],
)
def test_a_status_is_a_tag_with_its_word(value, vocabulary, html):
    assert render("{% status value vocabulary %}", value=value, vocabulary=vocabulary) == html


@pytest.mark.parametrize(
    ("member", "html"),
    [(ReturnState.LATE, tag("orange", "Submitted late")), (Rag.AMBER, tag("orange", "Amber"))],
)
def test_a_member_needs_no_vocabulary(member, html):
    assert render("{% status value %}", value=member) == html


def test_a_plain_value_without_its_vocabulary_is_not_guessed():
    assert render("{% status value %}", value="R") == NOT_RATED


def test_the_old_names_render_the_same():
    assert render('{% rag "R" %}{% level 3 %}') == render('{% status "R" "rag" %}{% status 3 "level" %}')


def test_the_word_is_in_the_reader_s_language():
    with translation.override("cy"):
        assert render('{% status "R" "rag" %}{% status 3 "level" %}') == tag("red", "Coch") + tag("orange", "Lefel 3")
    assert render('{% status "R" "rag" %}') == tag("red", "Red")


@pytest.mark.parametrize(
    ("direction", "html"),
    [
        (
            "improved",
            '<span class="app-arrow app-arrow--improved" title="Improved since last month">'
            '<span aria-hidden="true">▲</span><span class="nhsuk-u-visually-hidden"> improved since last month'
            "</span></span>",
        ),
        (
            Direction.WORSENED,
            '<span class="app-arrow app-arrow--worsened" title="Worse than last month">'
            '<span aria-hidden="true">▼</span><span class="nhsuk-u-visually-hidden"> worse than last '
            "month</span></span>",
        ),
        (
            "unchanged",
            '<span class="app-arrow" title="Same as last month"><span aria-hidden="true">▶</span>'
            '<span class="nhsuk-u-visually-hidden"> same as last month</span></span>',
        ),
        ("", ""),
        (None, ""),
    ],
)
def test_a_direction_is_an_arrow_with_its_meaning(direction, html):
    assert render("{% arrow direction %}", direction=direction) == html
