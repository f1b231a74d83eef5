"""Values as people read them: in their unit, without trailing zeros (95%, £1,250, 12)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

PERCENT_UNITS = {"percent", "percent_of_plan"}


def plain_number(value, places=None):
    """95, not 95.0000; 16.8, not 16.80; with the locale's grouping (1,250); `places` rounds."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        number = round(number, places)
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))  # 1E+2 -> 100
    return number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def in_unit(value, unit):
    """A value in its indicator's unit: `95%`, `£1,250.50`, `12`. Blank (None) stays blank.

    Money shows pence only when there are any; percentages keep up to two decimals.
    """
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if unit in PERCENT_UNITS:
        return f"{plain_number(number, 2)}%"
    if unit == "gbp":
        if number == number.to_integral_value():
            return f"£{plain_number(number)}"
        return f"£{number_format(round(number, 2), 2, use_l10n=True, force_grouping=True)}"
    return plain_number(number, 4)
