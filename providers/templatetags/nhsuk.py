"""Template helpers that emit NHS.UK design-system markup."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from providers.choices import Status

register = template.Library()

ERROR_MODIFIER = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-file-upload": "nhsuk-file-upload--error",
}


def describedby(field):
    ids = []
    if field.help_text or field.field.widget.__class__.__name__ == "NHSDateInput":  # its hint is always shown
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
    if name == "NHSDateInput":
        return "date"
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


# Statuses: every vocabulary of providers.choices.Status (RAG, level, return state, contract status,
# intervention level, ...) carries its words and colours; here they only become markup. Tags
# rather than includes: the scorecard shows eight of them on every row.


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
    return format_html(
        '<span class="app-small">*</span><span class="nhsuk-u-visually-hidden"> {}</span>', _("(overridden)")
    )


# The scorecard renders hundreds of these per page from a handful of values: each is built
# once per value and language, then looked up.


@lru_cache(maxsize=512)
def status_html(vocabulary, value, language):
    """A value of a Status vocabulary (the enum class) as an NHS.UK tag: the colour and the word
    (never colour alone); "Not rated" when the value is blank or not one of the vocabulary's."""
    try:
        member = vocabulary(value)
    except ValueError:
        return not_rated()
    return format_html('<strong class="nhsuk-tag {}">{}</strong>', member.tag_class, member.tag_label)


@lru_cache(maxsize=256)
def arrow_html(direction, language):
    """A direction against last month (a Direction code) as its arrow, its meaning in a tooltip
    and for screen readers; nothing when there is no direction."""
    try:
        member = Status.vocabulary("direction")(direction)
    except ValueError:
        return ""
    return format_html(
        '<span class="{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="nhsuk-u-visually-hidden"> {}</span></span>',
        member.arrow_class,
        member.arrow_title,
        member.symbol,
        member.arrow_spoken,
    )


@register.simple_tag
def status(value, vocabulary=None):
    """Any status as an NHS.UK tag with its word: `{% status rating.rag "rag" %}`,
    `{% status rating.escalation_level "level" %}`, `{% status row.state "return_state" %}`,
    `{% status contract.status "contract_status" %}`. The vocabulary is the Status enum's name in
    snake case; it may be left out when the value is already one of its members. A blank value
    says "Not rated"."""
    if vocabulary is None:
        if not isinstance(value, Status):
            return not_rated()
        kind = type(value)
    else:
        kind = Status.vocabulary(vocabulary)
    return status_html(kind, value, get_language())


@register.simple_tag
def rag(value):
    """`{% status value "rag" %}`, by its old name (kept while other branches still use it)."""
    return status(value, "rag")


@register.simple_tag
def level(value):
    """`{% status value "level" %}`, by its old name (kept while other branches still use it)."""
    return status(value, "level")


@register.simple_tag
def no_return():
    """ "No return" as a grey tag: the month is not rated because the return was not received."""
    return no_return_html(get_language())


@register.simple_tag
def overridden():
    """The override mark: an asterisk, with "(overridden)" for screen readers."""
    return overridden_html(get_language())


@register.simple_tag
def arrow(direction):
    """The direction against last month: an arrow, with its meaning for screen readers."""
    return arrow_html(direction, get_language())
