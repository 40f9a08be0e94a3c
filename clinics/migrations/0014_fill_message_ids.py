# Application emails made before Message-IDs were given have none: each gets its own
# here, once (outbox.models.fill_message_ids), where outbox/sending.py used to give
# one before every send. Credential emails had theirs from the start; checked too.

from django.db import migrations

from outbox.models import fill_message_ids


class Migration(migrations.Migration):

    dependencies = [
        ("clinics", "0013_places_languages_hours_covers"),
    ]

    operations = [
        migrations.RunPython(fill_message_ids("clinics.ApplicationEmail", "clinics.CredentialEmail"), migrations.RunPython.noop),
    ]
