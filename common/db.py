"""Small database helpers several apps need."""

from django.db import connection, models


def analyze(*tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load; nothing elsewhere.

    Until autovacuum gets round to it, freshly bulk-loaded tables look empty to the
    planner, which then scans 69,000 places where one index look-up would do.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
