from django.db import migrations


def create_pages(apps, schema_editor):
    from pages.content import create_missing_pages

    create_missing_pages(apps.get_model("pages", "SitePage"))


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_site_pages_and_contact")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
