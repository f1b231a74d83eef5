"""Numbers as the rules read them: parsed from a cell, or exact whatever the database returned."""

from decimal import Decimal, InvalidOperation


def gettext_noop(message):
    """Marks a message for translation without importing Django: makemessages extracts it,
    and the form or importer that shows it translates it (`_(message)`)."""
    return message


def parse_number(text):
    """A cell or form value as a Decimal, tolerating £, % and thousands separators; None if blank.

    Raises ValueError when the text is not a number.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    cleaned = str(text).strip().replace(",", "").replace("£", "").rstrip("%").strip()
    if cleaned == "":
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"“{text}” is not a number.") from exc
    if not number.is_finite():
        raise ValueError(f"“{text}” is not a number.")
    return number


def exact(number):
    """A number as an exact Decimal, whatever the database driver handed back.

    SQLite returns a stored 91.7 as the float 91.70000000000000284..., which is not equal
    to the Decimal 91.7; the float's shortest representation ("91.7") is the value that
    was stored, so it is read back through text. None stays None.
    """
    if number is None or isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(str(number))
