"""Inserting many rows at the speed of the database, for the few paths that write hundreds of
thousands: a month's ratings, a large returns upload, a generated estate.

Django's bulk_create prepares every value of every row through the field machinery, which
costs more than the insert itself (profiled: about four fifths of a large returns upload).
These helpers convert only the values that need it (decimals, dates and times), then hand
the rows to the driver in one executemany (SQLite) or execute_values (PostgreSQL). They do
not return primary keys; callers that need them read them back by natural key.
"""

from functools import lru_cache
from itertools import islice

from django.db import connections, router, transaction
from django.db.models import DateField, DateTimeField, DecimalField, JSONField
from psycopg2.extras import execute_values

BATCH = 5000


def _converter(field, connection):
    if isinstance(field, JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, (DecimalField, DateTimeField, DateField)):
        # Cached: a batch repeats the same timestamps, months and values many times over.
        @lru_cache(maxsize=65536)
        def convert(value):
            return None if value is None else field.get_db_prep_save(value, connection)

        return convert
    return None


def insert_rows(model, field_names, rows, *, batch_size=BATCH, ignore_conflicts=False):
    """INSERT `rows` (tuples of Python values in `field_names` order) into `model`'s table.

    No signals, no history, no primary keys back: the caller writes history rows itself
    (see `history_rows`) where the model keeps history. `ignore_conflicts`: a row that would
    break a unique constraint (one another transaction has just written) is skipped.
    """
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    converters = [_converter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)

    def prepared(batch):
        if not any(converters):
            return batch
        # Column by column: a call per converted value, none per value left as it is.
        columns = zip(*batch, strict=True)
        return list(
            zip(
                *(
                    column if convert is None else map(convert, column)
                    for column, convert in zip(columns, converters, strict=True)
                ),
                strict=True,
            )
        )

    iterator = iter(rows)
    # One transaction: outside one, SQLite would commit (and sync to disk) every row.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            if connection.vendor == "postgresql":
                conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
                execute_values(
                    cursor.cursor,
                    f"INSERT INTO {table} ({columns}) VALUES %s{conflicts}",  # noqa: S608  # nosec B608 - model names, quoted
                    prepared(batch),
                    page_size=batch_size,
                )
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                insert = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
                cursor.executemany(
                    f"{insert} INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608  # nosec B608 - model names, quoted
                    prepared(batch),
                )


def history_rows(model, field_names, rows, *, when, user_id=None, reason="", history_type="+"):
    """Insert django-simple-history rows for rows just written (`rows` include their `id`)."""
    historical = model.history.model
    insert_rows(
        historical,
        [*field_names, "history_date", "history_change_reason", "history_type", "history_user_id"],
        ((*row, when, reason or None, history_type, user_id) for row in rows),
    )
