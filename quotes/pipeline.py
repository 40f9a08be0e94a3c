"""The quote pipeline and its scheduled jobs, as plain functions; quotes/tasks.py wraps
them as Celery tasks.

1. accept_request (web): store the request and photos in one transaction, enqueue step 2.
2. process_quote (worker): sanitise the photos, then QuoteRequest.dispatch fans out.
3. Each email is a QuoteDelivery row, sent exactly once by outbox.

Every step first claims its row with a conditional UPDATE. Whoever claims it does the
work; anyone else (a duplicate task, a task redelivered after a lost worker or past
Redis's visibility timeout) finds nothing to claim and stops. A claim carries a lease:
if its holder dies, the sweeper may take it over once the lease has run out.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from common.forms import files_removed_on_error
from common.photos import PhotoUnreadable, delete_quietly, sanitise_stored, save_or_leave_nothing
from outbox import queue

from .models import PROCESS_TASK, QuoteDelivery, QuotePhoto, QuoteReply, QuoteRequest

logger = logging.getLogger(__name__)


def _lease() -> datetime:
    return timezone.now() + timedelta(seconds=settings.WORK_LEASE_SECONDS)


def accept_request(form, *, ip_hash: str, hold: str = "") -> QuoteRequest:
    """Save a valid form's request and photos, then enqueue it once the commit succeeded.

    With a `hold` reason the request is kept whole but held for a check: staff release it
    in one click, and unless it was held for staff it goes out by itself after
    QUOTE_HOLD_MINUTES (release_held_requests).
    """
    try:
        return _store_request(form, ip_hash=ip_hash, hold=hold)
    except (OperationalError, InterfaceError):
        # The connection dropped (a database restart, a failover): the transaction rolled
        # back with the photos it stored, so one more try on a new connection stores the
        # request once. Not inside an outer transaction, which a new connection would leave.
        if transaction.get_connection().in_atomic_block:
            raise
        logger.warning("The database connection dropped while storing a request; trying again")
        transaction.get_connection().close()
        return _store_request(form, ip_hash=ip_hash, hold=hold)


def _store_request(form, *, ip_hash: str, hold: str) -> QuoteRequest:
    storage = QuotePhoto._meta.get_field("file").storage
    # A commit that fails (the connection dropped at that moment) takes the photos too.
    with files_removed_on_error(storage) as stored, transaction.atomic():
        quote = form.save_request(ip_hash=ip_hash, stored=stored)
        if hold:
            until = timezone.now() + timedelta(minutes=settings.QUOTE_HOLD_MINUTES)
            quote.hold(hold, until=None if hold in STAFF_HOLDS else until)
        else:
            quote.enqueue_processing()
    return quote


RATE_LIMIT_HOLD = "many requests from one connection"
DAILY_LIMIT_HOLD = "over the daily limit"
ADDRESS_LIMIT_HOLD = "many requests to one address"
# Held for staff to look at, never released by time alone.
STAFF_HOLDS = {"hidden field autofilled", DAILY_LIMIT_HOLD, ADDRESS_LIMIT_HOLD}


def release_held_requests(now: datetime | None = None) -> int:
    """Send on the held requests whose short wait is over."""
    released = 0
    for quote in QuoteRequest.objects.due_for_release(now):
        released += quote.release()
    return released


def erase_old_requests(now: datetime | None = None) -> int:
    """Requests older than QUOTE_REQUEST_RETENTION_DAYS lose their personal details."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.QUOTE_REQUEST_RETENTION_DAYS)
    old = QuoteRequest.objects.real().filter(created_at__lt=cutoff)
    count = 0
    for quote in old.iterator():
        quote.erase(retention=True)
        count += 1
    return count


def purge_spam(now: datetime | None = None) -> int:
    """Spam rows are a trace for staff, kept QUOTE_SPAM_RETENTION_DAYS, then deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.QUOTE_SPAM_RETENTION_DAYS)
    deleted, _ = QuoteRequest.objects.filter(
        status=QuoteRequest.Status.SPAM, created_at__lt=cutoff
    ).delete()
    return deleted


def sanitise_photo(photo: QuotePhoto) -> None:
    """Replace the stored upload with its sanitised copy; the original bytes are deleted.

    Raises PhotoUnreadable when the bytes cannot be decoded. Any other error (storage
    full or unreachable, the database gone) propagates, after deleting what this attempt
    wrote: the request stays claimed, and the sweeper hands it to a worker again once its
    lease ends, with every photo still there.
    """
    storage = photo.file.storage
    original = photo.file.name
    [(content, info)] = sanitise_stored(storage, original, (settings.PHOTO_LONG_SIDE,))
    target = photo.file.field.generate_filename(photo, "sanitised.jpg")
    [written] = save_or_leave_nothing(storage, [(target, content)])
    try:
        QuotePhoto.objects.filter(pk=photo.pk).update(
            file=written,
            width=info.width,
            height=info.height,
            format=info.format,
            bytes=content.size,
            sanitised=True,
        )
    except BaseException:
        delete_quietly(storage, [written])
        raise
    photo.file.name, photo.sanitised = written, True
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
    for photo in quote.photos.filter(sanitised=False, unreadable=False):
        try:
            sanitise_photo(photo)
        except PhotoUnreadable:
            # It passed the upload checks but cannot be re-encoded: no artist may see it
            # raw. The client's confirmation says which photo was left out.
            logger.warning(
                "Photo %s of quote %s could not be decoded; not sent",
                photo.pk,
                quote.pk,
                exc_info=True,
            )
            photo.mark_unreadable()
    quote.dispatch(quote.recipients())


def oldest_waiting_seconds() -> float | None:
    """How long the oldest request not yet sent on to its artists has waited (received or
    being processed), for the health check: None when none waits. Held requests wait for
    their hold or for staff, not for a worker, and are not counted."""
    first = QuoteRequest.objects.filter(
        status__in=[QuoteRequest.Status.RECEIVED, QuoteRequest.Status.PROCESSING]
    ).aggregate(first=Min("created_at"))["first"]
    return None if first is None else (timezone.now() - first).total_seconds()


def sweep_requests() -> int:
    """Enqueue again the requests the database says are overdue (lost messages, dead workers)."""
    ids = list(QuoteRequest.objects.stuck().values_list("pk", flat=True)[:500])
    for pk in ids:
        queue.enqueue(PROCESS_TASK, pk)
    if ids:
        logger.info("Sweeper re-enqueued %s quote requests", len(ids))
    return len(ids)


def purge_expired_photos() -> int:
    cutoff = timezone.now() - timedelta(days=settings.QUOTE_PHOTO_RETENTION_DAYS)
    count = 0
    for photo in QuotePhoto.objects.filter(created_at__lt=cutoff).iterator():
        photo.delete()  # the post_delete signal removes the file
        count += 1
    return count


def notify_reply_batches(now: datetime | None = None) -> int:
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
            QuoteDelivery.objects.create(
                quote=quote, kind=QuoteDelivery.Kind.REPLIES, to_email=quote.email
            ).enqueue()
            sent += 1
    return sent


def send_reminders(now: datetime | None = None) -> int:
    """One reminder to each artist who hasn't answered a day after the request reached them."""
    now = now or timezone.now()
    started = timezone.now()
    waiting = QuoteDelivery.objects.awaiting_reminder(now).select_related("quote")
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
    QuoteDelivery.objects.filter(
        kind=QuoteDelivery.Kind.REMINDER, created_at__gte=started
    ).enqueue()
    return len(created)
