from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone


def store_scores(apps, schema_editor):
    """The score as it was defined when this migration was written, frozen here: the
    code's `clinics.models.recommended_score` may change later, and a migration must do
    the same thing whenever it runs. The code keeps the column current after this."""
    Clinic = apps.get_model("clinics", "Clinic")
    ClinicPhoto = apps.get_model("clinics", "ClinicPhoto")
    Credential = apps.get_model("credentials", "Credential")
    real = models.FloatField()

    def count(queryset):
        counted = queryset.order_by().values("clinic").annotate(n=models.Count("pk")).values("n")
        return Coalesce(models.Subquery(counted[:1]), models.Value(0))

    public_healed = (
        ClinicPhoto.objects.filter(
            Q(match_found_at__isnull=True)
            | Q(match_cleared_at__isnull=False)
            | Q(match_found_at__gt=models.F("consent_confirmed_at")),
            consent_confirmed_at__isnull=False,
            clinic=models.OuterRef("pk"),
            stage="healed",
        )
        .exclude(fingerprint="")
        .exclude(stage="")
    )
    valid_credentials = Credential.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()),
        clinic=models.OuterRef("pk"),
    )
    reviews = Cast(models.F("rating_count"), real)
    average = Coalesce(models.F("rating_average"), models.Value(0.0), output_field=real)
    # Five reviews of 4.0 as a prior; then healed photos (0.04 each, up to 5), credentials
    # valid today (0.1 each, up to 2) and a median first reply within 24 h (0.1) or 72 h (0.05).
    weighted = models.ExpressionWrapper(
        (reviews * average + models.Value(5 * 4.0)) / (reviews + models.Value(5.0)),
        output_field=real,
    )
    replies = models.Case(
        models.When(median_reply_hours__lte=24, then=models.Value(0.1)),
        models.When(median_reply_hours__lte=72, then=models.Value(0.05)),
        default=models.Value(0.0),
        output_field=real,
    )
    score = models.ExpressionWrapper(
        weighted
        + Cast(Least(count(public_healed), models.Value(5)), real) * models.Value(0.04)
        + Cast(Least(count(valid_credentials), models.Value(2)), real) * models.Value(0.1)
        + replies,
        output_field=real,
    )
    Clinic.objects.update(recommended_score=score)


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
