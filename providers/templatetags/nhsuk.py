"""Template helpers that emit NHS.UK design-system markup."""

from django import template
from django.utils.html import format_html

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
