# The clinic inbox's index, built without locking the table (PostgreSQL only: SQLite is a
# developer's database, and keeps the model state alone).

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

import common.migration_ops


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("clinics", "0023_requests_paused_and_withdrawn"),
        ("quotes", "0011_delivery_undelivered"),
    ]

    operations = [
        common.migration_ops.PostgresOnly(
            AddIndexConcurrently(
                model_name="quotedelivery",
                index=models.Index(
                    models.F("clinic"),
                    models.OrderBy(models.F("created_at"), descending=True),
                    models.OrderBy(models.F("id"), descending=True),
                    condition=models.Q(("kind", "artist")),
                    name="quote_delivery_inbox",
                ),
            )
        ),
    ]
