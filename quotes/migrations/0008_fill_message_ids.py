# Rows made before Message-IDs were given have none: each gets its own here, once
# (outbox.models.fill_message_ids), where outbox/sending.py used to give one before
# every send.

from django.db import migrations

from outbox.models import fill_message_ids


class Migration(migrations.Migration):

    dependencies = [
        ("quotes", "0007_message_ids"),
    ]

    operations = [
        migrations.RunPython(fill_message_ids("quotes.QuoteDelivery"), migrations.RunPython.noop),
    ]
