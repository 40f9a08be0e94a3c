from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_tables_renamed_content_types_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicapplication",
            name="receipt_withheld",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]
