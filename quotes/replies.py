"""Artists' replies and the client's decisions: save a reply, batch the client's emails,
choose an artist, close or erase a request. Each email is a QuoteDelivery, sent (once)
by the same task as every other quote email."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.utils import timezone

from .links import compare_path
from .models import QuoteDelivery, QuoteReply, QuoteReplyRevision, QuoteRequest
from .pipeline import enqueue_send

REPLY_FIELDS = [
    "declined",
    "price_min",
    "price_max",
    "price_type",
    "sessions",
    "available_from",
    "includes",
    "deposit",
    "message",
]


class ReplyLocked(Exception):
    """The client has seen the reply (or closed the request): it can no longer change."""


def save_reply(delivery: QuoteDelivery, data: dict) -> QuoteReply:
    """Create or update a clinic's reply, keep a revision, and queue the client's news."""
    with transaction.atomic():
        reply = (
            QuoteReply.objects.select_for_update()
            .select_related("delivery__quote")
            .filter(delivery=delivery)
            .first()
        )
        if reply is None:
            reply = QuoteReply(delivery=delivery, currency=delivery.clinic.currency)
        elif not reply.is_editable():
            raise ReplyLocked
        if delivery.quote.closed_at is not None:
            raise ReplyLocked
        for field in REPLY_FIELDS:
            setattr(reply, field, data.get(field))
        if reply.declined:
            reply.price_min = reply.price_max = reply.deposit = reply.sessions = None
        reply.client_notified_at = None  # a new or changed reply is news for the client
        reply.save()
        QuoteReplyRevision.objects.create(
            reply=reply,
            changed_by=f"{delivery.clinic.name} (reply link sent to {delivery.to_email})",
            data={field: _plain(getattr(reply, field)) for field in REPLY_FIELDS},
        )
    return reply


def _plain(value):
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def notify_reply_batches(now=None) -> int:
    """One email per request for the replies it got, once the oldest has waited a window."""
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.QUOTE_REPLY_BATCH_MINUTES)
    quote_ids = list(
        QuoteReply.objects.filter(
            client_notified_at__isnull=True, delivery__quote__closed_at__isnull=True
        )
        .values("delivery__quote")
        .annotate(oldest=Min("updated_at"))
        .filter(oldest__lte=due)
        .values_list("delivery__quote", flat=True)
    )
    sent = 0
    for quote_id in quote_ids:
        with transaction.atomic():
            claimed = QuoteReply.objects.filter(
                delivery__quote_id=quote_id, client_notified_at__isnull=True
            ).update(client_notified_at=now)
            if not claimed:
                continue  # another run took them
            quote = QuoteRequest.objects.get(pk=quote_id)
            delivery = QuoteDelivery.objects.create(
                quote=quote, kind=QuoteDelivery.Kind.REPLIES, to_email=quote.email
            )
            transaction.on_commit(lambda pk=delivery.pk: enqueue_send(pk))
            sent += 1
    return sent


def mark_seen(replies: list[QuoteReply]) -> None:
    """The client has seen these replies: from now on the artists can't change them."""
    ids = [reply.pk for reply in replies if reply.seen_by_client_at is None]
    if ids:
        QuoteReply.objects.filter(pk__in=ids, seen_by_client_at__isnull=True).update(
            seen_by_client_at=timezone.now()
        )


def choose(quote: QuoteRequest, reply: QuoteReply) -> bool:
    """The client picks this reply; its artist is told once. False if already decided."""
    with transaction.atomic():
        if QuoteReply.objects.filter(delivery__quote=quote, chosen_at__isnull=False).exists():
            return False
        QuoteReply.objects.filter(pk=reply.pk).update(chosen_at=timezone.now())
        created = QuoteDelivery.objects.bulk_create(
            [
                QuoteDelivery(
                    quote=quote,
                    kind=QuoteDelivery.Kind.CHOSEN,
                    clinic=reply.delivery.clinic,
                    to_email=reply.delivery.to_email,
                )
            ],
            ignore_conflicts=True,
        )
        _enqueue_pending(quote, QuoteDelivery.Kind.CHOSEN)
    return bool(created)


def close(quote: QuoteRequest) -> bool:
    """The client needs no more prices: every artist not chosen is told, once."""
    with transaction.atomic():
        claimed = QuoteRequest.objects.filter(pk=quote.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        if not claimed:
            return False
        chosen = set(
            QuoteReply.objects.filter(delivery__quote=quote, chosen_at__isnull=False).values_list(
                "delivery__clinic", flat=True
            )
        )
        QuoteDelivery.objects.bulk_create(
            [
                QuoteDelivery(
                    quote=quote,
                    kind=QuoteDelivery.Kind.CLOSED,
                    clinic_id=delivery.clinic_id,
                    to_email=delivery.to_email,
                )
                for delivery in quote.deliveries.filter(
                    kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False
                )
                if delivery.clinic_id not in chosen
            ],
            ignore_conflicts=True,
        )
        _enqueue_pending(quote, QuoteDelivery.Kind.CLOSED)
    return True


def erase(quote: QuoteRequest) -> None:
    """Delete the request with everything about the client: details, photos, replies."""
    quote.delete()  # cascades; the photos' files go once the deletion is committed


def _enqueue_pending(quote: QuoteRequest, kind: str) -> None:
    ids = list(
        quote.deliveries.filter(kind=kind, status=QuoteDelivery.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: [enqueue_send(pk) for pk in ids])


def requests_for_address(email: str) -> list[int]:
    """The latest (at most 10) real requests made with this address."""
    return list(
        QuoteRequest.objects.filter(email__iexact=email)
        .exclude(status=QuoteRequest.Status.SPAM)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:10]
    )


def send_new_links(quote_ids: list[int]) -> None:
    """Email fresh comparison links for these requests to the address they were made with."""
    quotes = list(
        QuoteRequest.objects.filter(pk__in=quote_ids).select_related("city").order_by("-created_at")
    )
    if not quotes:
        return  # erased meanwhile
    context = {
        "links": [(q, settings.SITE_URL + compare_path(q.pk)) for q in quotes],
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "compare_days": settings.QUOTE_COMPARE_LINK_DAYS,
    }
    message = EmailMultiAlternatives(
        "Your links to compare SMP quotes",
        render_to_string("quotes/email/new_links_body.txt", context),
        to=[quotes[0].email],
    )
    message.send()


REMIND_AFTER = timedelta(hours=24)
OFFER_FORWARD_AFTER = timedelta(hours=48)


def send_reminders(now=None) -> int:
    """One reminder to each artist who hasn't answered a day after the request reached them."""
    now = now or timezone.now()
    waiting = (
        QuoteDelivery.objects.filter(
            kind=QuoteDelivery.Kind.ARTIST,
            status__in=[QuoteDelivery.Status.SENT, QuoteDelivery.Status.DELIVERED],
            sent_at__lte=now - REMIND_AFTER,
            reply__isnull=True,
            clinic__isnull=False,
            quote__closed_at__isnull=True,
        )
        .exclude(
            quote__deliveries__kind=QuoteDelivery.Kind.REMINDER,
            quote__deliveries__clinic=models.F("clinic"),
        )
        .select_related("quote")
    )
    created = QuoteDelivery.objects.bulk_create(
        [
            QuoteDelivery(
                quote=d.quote,
                kind=QuoteDelivery.Kind.REMINDER,
                clinic_id=d.clinic_id,
                to_email=d.to_email,
            )
            for d in waiting
        ],
        ignore_conflicts=True,  # the unique constraint: never a second reminder
    )
    ids = list(
        QuoteDelivery.objects.filter(
            kind=QuoteDelivery.Kind.REMINDER, status=QuoteDelivery.Status.PENDING
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [enqueue_send(pk) for pk in ids])
    return len(created)


def can_forward(quote: QuoteRequest, now=None) -> bool:
    """Two days and not a single answer: the client may send the request to other artists."""
    now = now or timezone.now()
    return (
        quote.closed_at is None
        and quote.forwarded_at is None
        and quote.dispatched_at is not None
        and quote.dispatched_at <= now - OFFER_FORWARD_AFTER
        and not QuoteReply.objects.filter(delivery__quote=quote).exists()
        and bool(forward_recipients(quote))
    )


def forward_recipients(quote: QuoteRequest) -> list:
    from .pipeline import recipients_for

    already = set(
        quote.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST).values_list("clinic", flat=True)
    )
    city_wide = QuoteRequest(pk=quote.pk, city=quote.city, mode=QuoteRequest.Mode.CITY)
    return [clinic for clinic in recipients_for(city_wide) if clinic.pk not in already]


def forward(quote: QuoteRequest) -> int:
    """Send the request on to the city's artists who didn't have it (once)."""
    with transaction.atomic():
        if not can_forward(quote):
            return 0
        claimed = QuoteRequest.objects.filter(pk=quote.pk, forwarded_at__isnull=True).update(
            forwarded_at=timezone.now()
        )
        if not claimed:
            return 0
        clinics = forward_recipients(quote)
        QuoteDelivery.objects.bulk_create(
            [
                QuoteDelivery(
                    quote=quote,
                    kind=QuoteDelivery.Kind.ARTIST,
                    clinic=clinic,
                    to_email=clinic.quote_email,
                )
                for clinic in clinics
            ],
            ignore_conflicts=True,
        )
        _enqueue_pending(quote, QuoteDelivery.Kind.ARTIST)
    return len(clinics)
