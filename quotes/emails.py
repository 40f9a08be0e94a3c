"""Building the quote emails: one to each artist, one confirmation to the client."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import QuoteDelivery, QuotePhoto

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
    context = {"quote": quote, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
    reply_to: list[str] = []
    if delivery.kind == QuoteDelivery.Kind.ARTIST:
        context["clinic"] = delivery.clinic
        context["photos"] = [
            {"url": settings.SITE_URL + signed_photo_path(photo), "photo": photo}
            for photo in quote.photos.filter(sanitised=True)
        ]
        context["link_days"] = settings.QUOTE_PHOTO_LINK_MAX_AGE // 86400
        subject, text, html = _render("artist_request", context)
        reply_to = [quote.email]  # artists answer the client directly
    else:
        context["artists"] = [
            d.clinic
            for d in quote.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST)
            .select_related("clinic__city")
            .order_by("clinic__name")
            if d.clinic is not None
        ]
        subject, text, html = _render("client_confirmation", context)

    message = EmailMultiAlternatives(subject, text, to=[delivery.to_email], reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    # Read by anymail: tracking events name the delivery they are about.
    message.metadata = {"delivery_id": str(delivery.pk)}
    message.tags = [f"quote-{delivery.kind}"]
    return message
