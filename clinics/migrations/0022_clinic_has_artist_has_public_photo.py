from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce


def store_listing_needs(apps, schema_editor):
    """Every clinic's artist and public photo, as `ClinicQuerySet.refresh_covers` stores
    them from now on, then each city's count of listed clinics under the new rule.

    An approved clinic with no artist or no public photo leaves the public pages here;
    staff see why in its admin list ("needs an artist", "needs a consented public photo").
    """
    Clinic = apps.get_model("clinics", "Clinic")
    City = apps.get_model("clinics", "City")
    Artist = apps.get_model("clinics", "Artist")
    ClinicPhoto = apps.get_model("clinics", "ClinicPhoto")
    # ClinicPhotoQuerySet.public() as of this migration.
    public = (
        ClinicPhoto.objects.filter(
            Q(match_found_at__isnull=True)
            | Q(match_cleared_at__isnull=False)
            | Q(match_found_at__gt=F("consent_confirmed_at")),
            consent_confirmed_at__isnull=False,
            clinic=OuterRef("pk"),
        )
        .exclude(fingerprint="")
        .exclude(stage="")
    )
    Clinic.objects.update(
        has_artist=Exists(Artist.objects.filter(clinic=OuterRef("pk"))),
        has_public_photo=Exists(public),
    )
    listed = (
        Clinic.objects.filter(
            city=OuterRef("pk"), status="approved", has_artist=True, has_public_photo=True
        )
        .order_by()
        .values("city")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    City.objects.update(listed_clinic_count=Coalesce(models.Subquery(listed), models.Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0021_sitemap_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="has_artist",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="clinic",
            name="has_public_photo",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(store_listing_needs, migrations.RunPython.noop),
    ]
