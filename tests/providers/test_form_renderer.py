"""The form renderer writes the plain widgets in Python (issue 20: they were 40 % of the return
page's time): each must be exactly what Django's own templates write, hostile text escaped."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.form_renderer import FastWidgets

TEMPLATES, FAST = DjangoTemplates(), FastWidgets()

awkward = st.lists(st.sampled_from(list("aZ 0<>&\"'/\n\t£é—") + ["<script>", "&amp;", "{{ x }}"]), max_size=8).map(
    "".join
)


def both(widget, name, value, attrs=None):
    return widget.render(name, value, attrs, renderer=TEMPLATES), widget.render(name, value, attrs, renderer=FAST)


WIDGETS = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.CheckboxInput(),
    forms.Textarea(),
    forms.Select(choices=[("", "---------"), ("a", "Green"), ("b<", "Red & <b>")]),
    forms.Select(choices=[("Group <1>", [("1", "One"), ("2", "Two")]), ("3", gettext_lazy("Yes"))]),
    forms.SelectMultiple(choices=[("1", "One"), ("2", "Two")]),
    forms.NullBooleanSelect(),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@settings(max_examples=40, deadline=None)
@given(
    value=st.one_of(st.none(), awkward, st.integers(-5, 5), st.booleans(), st.sampled_from(["a", "b<", "1", "3"])),
    attr=awkward,
    flag=st.booleans(),
)
def test_each_plain_widget_is_written_as_djangos_template_writes_it(widget, value, attr, flag):
    attrs = {"id": f"id_{attr}", "class": "nhsuk-input", "aria-describedby": attr, "disabled": flag, "data-x": 0}
    if isinstance(widget, forms.SelectMultiple):
        value = [value] if value is not None else None
    template, fast = both(widget, f"field-{attr}", value, attrs)
    assert fast == template


def test_safe_text_is_kept_and_plain_text_escaped():
    template, fast = both(forms.Textarea(), "note", mark_safe("<b>kept</b>"))  # noqa: S308  # nosec B308
    assert fast == template and "<b>kept</b>" in fast
    template, fast = both(forms.TextInput(), "name", '"><script>alert(1)</script>')
    assert fast == template and "<script>" not in fast


def test_other_widgets_still_use_djangos_templates():
    widget = forms.RadioSelect(choices=[("a", "A <b>")])
    assert widget.render("r", "a", renderer=FAST) == widget.render("r", "a", renderer=TEMPLATES)


@pytest.mark.django_db
def test_a_whole_return_renders_the_same_either_way(catalogue):
    """Every widget of a month's return (the page with the most) is the same through both renderers."""
    from assurance.forms import ResultForm

    for indicator in catalogue.values():
        data = {f"i{indicator.pk}-note": 'a < b & "c"', f"i{indicator.pk}-value": "<x>"}  # with errors
        form = ResultForm(data, prefix=f"i{indicator.pk}", indicator=indicator, history=[])
        form.is_valid()
        for field in form:
            widget = field.field.widget
            name, value = field.html_name, field.value()
            attrs = field.build_widget_attrs({"id": field.auto_id}, widget)
            assert widget.render(name, value, attrs, renderer=FAST) == widget.render(
                name, value, attrs, renderer=TEMPLATES
            )
