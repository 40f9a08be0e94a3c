from django.db import migrations
from django.db.models import Avg, Count, Q

# Review.PriceMatch's values when this migration was written.
PRICE_MATCH = ("yes", "higher", "lower")


def store_figures(apps, schema_editor):
    """What ReviewQuerySet.refresh_rating stores, for every clinic with counted reviews."""
    Review = apps.get_model("reviews", "Review")
    Clinic = apps.get_model("clinics", "Clinic")
    counted = Review.objects.filter(status="published", counts_in_rating=True)
    stars = {f"s{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)}
    prices = {f"p_{c}": Count("pk", filter=Q(price_match=c)) for c in PRICE_MATCH}
    rows = (
        counted.order_by()
        .values("clinic_id")
        .annotate(
            n=Count("pk"),
            result=Avg("result_rating"),
            communication=Avg("communication_rating"),
            value=Avg("value_rating"),
            **stars,
            **prices,
        )
    )
    for row in rows:
        clinic_id = row.pop("clinic_id")
        figures = {
            k: float(v) if v is not None and k in ("result", "communication", "value") else v
            for k, v in row.items()
        }
        Clinic.objects.filter(pk=clinic_id).update(review_figures=figures)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_email_due_index_name"),
        ("clinics", "0019_clinic_review_figures"),
    ]

    operations = [migrations.RunPython(store_figures, migrations.RunPython.noop)]
