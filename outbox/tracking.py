"""ESP tracking events (anymail's webhook) move outgoing-email rows forward, never back."""

import logging

from anymail.signals import tracking
from django.db.models import Q
from django.dispatch import receiver

from .models import OutgoingEmail
from .sending import model_for, outgoing_models

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status
TRACKING_STATUS = {
    # The ESP has the message: it went out, whatever the worker managed to record.
    "queued": Status.SENT,
    "sent": Status.SENT,
    "deferred": Status.SENT,
    "delivered": Status.DELIVERED,
    "bounced": Status.BOUNCED,
    "rejected": Status.BOUNCED,
    "failed": Status.BOUNCED,
}


@receiver(tracking, dispatch_uid="outbox-tracking")
def record_tracking_event(sender, event, esp_name: str, **kwargs):
    # Never let an exception answer 500: the ESP would retry the same event for days.
    try:
        apply_tracking_event(event)
    except Exception:
        logger.exception("Could not apply a %s tracking event", esp_name)


def _rows_for(event) -> list:
    """The querysets the event can be about: by the metadata we sent, else by message id."""
    metadata = event.metadata or {}
    label, pk = metadata.get("outbox"), str(metadata.get("id", ""))
    if label and pk.isdigit():
        try:
            return [model_for(str(label)).rows().filter(pk=int(pk))]
        except LookupError:
            pass  # a table that has since moved app (clinics.applicationemail): by message id
    if event.message_id:
        # The ESP's own id, or (Mailgun and others) the Message-ID header we sent.
        ids = {event.message_id, f"<{event.message_id.strip('<>')}>"}
        return [
            m.rows().filter(Q(esp_message_id=event.message_id) | Q(message_id_header__in=ids))
            for m in outgoing_models()
        ]
    return []


def apply_tracking_event(event) -> bool:
    """Move the row an event is about forward. Replays and late events change nothing."""
    status = TRACKING_STATUS.get(event.event_type)
    if status is None:
        return False
    rank = OutgoingEmail.TRACKING_RANK[status]
    # SENDING too: a fast ESP can report delivery before the worker has recorded the send.
    earlier = [Status.SENDING] + [s for s, r in OutgoingEmail.TRACKING_RANK.items() if r < rank]
    fields = {"status": status, "event_at": event.timestamp}
    if status == Status.SENT:
        fields.update(lease_until=None, sent_at=event.timestamp)
    if status == Status.BOUNCED:
        fields["last_error"] = (event.description or event.mta_response or event.event_type)[:2000]
    return any(rows.filter(status__in=earlier).update(**fields) for rows in _rows_for(event))
