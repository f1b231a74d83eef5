"""Dates typed as the NHS.UK date input: day, month and year in three boxes (issue 17).

Every form built on `NHSModelForm` gets these for its date fields (see `use_nhs_date_inputs`),
instead of the browser's date picker, which NHS.UK advises against for dates people know or
read from a document. The messages follow the NHS.UK date input's error guidance.
"""

from datetime import date

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")


class NHSDateInput(forms.MultiWidget):
    """Three text boxes, Day / Month / Year, in the NHS.UK date-input markup.

    Posted as NAME_day, NAME_month, NAME_year; the value handed to the field is the three
    strings as typed, so the field can say which part is missing or wrong.
    """

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)
        self.widgets_names = [f"_{part}" for part in PARTS]

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":  # an initial as ISO text
            year, month, day = value.split("-")
            return [day.lstrip("0"), month.lstrip("0"), year]
        if isinstance(value, (list, tuple)):
            return list(value)
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        if name in data and all(f"{name}_{part}" not in data for part in PARTS):
            return data.get(name)  # one ISO date (scripts, older tests): still accepted
        return [(data.get(f"{name}_{part}") or "").strip() for part in PARTS]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.attrs, **(attrs or {})}
        values = value if isinstance(value, list) else self.decompress(value)
        element_id = attrs.get("id") or f"id_{name}"
        error = "nhsuk-input--error" in (attrs.get("class") or "")
        labels = [_("Day"), _("Month"), _("Year")]
        items = [
            {
                "name": f"{name}_{part}",
                "id": f"{element_id}_{part}",
                "label": label,
                "value": values[n] if n < len(values) else "",
                "width": 4 if part == "year" else 2,
            }
            for n, (part, label) in enumerate(zip(PARTS, labels, strict=True))
        ]
        return render_to_string(
            "nhsuk/widgets/date_input.html",
            {"id": element_id, "items": items, "error": error, "describedby": attrs.get("aria-describedby", "")},
        )


class NHSDateField(forms.DateField):
    """A date from the three boxes of `NHSDateInput`, with NHS.UK's messages."""

    widget = NHSDateInput

    def __init__(self, *args, **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(*args, **kwargs)
        label = str(self.label or _("date"))
        self.subject = label[:1].upper() + label[1:]

    def to_python(self, value):
        if isinstance(value, date) or value in (None, ""):
            return value or None
        if isinstance(value, str):
            return super().to_python(value)
        day, month, year = (list(value) + ["", "", ""])[:3]
        if not (day or month or year):
            return None
        missing = [part for part, text in zip(PARTS, (day, month, year), strict=True) if not text]
        if missing:
            names = {"day": _("a day"), "month": _("a month"), "year": _("a year")}
            raise forms.ValidationError(
                _("%(subject)s must include %(parts)s")
                % {"subject": self.subject, "parts": _(" and ").join(str(names[part]) for part in missing)},
                code="incomplete",
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(
                _("%(subject)s must be a real date, in numbers, for example 27 3 2026") % {"subject": self.subject},
                code="invalid",
            )
        if len(year) != 4:
            raise forms.ValidationError(_("Year must include 4 numbers, for example 2026"), code="invalid_year")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                _("%(subject)s must be a real date") % {"subject": self.subject}, code="invalid"
            ) from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial if isinstance(initial, date) else self.to_python(initial))
        except forms.ValidationError:
            return True


def use_nhs_date_inputs(form):
    """Swap each plain date field of `form` for an `NHSDateField` keeping its label, help text,
    whether it is required, its initial value and its messages."""
    for name, field in list(form.fields.items()):
        if type(field) is forms.DateField:  # not the importers' own date fields
            replacement = NHSDateField(
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                initial=field.initial,
                validators=field.validators,
                disabled=field.disabled,
            )
            replacement.error_messages = {**field.error_messages, **replacement.error_messages}
            if "required" in field.error_messages:
                replacement.error_messages["required"] = field.error_messages["required"]
            form.fields[name] = replacement
