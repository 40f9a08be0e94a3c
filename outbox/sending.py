"""Sending any outgoing-email row exactly once, as far as email allows, retrying the ESP's
errors with backoff. A message that cannot be built fails its row at once, unretried.

1. Every send first claims its row with a conditional UPDATE that carries a lease.
   Whoever claims it sends; anyone else (a duplicate task, a task redelivered after a
   lost worker or past Redis's visibility timeout) finds nothing to claim and stops.
2. Every attempt carries the row's own Message-ID, given when the row was made, so a
   message that goes out twice is one message to the mail systems that fold
   identical Message-IDs (most do).
3. The row is marked sent in the same step as the backend returns.
4. If the holder dies, its lease runs out. Between the backend accepting a message and
   step 3 nobody can know whether it went out, so a takeover waits a grace period past
   the lease (OUTBOX_SEND_TAKEOVER_GRACE_SECONDS) for the ESP's tracking webhook, which
   moves a row it has news of out of "sending" (outbox/tracking.py, by the row's id or
   its Message-ID). Only then is it sent again, with the same Message-ID, and marked
   `retaken_at`: staff see it as "may have been sent twice".
"""

import logging
import re
import traceback
from datetime import datetime, timedelta

from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F
from django.template.base import VariableDoesNotExist
from django.utils import timezone

from common.logs import redact

from . import queue
from .compose import compose
from .kinds import kind_of
from .models import SEND_TASK, OutgoingEmail, takeover_before
from .signals import email_failed

logger = logging.getLogger(__name__)

# Errors that another attempt cannot fix.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (AnymailInvalidAddress, AnymailRecipientsRefused)

Status = OutgoingEmail.Status


def outgoing_models() -> list[type[OutgoingEmail]]:
    """Every concrete table of outgoing emails (quotes, clinics, ...)."""
    return [model for model in apps.get_models() if issubclass(model, OutgoingEmail)]


def oldest_unsent_seconds() -> float | None:
    """How long the oldest email not sent yet (waiting, being sent, or between retries)
    has waited, across every table, for the health check: None when none waits."""
    oldest = [
        model.rows()
        .filter(status__in=[Status.PENDING, Status.SENDING])
        .aggregate(first=models.Min("created_at"))["first"]
        for model in outgoing_models()
    ]
    waiting = [created for created in oldest if created is not None]
    return (timezone.now() - min(waiting)).total_seconds() if waiting else None


def model_for(label: str) -> type[OutgoingEmail]:
    model = apps.get_model(label)
    if not issubclass(model, OutgoingEmail):
        raise LookupError(f"{label} is not an outgoing-email table")
    return model


def _lease() -> datetime:
    return timezone.now() + timedelta(seconds=settings.WORK_LEASE_SECONDS)


def backoff_seconds(attempts: int) -> float:
    delay = settings.OUTBOX_SEND_BACKOFF_SECONDS * (2 ** max(0, attempts - 1))
    return min(delay, settings.OUTBOX_SEND_BACKOFF_MAX_SECONDS)


def _claim(model: type[OutgoingEmail], pk: int) -> bool:
    """Take the row for one attempt: a pending one, or one whose holder was lost."""
    now = timezone.now()
    rows = model.rows().filter(pk=pk)
    claim = {"status": Status.SENDING, "lease_until": _lease(), "attempts": F("attempts") + 1}
    if rows.filter(status=Status.PENDING).update(**claim):
        return True
    lost = rows.filter(status=Status.SENDING, lease_until__lt=takeover_before(now))
    return bool(lost.update(**claim, retaken_at=now))


def send_email(model: type[OutgoingEmail], pk: int) -> float | None:
    """Send a row's email if this call can claim it. Returns seconds until a retry, if any.

    1. Claim the row (or stop: someone else has it, or it is done).
    2. Build the message. A build error (a template, a builder, a missing object) fails the
       row at once: another attempt would build the same broken message.
    3. Hand it to the backend. Its errors are the transport's and are retried with backoff,
       up to OUTBOX_SEND_MAX_ATTEMPTS (by default at least two days: a provider outage or an
       expired key is survived), unless they say the address itself is refused.
    """
    if not _claim(model, pk):
        return None
    delivery = model.rows().for_sending().get(pk=pk)
    try:
        message = compose(delivery)
    except Exception as exc:
        error = build_error(delivery, exc)
        logger.error(
            "%s %s failed without a retry: %s\n%s",
            model._meta.label,
            delivery.pk,
            error,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        _finish(delivery, status=Status.FAILED, last_error=error)
        return None
    try:
        message.send()
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        final = (
            isinstance(exc, PERMANENT_ERRORS)
            or delivery.attempts >= settings.OUTBOX_SEND_MAX_ATTEMPTS
        )
        if final:
            # ERROR: error tracking records it as an event, not a breadcrumb. Staff see
            # the row on the admin index, with a button that sends every failed row again.
            logger.error(
                "%s %s failed for good after %s attempts: %s",
                model._meta.label,
                delivery.pk,
                delivery.attempts,
                exc.__class__.__name__,
            )
            _finish(delivery, status=Status.FAILED, last_error=error)
            email_failed.send(sender=model, row=delivery)
            return None
        delay = backoff_seconds(delivery.attempts)
        _finish(
            delivery,
            status=Status.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return delay

    status = getattr(message, "anymail_status", None)
    _finish(
        delivery,
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        esp_message_id=(status.message_id or "") if status else "",
    )
    return None


# What a build error's text may not carry: the rows' data gets into error messages through
# model reprs ("<QuoteRequest: Sam Client ...>") and addresses.
_MODEL_REPR = re.compile(r"<(\w+): [^<>]*>")
_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[^\s<>\"'@,;:()\[\]]+")


def build_error(delivery: OutgoingEmail, exc: Exception) -> str:
    """`last_error` for a message that could not be built: which email, the error's class
    and its message, without the client's data (staff and logs see it)."""
    if isinstance(exc, VariableDoesNotExist):
        # Its message holds the repr of the whole context it looked in.
        detail = f"Failed lookup for key [{exc.params[0]}]" if exc.params else exc.msg
    else:
        detail = str(exc)
    detail = _ADDRESS.sub("[address]", _MODEL_REPR.sub(r"<\1>", redact(detail)))
    try:
        what = f"the {delivery.kind} email ({kind_of(delivery).template})"
    except LookupError:
        what = f"the {delivery.kind} email"
    return f"Could not build {what}: {exc.__class__.__name__}: {detail}"[:2000]


def _finish(delivery: OutgoingEmail, *, status: str, **fields) -> None:
    """Release a claim. A tracking webhook may already have moved the row on; keep that."""
    rows = type(delivery).rows().filter(pk=delivery.pk)
    updated = rows.filter(status=Status.SENDING).update(status=status, lease_until=None, **fields)
    if not updated and status == Status.SENT:
        rows.update(lease_until=None, **fields)


def sweep(limit: int = 2000) -> int:
    """Enqueue again every row the database says is overdue (lost messages, dead workers)."""
    count = 0
    for model in outgoing_models():
        ids = list(model.rows().stuck().values_list("pk", flat=True)[:limit])
        for pk in ids:
            queue.enqueue(SEND_TASK, model._meta.label_lower, pk)
        count += len(ids)
    if count:
        logger.info("Sweeper re-enqueued %s emails", count)
    return count


def resend(rows: models.QuerySet) -> int:
    """Staff asked for failed or bounced rows to go out again, once the transaction commits.

    A row may re-read its address first (an artist's clinic, corrected by staff just now).
    """
    retry = list(rows.filter(status__in=[Status.FAILED, Status.BOUNCED]))
    for row in retry:
        row.refresh_address()
        row.status = Status.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["to_email", "status", "attempts", "next_attempt_at"])
        row.enqueue()
    return len(retry)
