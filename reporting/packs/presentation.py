"""How a pack says things, the same in the PDF and the workbook: months, RAG words, arrows,
levels and the RAG shades. Text comes through gettext, so it is in the language
active while the pack is built."""

import pandas as pd
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assurance.choices import Direction, Rag
from providers.periods import shift

# A RAG's shade in the PDF and the workbook: the colour on the enum (one place for colours).
TINTS = {rag.value: rag.pdf_colour for rag in Rag}


def months_text(months):
    """'October 2026', or 'September and October 2026', or 'August to October 2026'."""
    if not months:
        return ""
    first, last = months[0], months[-1]
    if first == last:
        return date_format(last, "F Y")
    same_year = first.year == last.year
    start = date_format(first, "F" if same_year else "F Y")
    if len(months) == 2:
        return _("%(first)s and %(last)s") % {"first": start, "last": date_format(last, "F Y")}
    return _("%(first)s to %(last)s") % {"first": start, "last": date_format(last, "F Y")}


def chart_months(period, count=24):
    """The x axis of the trend charts: the `count` months up to the pack's, oldest first."""
    return [shift(period, -n) for n in range(count - 1, -1, -1)]


def rag_word(rag):
    return str(Rag(rag).label) if rag in Rag.values else _("Not rated")


def arrow(direction):
    return Direction(direction).symbol if direction in Direction.values else ""


def direction_word(direction):
    """The arrow as a word, for the workbook: Improved, Unchanged or Worsened (blank: no arrow)."""
    return str(Direction(direction).label) if direction in Direction.values else ""


def no_return_word():
    return _("No return")


def is_received(record):
    """Whether a scorecard record's return was received; a frame without the column (or a
    blank in it) counts as received."""
    value = record.get("received", True)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    return bool(value)


def is_set(value):
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and bool(value)


def rated_count(records):
    """How many of the scorecard's records were rated (their return received)."""
    return sum(1 for r in records if is_received(r))


def provisional_text(data):
    """The provisional notice, or "" when the pack was built after the month's collection deadline."""
    if not data.provisional_until:
        return ""
    return _("Provisional: returns for %(month)s are due by %(date)s; ratings may change until then.") % {
        "month": date_format(data.period, "F Y"),
        "date": date_format(data.provisional_until, "j F Y"),
    }


def level_meaning(level):
    return {
        1: _("Routine monitoring"),
        2: _("Enhanced monitoring; Service Director informed"),
        3: _("Escalated monitoring; Executive Director informed; monthly meetings"),
        4: _("Escalated monitoring; Chief Executive informed; reported to the Board"),
    }[level]
