"""Calendar arithmetic for every app: periods are calendar months, stored as the first day of
the month and written YYYY-MM; dates move by whole months. The one place months are counted."""

import re
from calendar import monthrange
from datetime import date, timedelta

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_DEADLINE_DAY = 15  # METHODOLOGY 8: the 15th of the following month


def parse_period(text: str) -> date:
    """'2026-04' -> date(2026, 4, 1). Raises ValueError on anything else."""
    match = PERIOD_RE.match((text or "").strip())
    if not match:
        raise ValueError(f"“{text}” is not a period; write it as YYYY-MM, for example 2026-04.")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"“{text}” is not a real month.")
    return date(year, month, 1)


def format_period(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(period: date) -> date:
    return period.replace(day=monthrange(period.year, period.month)[1])


def shift(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_months(period: date, count: int) -> list:
    """The `count` months before `period`, oldest first."""
    return [shift(period, -n) for n in range(count, 0, -1)]


def deadline(period: date, day: int = DEFAULT_DEADLINE_DAY) -> date:
    """The collection deadline: by default the 15th of the following month."""
    following = shift(period, 1)
    return following + timedelta(days=day - 1)


def months_from(first: date, last: date) -> list:
    """Every month from `first` to `last`, both included, oldest first."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = shift(month, 1)
    return months


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


# The financial year (METHODOLOGY 9): April to March, named by the year it starts in.
FINANCIAL_YEAR_FIRST_MONTH = 4


def financial_year_start(period: date) -> date:
    """The April that starts `period`'s financial year: 2027-02 -> 2026-04-01."""
    year = period.year if period.month >= FINANCIAL_YEAR_FIRST_MONTH else period.year - 1
    return date(year, FINANCIAL_YEAR_FIRST_MONTH, 1)


def financial_year_months(period: date) -> list:
    """The twelve months (April to March) of `period`'s financial year, oldest first."""
    first = financial_year_start(period)
    return [shift(first, n) for n in range(12)]


def financial_year_to(period: date) -> list:
    """The months of `period`'s financial year from April up to `period`, both included."""
    return months_from(financial_year_start(period), month_start(period))


def financial_year_label(period: date) -> str:
    """'2026/27' for any month from April 2026 to March 2027."""
    first = financial_year_start(period)
    return f"{first.year}/{(first.year + 1) % 100:02d}"
