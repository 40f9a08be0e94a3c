"""Migration operations that only mean something on PostgreSQL (trigram indexes)."""

from django.db.migrations.operations.base import Operation


class PostgresOnly(Operation):
    """Run the wrapped operation on PostgreSQL; elsewhere it changes the model state alone.

    The state keeps the index on every database, so `makemigrations --check` agrees with
    the models; a later migration that drops such an index must be wrapped the same way.
    """

    reversible = True

    def __init__(self, operation: Operation) -> None:
        self.operation = operation

    def deconstruct(self):
        return ("common.migration_ops.PostgresOnly", [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{self.operation.describe()} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return self.operation.migration_name_fragment
