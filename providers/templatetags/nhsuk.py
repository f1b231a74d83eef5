"""Template helpers that emit NHS.UK design-system markup."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()

ERROR_MODIFIER = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-file-upload": "nhsuk-file-upload--error",
}


def describedby(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def nhsuk_widget(field, base_class):
    """Render a form field's widget with the NHS.UK class, error modifier and ARIA links."""
    classes = [base_class]
    if field.errors and base_class in ERROR_MODIFIER:
        classes.append(ERROR_MODIFIER[base_class])
    extra = field.field.widget.attrs.get("class")
    if extra:
        classes.append(extra)
    attrs = {"class": " ".join(classes)}
    ids = describedby(field)
    if ids:
        attrs["aria-describedby"] = ids
    return field.as_widget(attrs=attrs)


@register.simple_tag
def field_describedby(field):
    return describedby(field)


@register.filter
def widget_type(field):
    """The kind of NHS.UK control a bound field needs."""
    widget = field.field.widget
    name = widget.__class__.__name__
    if name == "CheckboxInput":
        return "checkbox"
    if name in ("RadioSelect",):
        return "radios"
    if name in ("CheckboxSelectMultiple",):
        return "checkboxes"
    if name in ("Select", "SelectMultiple", "NullBooleanSelect"):
        return "select"
    if name == "Textarea":
        return "textarea"
    if name in ("FileInput", "ClearableFileInput"):
        return "file"
    return "input"


@register.simple_tag
def nhsuk_tag(label, colour=""):
    """An NHS.UK tag: coloured, and always carrying its text (never colour alone)."""
    css = "nhsuk-tag" + (f" nhsuk-tag--{colour}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', css, label)


# RAG, level and direction: words as well as colour, and arrows with text for screen readers.
# Tags rather than includes: the scorecard shows eight of them on every row.

RAG_TAGS = {"G": ("green", _lazy("Green")), "A": ("orange", _lazy("Amber")), "R": ("red", _lazy("Red"))}
LEVEL_COLOURS = {1: "green", 2: "yellow", 3: "orange", 4: "red"}
ARROWS = {
    "improved": ("app-arrow app-arrow--improved", _lazy("Improved since last month"), "▲", _lazy("improved since last month")),
    "worsened": ("app-arrow app-arrow--worsened", _lazy("Worse than last month"), "▼", _lazy("worse than last month")),
    "unchanged": ("app-arrow", _lazy("Same as last month"), "▶", _lazy("same as last month")),
}


def not_rated():
    return format_html('<span class="nhsuk-body-s">{}</span>', _("Not rated"))


@lru_cache(maxsize=16)
def no_return_html(language):
    """A month whose return was not received (METHODOLOGY, "Who is rated"): not rated, never Red,
    and said in words in a tag, never by colour alone."""
    return format_html('<strong class="nhsuk-tag nhsuk-tag--grey">{}</strong>', _("No return"))


@lru_cache(maxsize=16)
def overridden_html(language):
    """The mark of a key area (or Access split USC / Planned) a director has overridden: an
    asterisk, explained in the legend, and the word for screen readers."""
    return format_html('<span class="app-small">*</span><span class="nhsuk-u-visually-hidden"> {}</span>',
                       _("(overridden)"))


# The scorecard renders hundreds of these per page from a handful of values: each is built
# once per value and language, then looked up.

@lru_cache(maxsize=256)
def rag_html(value, language):
    if value not in RAG_TAGS:
        return not_rated()
    colour, word = RAG_TAGS[value]
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, word)


@lru_cache(maxsize=256)
def level_html(value, language):
    if value not in LEVEL_COLOURS:
        return not_rated()
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', LEVEL_COLOURS[value],
                       _("Level %(n)s") % {"n": value})


@lru_cache(maxsize=256)
def arrow_html(direction, language):
    if direction not in ARROWS:
        return ""
    css, title, symbol, spoken = ARROWS[direction]
    return format_html('<span class="{}" title="{}"><span aria-hidden="true">{}</span>'
                       '<span class="nhsuk-u-visually-hidden"> {}</span></span>', css, title, symbol, spoken)


@register.simple_tag
def rag(value):
    """A RAG as an NHS.UK tag with its word: Green, Amber or Red; "Not rated" when blank."""
    return rag_html(value, get_language())


@register.simple_tag
def level(value):
    """An escalation level as a tag: "Level 3"."""
    return level_html(value, get_language())


@register.simple_tag
def no_return():
    """"No return" as a grey tag: the month is not rated because the return was not received."""
    return no_return_html(get_language())


@register.simple_tag
def overridden():
    """The override mark: an asterisk, with "(overridden)" for screen readers."""
    return overridden_html(get_language())


@register.simple_tag
def arrow(direction):
    """The direction against last month: an arrow, with its meaning for screen readers."""
    return arrow_html(direction, get_language())
