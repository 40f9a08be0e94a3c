"""Building the quote emails: one to each artist, one confirmation to the client."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .links import compare_path, reply_path
from .models import QuoteDelivery, QuotePhoto, QuoteReply

PHOTO_LINK_SALT = "quotes.photo-link"


def signed_photo_path(photo: QuotePhoto) -> str:
    token = signing.dumps(photo.pk, salt=PHOTO_LINK_SALT)
    return reverse("quotes:photo", args=[token])


def photo_id_from_token(token: str) -> int | None:
    try:
        return int(
            signing.loads(token, salt=PHOTO_LINK_SALT, max_age=settings.QUOTE_PHOTO_LINK_MAX_AGE)
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _render(name: str, context: dict) -> tuple[str, str, str]:
    subject = render_to_string(f"quotes/email/{name}_subject.txt", context)
    text = render_to_string(f"quotes/email/{name}_body.txt", context)
    html = render_to_string(f"quotes/email/{name}_body.html", context)
    return " ".join(subject.split()), text, html


def build_message(delivery: QuoteDelivery) -> EmailMultiAlternatives:
    quote = delivery.quote
    Kind = QuoteDelivery.Kind
    context = {
        "quote": quote,
        "clinic": delivery.clinic,
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "compare_url": settings.SITE_URL + compare_path(quote.pk),
        "compare_days": settings.QUOTE_COMPARE_LINK_DAYS,
    }
    reply_to: list[str] = []
    if delivery.kind == Kind.REMINDER:
        context["reply_url"] = settings.SITE_URL + reply_path(
            quote.deliveries.get(kind=Kind.ARTIST, clinic=delivery.clinic).pk
        )
        context["reply_days"] = settings.QUOTE_REPLY_LINK_DAYS
    elif delivery.kind == Kind.ARTIST:
        context["photos"] = [
            {"url": settings.SITE_URL + signed_photo_path(photo), "photo": photo}
            for photo in quote.photos.filter(sanitised=True)
        ]
        context["link_days"] = settings.QUOTE_PHOTO_LINK_MAX_AGE // 86400
        context["reply_url"] = settings.SITE_URL + reply_path(delivery.pk)
        context["reply_days"] = settings.QUOTE_REPLY_LINK_DAYS
        reply_to = [quote.email]  # artists answer the client directly
    elif delivery.kind == Kind.CONFIRMATION:
        context["artists"] = [
            d.clinic
            for d in quote.deliveries.filter(kind=Kind.ARTIST)
            .select_related("clinic__city")
            .order_by("clinic__name")
            if d.clinic is not None
        ]
    elif delivery.kind == Kind.REPLIES:
        replies = QuoteReply.objects.filter(delivery__quote=quote)
        context["reply_count"] = replies.filter(declined=False).count()
        context["decline_count"] = replies.filter(declined=True).count()
    elif delivery.kind == Kind.CHOSEN:
        reply_to = [quote.email]
    template = {
        Kind.ARTIST: "artist_request",
        Kind.CONFIRMATION: "client_confirmation",
        Kind.REPLIES: "client_replies",
        Kind.CHOSEN: "artist_chosen",
        Kind.CLOSED: "artist_closed",
        Kind.REMINDER: "artist_reminder",
    }[delivery.kind]
    subject, text, html = _render(template, context)

    message = EmailMultiAlternatives(subject, text, to=[delivery.to_email], reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    # Read by anymail: tracking events name the delivery they are about.
    message.metadata = {"delivery_id": str(delivery.pk)}
    message.tags = [f"quote-{delivery.kind}"]
    return message
