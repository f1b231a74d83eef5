"""The form renderer (settings.FORM_RENDERER): Django's own, with its plainest widgets written in Python.

Django renders every widget through a template: an input, a select (and one more template for
each of its options), a text area. On a page of many fields that is most of the page's time:
a month's return has about 140 widgets and 400 options, and rendering them through templates took
about 40 % of the page (issue 20's load test found the return page the slowest it drove). Here
those few templates are written out in Python to exactly the markup Django's templates give
(tests/providers/test_form_renderer.py compares the two for every widget of the product's forms);
every other template (date inputs, radios, a form's own layout) goes to Django's renderer as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"


def attributes(attrs):
    """django/forms/widgets/attrs.html: ` name="value"` for each, ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(out)


def text(value):
    """A value as `{{ value|stringformat:'s' }}` writes it: str(value), escaped unless already safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def render_input(widget):
    value = "" if widget["value"] is None else f' value="{text(widget["value"])}"'
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attributes(widget["attrs"])}>'


def render_option(widget):
    return f'<option value="{text(widget["value"])}"{attributes(widget["attrs"])}>{conditional_escape(widget["label"])}</option>'


def render_select(widget):
    parts = [f'<select name="{text(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + render_option(option) + "\n")  # the included template's line end
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{text(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'


# Each as Django's renderer writes it: the template's output stripped of the whitespace around it
# (BaseRenderer.render), so only an included option keeps its template file's line end.
FAST = {
    f"{WIDGETS}input.html": render_input,
    **{
        f"{WIDGETS}{kind}.html": render_input
        for kind in ("text", "number", "email", "url", "password", "hidden", "search", "tel", "checkbox")
    },
    f"{WIDGETS}select.html": render_select,
    f"{WIDGETS}select_option.html": render_option,
    f"{WIDGETS}textarea.html": render_textarea,
}


class FastWidgets(DjangoTemplates):
    """Django's template renderer, with the plain input, select and textarea widgets written in Python."""

    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None and "widget" in context:
            return mark_safe(fast(context["widget"]))  # noqa: S308 - every part escaped above  # nosec B308 B703
        return super().render(template_name, context, request)
