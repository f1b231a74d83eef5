"""Dates are typed in the NHS.UK date input: day, month and year boxes (issue 17)."""

from datetime import date

import pytest

from contracts.forms import ContractForm
from providers.forms_dates import NHSDateField, NHSDateInput


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "2026", date(2026, 3, 27)),
        ("01", "12", "2025", date(2025, 12, 1)),
        ("", "", "", None),
    ],
)
def test_three_boxes_make_a_date(day, month, year, expected):
    assert NHSDateField(required=False, label="Start date").clean([day, month, year]) == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "3", "2026"), "Start date must include a day"),
        (("27", "", ""), "Start date must include a month and a year"),
        (("31", "2", "2026"), "Start date must be a real date"),
        (("27", "March", "2026"), "Start date must be a real date, in numbers, for example 27 3 2026"),
        (("27", "3", "26"), "Year must include 4 numbers, for example 2026"),
    ],
)
def test_each_mistake_is_named_as_nhsuk_says(parts, message):
    field = NHSDateField(label="Start date")
    with pytest.raises(Exception) as raised:
        field.clean(list(parts))
    assert raised.value.messages == [message]


def test_the_widget_renders_nhsuk_date_input_markup_with_the_saved_date():
    html = NHSDateInput().render("start_date", date(2026, 3, 7), attrs={"id": "id_start_date"})
    assert 'class="nhsuk-date-input" id="id_start_date"' in html
    for part, value in (("day", "7"), ("month", "3"), ("year", "2026")):
        assert f'name="start_date_{part}"' in html
        assert f'id="id_start_date_{part}"' in html
        assert f'value="{value}"' in html
    assert 'inputmode="numeric"' in html and 'type="date"' not in html


@pytest.mark.django_db
def test_forms_of_the_register_use_the_date_input_and_read_the_three_boxes():
    form = ContractForm(
        data={"start_date_day": "1", "start_date_month": "4", "start_date_year": "2026", "end_date_day": "31"}
    )
    assert isinstance(form.fields["start_date"], NHSDateField)
    form.is_valid()
    assert form.cleaned_data["start_date"] == date(2026, 4, 1)
    assert form.errors["end_date"] == ["End date must include a month and a year"]
    assert 'name="renewal_date_day"' in str(form["renewal_date"])
