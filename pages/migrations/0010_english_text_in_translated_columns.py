"""The site pages' English text into its own columns (the translations start empty)."""

from django.db import migrations
from django.db.models import F

TEXT = ("title", "summary", "body", "body_html")


def english_columns(apps, schema_editor):
    SitePage = apps.get_model("pages", "SitePage")
    SitePage.objects.update(**{f"{name}_en_gb": F(name) for name in TEXT})


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0009_translated_columns"),
    ]

    operations = [
        migrations.RunPython(english_columns, migrations.RunPython.noop, elidable=True),
    ]
