"""List parameters read from a query string, validated once for every list page.

`per_page` and `page` must be whole numbers from 1 (a page size at most MAX_PER_PAGE); any
other value is dropped, so the list shows its first page at its usual size instead of failing.
Unknown `sort` columns are ignored by the tables themselves, and `period` is parsed by
providers.periods where a page reads it (a bad month gives a 404 or the latest month).
"""

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


def positive_int(value, maximum):
    """`value` as a whole number from 1 to `maximum`, or None."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None


def clean_list_query(query, *, max_per_page=MAX_PER_PAGE):
    """A copy of `query` (a QueryDict) without a `per_page` or `page` that is not a page size or number.

    A page size over `max_per_page` is capped at it. The query is returned as it was when nothing
    needs changing, so links built from it keep their order.
    """
    per_page = query.get("per_page")
    page = query.get("page")
    good_per_page = None if per_page is None else positive_int(per_page, 10**9)
    good_page = None if page is None else positive_int(page, MAX_PAGE)
    changed = (per_page is not None and (good_per_page is None or good_per_page > max_per_page)) or (
        page is not None and good_page is None
    )
    if not changed:
        return query
    cleaned = query.copy()
    if per_page is not None:
        cleaned.pop("per_page")
        if good_per_page is not None:
            cleaned["per_page"] = str(min(good_per_page, max_per_page))
    if page is not None and good_page is None:
        cleaned.pop("page")
    cleaned._mutable = False
    return cleaned
