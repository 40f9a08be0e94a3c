"""Every email about a quote request: what each kind of QuoteDelivery says, and to whom it
replies. outbox.compose renders them; outbox.sending sends each row once."""

from django.conf import settings
from django.urls import reverse

from clinics.models import Clinic
from outbox.kinds import EmailContent, email_kind

from .links import absolute, compare_path, photo_path, reply_path
from .models import QuoteDelivery, QuoteReply, QuoteRequest
from .signals import artist_reply_address

Kind = QuoteDelivery.Kind


def _base(delivery: QuoteDelivery) -> dict:
    quote = delivery.quote
    return {
        "quote": quote,
        "clinic": delivery.clinic,
        "compare_url": absolute(compare_path(quote.pk)),
        "compare_days": settings.QUOTE_COMPARE_LINK_DAYS,
    }


def _artist_reply_to(delivery: QuoteDelivery) -> list[str]:
    """Where an artist's reply to its request email goes: the client, through the site
    (never the client's own address: quotes/signals.py)."""
    answers = artist_reply_address.send(sender=QuoteDelivery, delivery=delivery)
    return [address for _receiver, address in answers if address][:1]


def _reply_link(artist_delivery_id: int) -> dict:
    return {
        "reply_url": absolute(reply_path(artist_delivery_id)),
        "reply_days": settings.QUOTE_REPLY_LINK_DAYS,
        # The same request in the clinic's account (members sign in there).
        "inbox_url": absolute(reverse("inbox:request", args=[artist_delivery_id])),
    }


@email_kind(QuoteDelivery, Kind.ARTIST, template="quotes/email/artist_request")
def artist_request(delivery: QuoteDelivery) -> EmailContent:
    photos = [
        {"url": absolute(photo_path(photo.pk, delivery.pk)), "photo": photo}
        for photo in delivery.quote.photos.filter(sanitised=True)
    ]
    context = {
        **_base(delivery),
        **_reply_link(delivery.pk),
        "photos": photos,
        "link_days": settings.QUOTE_PHOTO_LINK_DAYS,
    }
    # A reply goes to the client through the site: their conversation (conversations/),
    # from an address that names it, so the client's own address stays hidden.
    return EmailContent(context, reply_to=_artist_reply_to(delivery))


@email_kind(QuoteDelivery, Kind.REMINDER, template="quotes/email/artist_reminder")
def artist_reminder(delivery: QuoteDelivery) -> EmailContent:
    artist = delivery.quote.deliveries.get(kind=Kind.ARTIST, clinic=delivery.clinic)
    return EmailContent(
        {**_base(delivery), **_reply_link(artist.pk)},
        reply_to=_artist_reply_to(artist),
    )


@email_kind(QuoteDelivery, Kind.CONFIRMATION, template="quotes/email/client_confirmation")
def client_confirmation(delivery: QuoteDelivery) -> EmailContent:
    artists = [
        d.clinic
        for d in delivery.quote.deliveries.filter(kind=Kind.ARTIST)
        .select_related("clinic__city")
        .order_by("clinic__name")
        if d.clinic is not None
    ]
    left_out, sent = delivery.quote.photos_left_out()
    return EmailContent(
        {**_base(delivery), "artists": artists, "photos_left_out": left_out, "photos_sent": sent}
    )


@email_kind(QuoteDelivery, Kind.REPLIES, template="quotes/email/client_replies")
def client_replies(delivery: QuoteDelivery) -> EmailContent:
    """Every answer so far, each price as its clinic gave it, cheapest first."""
    replies = list(
        QuoteReply.objects.filter(delivery__quote=delivery.quote, delivery__clinic__isnull=False)
        .select_related("delivery__clinic")
        .order_by("declined", "price_min", "delivery__clinic__name")
    )
    priced = [reply for reply in replies if not reply.declined]
    return EmailContent(
        {
            **_base(delivery),
            "replies": priced,
            "declined": [reply for reply in replies if reply.declined],
            "reply_count": len(priced),
            "decline_count": len(replies) - len(priced),
        }
    )


@email_kind(QuoteDelivery, Kind.CHOSEN, template="quotes/email/artist_chosen")
def artist_chosen(delivery: QuoteDelivery) -> EmailContent:
    """The choice, with what was chosen restated: the clinic's own price and the request.
    The photos stay behind the clinic's reply link (they are not put in the email)."""
    quote = delivery.quote
    artist = quote.deliveries.get(kind=Kind.ARTIST, clinic=delivery.clinic)
    context = {
        **_base(delivery),
        **_reply_link(artist.pk),
        "reply": QuoteReply.objects.filter(delivery=artist).first(),
        "photo_count": quote.photos.filter(sanitised=True).count(),
    }
    return EmailContent(context, reply_to=[quote.email])


@email_kind(QuoteDelivery, Kind.CHOSEN_CLIENT, template="quotes/email/client_chosen")
def client_chosen(delivery: QuoteDelivery) -> EmailContent:
    """The client's own record of the choice, with the artist's contact details."""
    chosen = delivery.quote.chosen_reply()
    if chosen is None:
        raise LookupError(f"Request {delivery.quote_id} has no chosen reply")
    clinic = Clinic.objects.select_related("city").get(pk=chosen.delivery.clinic_id)
    return EmailContent(
        {
            **_base(delivery),
            "reply": chosen,
            "chosen_clinic": clinic,
            # Told in the same step as the choice, when the client left the box ticked.
            "others_told": delivery.quote.others_told(),
        },
        reply_to=[clinic.quote_email] if clinic.quote_email else [],
    )


@email_kind(QuoteDelivery, Kind.CLOSED, template="quotes/email/artist_closed")
def artist_closed(delivery: QuoteDelivery) -> EmailContent:
    """No longer needed: the client closed the request, or chose another artist."""
    chosen = delivery.quote.chosen_reply()
    return EmailContent(
        {
            **_base(delivery),
            "chose_another": chosen is not None and chosen.delivery.clinic_id != delivery.clinic_id,
            # The clinic sent a price: thank it for that, not just for its time.
            "answered": QuoteReply.objects.filter(
                delivery__quote=delivery.quote, delivery__clinic=delivery.clinic, declined=False
            ).exists(),
        }
    )


@email_kind(QuoteDelivery, Kind.NEW_LINKS, template="quotes/email/new_links")
def new_links(delivery: QuoteDelivery) -> EmailContent:
    """Fresh comparison links for every recent request made with this address."""
    ids = QuoteRequest.objects.for_address(delivery.to_email)
    quotes = QuoteRequest.objects.filter(pk__in=ids).select_related("city").order_by("-created_at")
    links = [(quote, absolute(compare_path(quote.pk))) for quote in quotes]
    return EmailContent({**_base(delivery), "links": links})


@email_kind(QuoteDelivery, Kind.UNDELIVERED, template="quotes/email/client_undelivered")
def client_undelivered(delivery: QuoteDelivery) -> EmailContent:
    """An artist's email address did not take the request (the provider refused it, or
    two days of retries failed): the client hears which artist, and where to find others."""
    return EmailContent(_base(delivery))
