"""Figures the public pages show, worked out from replies by a periodic task.

- Each clinic's median time to a first reply and its reply rate over 90 days, once it
  has had five requests or more.
- Each city's quoted prices (median and the middle half, per currency), once at least
  five replies from at least three clinics give prices in that currency. Rounded to 50,
  so no single clinic's quote can be read off them.

They are stored on Clinic and City, so directory pages read them without touching
the quotes app (clinics never imports quotes) and without extra queries.
"""

import statistics
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clinics.models import City, Clinic
from common.page_cache import content_changed

from .models import QuoteDelivery, QuoteReply

WINDOW = timedelta(days=90)
MIN_REQUESTS = 5
MIN_PRICE_REPLIES = 5
MIN_PRICE_CLINICS = 3
ROUND_TO = 50


def update_response_stats(now=None) -> int:
    """Recompute every clinic's reply rate and median time to first reply."""
    now = now or timezone.now()
    received: dict[int, int] = defaultdict(int)
    hours: dict[int, list[float]] = defaultdict(list)
    deliveries = QuoteDelivery.objects.filter(
        kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False, sent_at__gte=now - WINDOW
    ).values_list("clinic_id", "sent_at", "reply__created_at")
    for clinic_id, sent_at, replied_at in deliveries:
        received[clinic_id] += 1
        if replied_at is not None:
            hours[clinic_id].append(max(0.0, (replied_at - sent_at).total_seconds() / 3600))

    changed = []
    for clinic in Clinic.objects.only("pk", "reply_rate", "median_reply_hours"):
        count = received.get(clinic.pk, 0)
        rate: float | None = None
        median: float | None = None
        if count >= MIN_REQUESTS:
            rate = round(len(hours[clinic.pk]) / count, 3)
            median = round(statistics.median(hours[clinic.pk]), 1) if hours[clinic.pk] else None
        if (clinic.reply_rate, clinic.median_reply_hours) != (rate, median):
            clinic.reply_rate, clinic.median_reply_hours = rate, median
            changed.append(clinic)
    with transaction.atomic():
        Clinic.objects.bulk_update(changed, ["reply_rate", "median_reply_hours"], batch_size=500)
        # Reply speed is a term of the "Recommended" order.
        Clinic.objects.filter(pk__in=[clinic.pk for clinic in changed]).refresh_recommended()
    if changed:
        content_changed()  # bulk updates send no signals: tell the page cache ourselves
    return len(changed)


def update_city_prices() -> int:
    """Recompute each city's quoted-price figures from the artists' replies."""
    prices: dict[tuple[int, str], list[tuple[int, float]]] = defaultdict(list)
    rows = QuoteReply.objects.filter(
        declined=False, price_min__isnull=False, price_max__isnull=False
    ).values_list(
        "delivery__quote__city_id", "currency", "delivery__clinic_id", "price_min", "price_max"
    )
    for city_id, currency, clinic_id, low, high in rows:
        if city_id is not None:
            prices[(city_id, currency)].append((clinic_id, (low + high) / 2))

    figures: dict[int, dict] = defaultdict(dict)
    for (city_id, currency), quoted in prices.items():
        clinics = {clinic_id for clinic_id, _ in quoted}
        if len(quoted) < MIN_PRICE_REPLIES or len(clinics) < MIN_PRICE_CLINICS:
            continue
        values = sorted(value for _, value in quoted)
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        figures[city_id][currency] = {
            "median": _round(median),
            "low": _round(q1),
            "high": _round(q3),
            "replies": len(values),
            "clinics": len(clinics),
        }

    changed = []
    for city in City.objects.only("pk", "quoted_prices"):
        new = figures.get(city.pk, {})
        if city.quoted_prices != new:
            city.quoted_prices = new
            changed.append(city)
    City.objects.bulk_update(changed, ["quoted_prices"], batch_size=500)
    if changed:
        content_changed()
    return len(changed)


def _round(value: float) -> int:
    return int(round(value / ROUND_TO) * ROUND_TO)
