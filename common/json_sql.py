"""Lists read with each row of a query, as JSON: correlated subqueries written as SQL.

A list page's rows often bring a few short lists each (a clinic's services, a class's
instructors). Django builds such a subquery from querysets at about a millisecond of
Python per list per query; written out as SQL it is a string. The SQL names the tables of
the models it reads (`table()`), so a renamed table fails the first page that asks.
"""

from django.db import models


class CorrelatedJSON(models.Expression):
    """A correlated subquery returning JSON, written out as SQL for PostgreSQL and SQLite
    (`{outer}` in it is the outer table's alias)."""

    def __init__(self, postgresql: str, sqlite: str) -> None:
        super().__init__(output_field=models.JSONField())
        self.postgresql, self.sqlite = postgresql, sqlite

    def _sql(self, sql: str, compiler) -> tuple[str, list]:
        # The alias of the query's own table: its name, or "U0" once it is a subquery.
        outer = compiler.quote_name_unless_alias(compiler.query.base_table)
        return sql.replace("{outer}", outer), []

    def as_sql(self, compiler, connection, **extra_context):
        return self._sql(self.postgresql, compiler)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._sql(self.sqlite, compiler)


def json_list(columns: dict[str, str], rows: str, order_by: str = "") -> CorrelatedJSON:
    """`columns` (key: SQL) of `rows` (FROM … WHERE …, reading `{outer}`) as a JSON list of
    objects, in `order_by`'s order when given; NULL or an empty list when there are none."""
    pairs = ", ".join(f"'{key}', {sql}" for key, sql in columns.items())
    if not order_by:
        return CorrelatedJSON(
            f"(SELECT JSONB_AGG(JSONB_BUILD_OBJECT({pairs})) FROM {rows})",
            f"(SELECT JSON_GROUP_ARRAY(JSON_OBJECT({pairs})) FROM {rows})",
        )
    return CorrelatedJSON(
        f"(SELECT JSONB_AGG(JSONB_BUILD_OBJECT({pairs}) ORDER BY {order_by}) FROM {rows})",
        # SQLite's aggregate takes its rows in the order of the subquery it reads.
        f"(SELECT JSON_GROUP_ARRAY(JSON(item)) FROM (SELECT JSON_OBJECT({pairs}) AS item "
        f"FROM {rows} ORDER BY {order_by}))",
    )


def table(model: type[models.Model]) -> str:
    """A model's table, quoted, for the SQL of a `json_list`."""
    return f'"{model._meta.db_table}"'
