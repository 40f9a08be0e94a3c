"""The quote pipeline as plain functions; quotes/tasks.py wraps them as Celery tasks.

Every step first claims its row with a conditional UPDATE. Whoever claims it
does the work; anyone else (a duplicate task, a task redelivered after a lost
worker or past Redis's visibility timeout) finds nothing to claim and stops.
A claim carries a lease: if its holder dies, the sweeper may take it over once
the lease has run out.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clinics.models import Clinic
from smp_site.photos import sanitise

from .emails import build_message
from .models import QuoteDelivery, QuotePhoto, QuoteRequest

logger = logging.getLogger(__name__)

# Errors that another attempt cannot fix.
PERMANENT_ERRORS: tuple[type[Exception], ...] = ()
try:
    from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused

    PERMANENT_ERRORS = (AnymailInvalidAddress, AnymailRecipientsRefused)
except ImportError:  # pragma: no cover - anymail is a dependency
    pass


def _lease() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.QUOTE_SEND_LEASE_SECONDS)


# Enqueueing. Redis may be down or hung: a failure is logged, never raised into a
# web request, and the sweeper enqueues the work again later from the database.


def enqueue_processing(quote_id: int) -> bool:
    from .tasks import process_quote

    return _enqueue(process_quote, quote_id)


def enqueue_send(delivery_id: int) -> bool:
    from .tasks import send_delivery

    return _enqueue(send_delivery, delivery_id)


def _enqueue(task, object_id: int) -> bool:
    try:
        task.delay(object_id)
    except Exception as exc:
        logger.warning(
            "Could not enqueue %s(%s): %r; the sweeper will retry", task.name, object_id, exc
        )
        return False
    return True


def accept_request(form, *, ip_hash: str) -> QuoteRequest:
    """Save a valid form's request and photos, then enqueue it once the commit succeeded."""
    with transaction.atomic():
        quote = form.save_request(ip_hash=ip_hash)
        transaction.on_commit(lambda: enqueue_processing(quote.pk))
    return quote


# Step 2 and 3: sanitise the photos, then fan out to the recipients.


def recipients_for(quote: QuoteRequest) -> list[Clinic]:
    if quote.mode == QuoteRequest.Mode.SINGLE:
        clinics = Clinic.objects.accepting_quotes().filter(pk=quote.clinic_id)
    else:
        clinics = Clinic.objects.accepting_quotes().in_city(quote.city)
    return list(clinics.exclude(quote_email="").order_by("name"))


def sanitise_photo(photo: QuotePhoto) -> None:
    """Replace the stored upload with its sanitised copy; the original bytes are deleted."""
    storage = photo.file.storage
    original = photo.file.name
    with storage.open(original, "rb") as source:
        content, info = sanitise(source)
    photo.file.save("sanitised.jpg", content, save=False)
    photo.width, photo.height, photo.format = info.width, info.height, info.format
    photo.bytes = content.size
    photo.sanitised = True
    photo.save(update_fields=["file", "width", "height", "format", "bytes", "sanitised"])
    storage.delete(original)


def process_quote(quote_id: int) -> None:
    now = timezone.now()
    claimed = (
        QuoteRequest.objects.filter(pk=quote_id)
        .filter(
            Q(status=QuoteRequest.Status.RECEIVED)
            | Q(status=QuoteRequest.Status.PROCESSING, lease_until__lt=now)
        )
        .update(status=QuoteRequest.Status.PROCESSING, lease_until=_lease())
    )
    if not claimed:
        return
    quote = QuoteRequest.objects.select_related("city", "clinic").get(pk=quote_id)

    for photo in quote.photos.filter(sanitised=False):
        try:
            sanitise_photo(photo)
        except Exception:
            # It passed the upload checks but cannot be re-encoded: no artist may see it raw.
            logger.exception(
                "Photo %s of quote %s could not be sanitised; removed", photo.pk, quote.pk
            )
            photo.delete()

    recipients = recipients_for(quote)
    with transaction.atomic():
        QuoteDelivery.objects.bulk_create(
            [
                QuoteDelivery(
                    quote=quote,
                    kind=QuoteDelivery.Kind.ARTIST,
                    clinic=clinic,
                    to_email=clinic.quote_email,
                )
                for clinic in recipients
            ]
            + [
                QuoteDelivery(
                    quote=quote, kind=QuoteDelivery.Kind.CONFIRMATION, to_email=quote.email
                )
            ],
            ignore_conflicts=True,  # a rerun finds its rows already there
        )
        QuoteRequest.objects.filter(pk=quote.pk).update(
            status=QuoteRequest.Status.DISPATCHED, dispatched_at=timezone.now(), lease_until=None
        )
        pending = list(
            quote.deliveries.filter(status=QuoteDelivery.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(lambda: [enqueue_send(pk) for pk in pending])


# Step 4: send one email, exactly once.


def backoff_seconds(attempts: int) -> float:
    delay = settings.QUOTE_SEND_BACKOFF_SECONDS * (2 ** max(0, attempts - 1))
    return min(delay, settings.QUOTE_SEND_BACKOFF_MAX_SECONDS)


def send_delivery(delivery_id: int) -> float | None:
    """Send a delivery's email if this call can claim it. Returns seconds until a retry, if any."""
    now = timezone.now()
    claimed = (
        QuoteDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=QuoteDelivery.Status.PENDING)
            | Q(status=QuoteDelivery.Status.SENDING, lease_until__lt=now)
        )
        .update(
            status=QuoteDelivery.Status.SENDING, lease_until=_lease(), attempts=F("attempts") + 1
        )
    )
    if not claimed:
        return None
    delivery = QuoteDelivery.objects.select_related("quote__city", "quote__clinic", "clinic").get(
        pk=delivery_id
    )
    try:
        message = build_message(delivery)
        message.send()
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        final = (
            isinstance(exc, PERMANENT_ERRORS)
            or delivery.attempts >= settings.QUOTE_SEND_MAX_ATTEMPTS
        )
        if final:
            logger.warning(
                "Delivery %s failed for good after %s attempts", delivery.pk, delivery.attempts
            )
            _finish(delivery, status=QuoteDelivery.Status.FAILED, last_error=error)
            return None
        delay = backoff_seconds(delivery.attempts)
        _finish(
            delivery,
            status=QuoteDelivery.Status.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return delay

    status = getattr(message, "anymail_status", None)
    _finish(
        delivery,
        status=QuoteDelivery.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        esp_message_id=(status.message_id or "") if status else "",
    )
    return None


def _finish(delivery: QuoteDelivery, *, status: str, **fields) -> None:
    """Release a claim. A tracking webhook may already have moved the row on; keep that."""
    updated = QuoteDelivery.objects.filter(
        pk=delivery.pk, status=QuoteDelivery.Status.SENDING
    ).update(status=status, lease_until=None, **fields)
    if not updated and status == QuoteDelivery.Status.SENT:
        QuoteDelivery.objects.filter(pk=delivery.pk).update(lease_until=None, **fields)


# Step 5: the sweeper, and the retention purge.


def sweep() -> dict[str, int]:
    """Enqueue again whatever the database says is overdue (lost messages, dead workers)."""
    quote_ids = list(QuoteRequest.objects.stuck().values_list("pk", flat=True)[:500])
    delivery_ids = list(QuoteDelivery.objects.stuck().values_list("pk", flat=True)[:2000])
    for pk in quote_ids:
        enqueue_processing(pk)
    for pk in delivery_ids:
        enqueue_send(pk)
    if quote_ids or delivery_ids:
        logger.info(
            "Sweeper re-enqueued %s requests, %s deliveries", len(quote_ids), len(delivery_ids)
        )
    return {"requests": len(quote_ids), "deliveries": len(delivery_ids)}


def resend(deliveries) -> int:
    """Staff asked for failed or bounced deliveries to go out again.

    An artist's address is read again from the clinic, as staff may just have corrected it.
    """
    retry = list(
        deliveries.filter(
            status__in=[QuoteDelivery.Status.FAILED, QuoteDelivery.Status.BOUNCED]
        ).select_related("clinic")
    )
    for delivery in retry:
        if delivery.clinic is not None and delivery.clinic.quote_email:
            delivery.to_email = delivery.clinic.quote_email
        delivery.status = QuoteDelivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["to_email", "status", "attempts", "next_attempt_at"])
    ids = [delivery.pk for delivery in retry]
    transaction.on_commit(lambda: [enqueue_send(pk) for pk in ids])
    return len(ids)


def purge_expired_photos() -> int:
    cutoff = timezone.now() - timedelta(days=settings.QUOTE_PHOTO_RETENTION_DAYS)
    count = 0
    for photo in QuotePhoto.objects.filter(created_at__lt=cutoff).iterator():
        photo.delete()  # the post_delete signal removes the file
        count += 1
    return count
