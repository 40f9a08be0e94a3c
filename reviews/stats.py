"""A clinic's rating, from its published reviews only, stored on Clinic.

Clinic.rating_average and rating_count are what cards, city pages (sort and filter) and
the profile's JSON-LD read, so the clinics app never imports reviews (as quotes/stats.py
does for reply figures). Each client counts once: of their published reviews (after
healing, a year on), the latest. Called whenever a review is published, withdrawn or
erased.
"""

from django.db.models import Avg, Count

from clinics.models import Clinic
from smp_site.page_cache import bump_version

from .models import Review, ReviewInvite

# The later stage wins: a year on, the client's word on how it held up is their latest.
_STAGE_ORDER = {ReviewInvite.Stage.HEALED: 0, ReviewInvite.Stage.HELD_UP: 1}


def refresh_clinic(clinic_id: int) -> None:
    published = Review.objects.published().filter(clinic_id=clinic_id)
    latest: dict[int, tuple] = {}
    for pk, quote_id, stage, published_at in published.values_list(
        "pk", "invite__quote_id", "invite__stage", "published_at"
    ):
        rank = (_STAGE_ORDER[stage], published_at, pk)
        if quote_id not in latest or rank > latest[quote_id]:
            latest[quote_id] = rank
    counted = [rank[2] for rank in latest.values()]
    Review.objects.filter(clinic_id=clinic_id).exclude(pk__in=counted).update(
        counts_in_rating=False
    )
    Review.objects.filter(pk__in=counted).update(counts_in_rating=True)
    figures = Review.objects.filter(pk__in=counted).aggregate(average=Avg("rating"), n=Count("pk"))
    average = round(figures["average"], 2) if figures["n"] else None
    Clinic.objects.filter(pk=clinic_id).update(rating_average=average, rating_count=figures["n"])
    bump_version()  # update() sends no signal: make cached cards and profiles stale
