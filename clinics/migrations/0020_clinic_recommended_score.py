from django.db import migrations, models


def store_scores(apps, schema_editor):
    # The expression of the day this was written (the one the code keeps current after).
    from clinics.models import recommended_score

    apps.get_model("clinics", "Clinic").objects.update(recommended_score=recommended_score())


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0019_clinic_review_figures"),
        ("credentials", "0002_tables_renamed_content_types_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="recommended_score",
            field=models.FloatField(default=0.0, editable=False),
        ),
        migrations.RunPython(store_scores, migrations.RunPython.noop),
    ]
