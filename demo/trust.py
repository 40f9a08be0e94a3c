"""Sample trust data: checked credentials and reviews from sample clients, marked as such.

Reviews need a request the site carried and a choice, so each sample review comes with a
sample request (addresses at example.invalid, which no email can reach), the clinic's
answer, the choice, the invitation and the review, published. Safe to run again: what
exists is kept.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clinics.models import Clinic
from credentials.models import Credential
from quotes.models import QuoteDelivery, QuoteReply, QuoteRequest
from reviews.models import ClinicReply, Review, ReviewInvite

REVIEWED_CLINICS = 8
SAMPLE_TEXTS = [
    (5, "Sample review: three sessions, and the hairline looks natural even up close."),
    (4, "Sample review: the result is good; the second session ran a little late."),
    (5, "Sample review: the artist talked me through every step and the crown is even now."),
    (3, "Sample review: fine result, but the final price was higher than the quote."),
    (4, "Sample review: healed well, with a touch-up included as promised."),
]
SAMPLE_REPLY = "Sample reply: thank you for choosing us, and for taking the time to write."


@transaction.atomic
def load_trust(seed: int = 15) -> dict[str, int]:
    rng = random.Random(seed)
    clinics = list(Clinic.objects.listed().filter(is_sample=True).order_by("pk"))
    today = timezone.localdate()
    for index, clinic in enumerate(clinics):
        if index % 3 == 2 or clinic.credentials.exists():
            continue  # some clinics have nothing checked: the profile then says nothing
        Credential.objects.create(
            clinic=clinic,
            kind=Credential.Kind.INSURANCE,
            issuer="Sample Mutual (sample data)",
            checked_on=today - timedelta(days=40),
            expires_on=today + timedelta(days=rng.randint(20, 320)),
            notes="Sample data: no document.",
        )
        artist = clinic.artists.order_by("order").first()
        if artist is not None:
            Credential.objects.create(
                clinic=clinic,
                artist=artist,
                kind=Credential.Kind.TRAINING,
                issuer="Sample SMP Academy (sample data)",
                checked_on=today - timedelta(days=40),
                notes="Sample data: no document.",
            )
    reviews = 0
    for clinic in clinics[:REVIEWED_CLINICS]:
        if clinic.reviews.exists():
            continue
        for number, (rating, text) in enumerate(SAMPLE_TEXTS[: rng.randint(2, 5)], start=1):
            _sample_review(clinic, number, rating, text, with_reply=number == 1)
            reviews += 1
        Review.objects.refresh_rating(clinic.pk)
    return {
        "credentials": Credential.objects.filter(clinic__is_sample=True).count(),
        "reviews": Review.objects.filter(clinic__is_sample=True).count(),
    }


def _sample_review(clinic: Clinic, number: int, rating: int, text: str, with_reply: bool):
    asked = timezone.now() - timedelta(days=120 + 15 * number)
    quote = QuoteRequest.objects.create(
        name=f"Sample Client{number}",
        email=f"sample-client-{clinic.pk}-{number}@example.invalid",
        city=clinic.city,
        clinic=clinic,
        mode=QuoteRequest.Mode.SINGLE,
        message="Sample data: a request made by the demo loader.",
        consent_at=asked,
        status=QuoteRequest.Status.DISPATCHED,
        dispatched_at=asked,
    )
    delivery = QuoteDelivery.objects.create(
        quote=quote,
        clinic=clinic,
        to_email=clinic.quote_email or "sample@example.invalid",
        status=QuoteDelivery.Status.SENT,
        sent_at=asked,
    )
    price = clinic.price_from or 1500
    QuoteReply.objects.create(
        delivery=delivery,
        currency=clinic.currency,
        price_min=price,
        price_max=price,
        price_type=QuoteReply.PriceType.FIXED,
        chosen_at=asked + timedelta(days=2),
        # Already "told" the sample client: no reply email to an unreachable address.
        client_notified_at=asked + timedelta(days=1),
        seen_by_client_at=asked + timedelta(days=2),
    )
    invite = ReviewInvite.objects.create(
        quote=quote,
        clinic=clinic,
        stage=ReviewInvite.Stage.HEALED,
        asked_at=asked,
        chosen_at=asked + timedelta(days=2),
        currency=clinic.currency,
    )
    review = Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=rating,
        result_rating=rating,
        communication_rating=min(5, rating + 1),
        value_rating=max(1, rating - 1),
        price_match=Review.PriceMatch.YES if rating > 3 else Review.PriceMatch.HIGHER,
        currency=clinic.currency,
        text=text,
        display_name=f"Sample C{number}.",
        status=Review.Status.PUBLISHED,
        published_at=asked + timedelta(days=95),
    )
    if with_reply:
        ClinicReply.objects.create(
            review=review,
            text=SAMPLE_REPLY,
            status=Review.Status.PUBLISHED,
            published_at=asked + timedelta(days=97),
        )
