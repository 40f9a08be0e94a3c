"""The categories' English names into their own columns (the translations start empty)."""

from django.db import migrations
from django.db.models import F


def english_columns(apps, schema_editor):
    Category = apps.get_model("articles", "Category")
    Category.objects.update(name_en_gb=F("name"), description_en_gb=F("description"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_category_translated_columns"),
    ]

    operations = [
        migrations.RunPython(english_columns, migrations.RunPython.noop, elidable=True),
    ]
