"""A clinic profile's reviews block, as a template tag, so the clinics app shows it without
importing reviews (templates/clinics/clinic_detail.html: `{% profile_reviews clinic as
reviews %}`), rendered by templates/jinja2/reviews/profile_reviews.html.

Three queries at most whatever the number of reviews: the newest reviews with their
replies, their photos (only when one of them has the client's consent to show photos),
and the earlier reviews of clients whose newest is a follow-up (the figures are stored on
the clinic's row with its rating: `Clinic.review_figures`). None at all while the clinic
has no published review.
"""

from django import template
from django.conf import settings
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from common.addresses import absolute_url

from ..models import Review, ReviewPhoto
from ..views import photo_url

register = template.Library()


# What the block shows of a review, its invitation and its reply: the rest of their columns
# are left in the database (a column read here and not listed costs a query each).
_SHOWN = (
    "rating",
    "result_rating",
    "communication_rating",
    "value_rating",
    "price_match",
    "final_price",
    "currency",
    "text",
    "display_name",
    "photo_consent_at",
    "status",
    "published_at",
    "invite__quote_id",
    "invite__stage",
    "invite__asked_at",
    "reply__text",
    "reply__status",
)


def _distribution(figures: dict) -> list[dict]:
    total = figures["n"] or 1
    return [
        {"stars": n, "count": figures[f"s{n}"], "percent": round(100 * figures[f"s{n}"] / total)}
        for n in range(5, 0, -1)
    ]


def _price_match(figures: dict) -> dict | None:
    answers = sum(figures[f"p_{choice}"] for choice in Review.PriceMatch.values)
    if answers < settings.REVIEW_PRICE_MATCH_MIN_ANSWERS:
        return None
    matched = figures[f"p_{Review.PriceMatch.YES}"]
    return {"answers": answers, "matched": matched, "percent": round(100 * matched / answers)}


@register.simple_tag
def profile_reviews(clinic) -> SafeString:
    template = engines["jinja2"].get_template("reviews/profile_reviews.html")
    # Already safe: a template's output, autoescaped.
    return mark_safe(template.render(_reviews_context(clinic)))


def _reviews_context(clinic) -> dict:
    base = {"clinic": clinic}
    if not clinic.rating_count:
        return base
    figures = clinic.review_figures  # stored with the rating (refresh_rating)
    newest = list(
        Review.objects.counted()
        .filter(clinic=clinic)
        .select_related("invite", "reply")
        .only(*_SHOWN)
        .order_by("-published_at", "-pk")[: settings.REVIEWS_ON_PROFILE]
    )
    # A photo is public only with the client's consent (ReviewPhoto.is_public_for):
    # without any, there is nothing to read.
    photos: dict[int, list[ReviewPhoto]] = {}
    consented = [r.pk for r in newest if r.photo_consent_at is not None]
    if consented:
        for photo in ReviewPhoto.objects.filter(review__in=consented, sanitised=True):
            photos.setdefault(photo.review_id, []).append(photo)
    follow_ups = [r.invite.quote_id for r in newest if r.is_follow_up]
    earlier = (
        {
            r.invite.quote_id: r
            for r in Review.objects.published()
            .filter(clinic=clinic, invite__quote_id__in=follow_ups, counts_in_rating=False)
            .select_related("invite")
        }
        if follow_ups
        else {}
    )
    url = clinic.get_absolute_url()
    absolute = absolute_url(url)
    rows = [
        {
            "review": review,
            "earlier": earlier.get(review.invite.quote_id),
            "reply": _published_reply(review),
            "photos": [
                {"photo": p, "url": photo_url(p), "thumb": photo_url(p, "thumb")}
                for p in photos.get(review.pk, ())
                if p.is_public_for(review)
            ],
        }
        for review in newest
    ]
    return {
        **base,
        "figures": figures,
        "distribution": _distribution(figures),
        "price_match": _price_match(figures),
        "rows": rows,
        "json_ld": _json_ld(absolute, rows),
    }


def _published_reply(review: Review):
    try:
        reply = review.reply
    except Review.reply.RelatedObjectDoesNotExist:
        return None
    return reply if reply.status == Review.Status.PUBLISHED else None


def _json_ld(url: str, rows: list[dict]) -> dict:
    """The profile's reviews, added to its business node (same @id as Clinic.json_ld)."""
    return {
        "@context": "https://schema.org",
        "@id": f"{url}#business",
        "review": [
            {
                "@type": "Review",
                "author": {"@type": "Person", "name": row["review"].display_name},
                "datePublished": row["review"].published_at.date().isoformat(),
                "reviewBody": row["review"].text,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": row["review"].rating,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            }
            for row in rows
        ],
    }
