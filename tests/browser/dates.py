"""Typing a date into the NHS.UK date input (day, month and year boxes), as a user does."""


def fill_date(page, field_id, iso):
    """Fill the three boxes of the date input whose id is `field_id` (e.g. "id_start_date")
    from an ISO date such as "2026-03-27"."""
    year, month, day = iso.split("-")
    page.locator(f"#{field_id}_day").fill(str(int(day)))
    page.locator(f"#{field_id}_month").fill(str(int(month)))
    page.locator(f"#{field_id}_year").fill(year)
