"""Used by `manage.py screenshots`: a sample quote request with replies, in the site's own
settings, so the comparison page and an email can be photographed. Each run replaces the
previous run's request."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from clinics.models import Clinic
from outbox.compose import compose
from quotes.links import compare_path
from quotes.models import QuoteDelivery, QuoteReply, QuoteRequest

CLIENT = "screenshots@sample.example"
ARTICLE = "what-is-scalp-micropigmentation"
# (price from, price to, sessions, includes) per replying clinic; the last one declines.
REPLIES = [
    (1450, 1800, 3, "Three sessions, numbing cream and a touch-up within a year"),
    (1650, 1650, 3, "Three sessions and written aftercare"),
    (1200, 1550, 4, "Four sessions, scar assessment"),
]


class Command(BaseCommand):
    help = "Used by `manage.py screenshots`: a sample request with replies; prints its pages."

    def handle(self, *args, **options):
        clinics = list(
            Clinic.objects.listed()
            .filter(city__slug="london", is_sample=True)
            .select_related("city")
            .order_by("name")[:5]
        )
        QuoteRequest.objects.filter(email=CLIENT).delete()  # made afresh, as this code says
        quote = self._make(clinics)
        email = compose(quote.deliveries.get(kind=QuoteDelivery.Kind.CONFIRMATION))
        out = Path(settings.BASE_DIR) / "var" / "screenshot-email.html"
        out.write_text(email.alternatives[0][0], encoding="utf-8")
        article = Article.objects.published().filter(slug=ARTICLE).first()
        pages = {
            "clinic": clinics[0].get_absolute_url(),
            "compare": compare_path(quote.pk),
            "article": article.get_absolute_url() if article else "/articles/",
            "email": str(out),
        }
        self.stdout.write(json.dumps(pages))

    def _make(self, clinics: list[Clinic]) -> QuoteRequest:
        now = timezone.now()
        quote = QuoteRequest.objects.create(
            name="Sam Sample",
            email=CLIENT,
            city=clinics[0].city,
            mode="city",
            message="Sample request for the screenshots: thinning at the crown.",
            consent_at=now,
            status=QuoteRequest.Status.DISPATCHED,
        )
        QuoteDelivery.objects.create(
            quote=quote, kind=QuoteDelivery.Kind.CONFIRMATION, to_email=CLIENT
        )
        for index, clinic in enumerate(clinics):
            delivery = QuoteDelivery.objects.create(
                quote=quote,
                kind=QuoteDelivery.Kind.ARTIST,
                clinic=clinic,
                to_email=CLIENT,
                status=QuoteDelivery.Status.SENT,
                sent_at=now - timedelta(hours=30),
            )
            if index < len(REPLIES):
                low, high, sessions, includes = REPLIES[index]
                QuoteReply.objects.create(
                    delivery=delivery,
                    currency=clinic.currency,
                    price_min=low,
                    price_max=high,
                    price_type="estimate" if low != high else "fixed",
                    sessions=sessions,
                    includes=includes,
                    deposit=200,
                    available_from=(now + timedelta(days=14 + 7 * index)).date(),
                    message="Thank you for the clear photos: happy to talk it through.",
                )
            elif index == len(REPLIES):
                QuoteReply.objects.create(
                    delivery=delivery,
                    currency=clinic.currency,
                    declined=True,
                    message="We only take scar work at the moment.",
                )
        return quote
