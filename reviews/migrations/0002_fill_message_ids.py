# Every review email had its Message-ID from the start; this makes sure no row lacks
# one, as in every other app's email table, now that sending no longer fills them.

from django.db import migrations

from outbox.models import fill_message_ids


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_message_ids("reviews.ReviewEmail"), migrations.RunPython.noop),
    ]
