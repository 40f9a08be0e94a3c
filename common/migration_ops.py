"""Migration operations of our own: ones that only mean something on PostgreSQL (trigram
indexes), and moving content types with models that change app."""

from django.db.migrations.operations import RunPython
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


def move_content_types(models: list[str], old_app: str, new_app: str) -> RunPython:
    """A RunPython that moves these models' content types from `old_app` to `new_app`
    (and back when unapplied), for models moved between apps with their tables: staff
    permissions and the admin's log entries point at content types, so they follow.

    A content type already made under the new label (a database that ran post_migrate in
    between) gives way to the old one, which holds those rows."""

    def move(apps, schema_editor, old: str = old_app, new: str = new_app) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models:
            moved = ContentType.objects.using(db).filter(app_label=old, model=model)
            if moved.exists():
                ContentType.objects.using(db).filter(app_label=new, model=model).delete()
                moved.update(app_label=new)

    def move_back(apps, schema_editor) -> None:
        move(apps, schema_editor, old=new_app, new=old_app)

    return RunPython(move, move_back)
