"""Photo files follow their rows; ESP tracking events move deliveries forward."""

import logging

from anymail.signals import tracking
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import QuoteDelivery, QuotePhoto

logger = logging.getLogger(__name__)

TRACKING_STATUS = {
    "delivered": QuoteDelivery.Status.DELIVERED,
    "bounced": QuoteDelivery.Status.BOUNCED,
    "rejected": QuoteDelivery.Status.BOUNCED,
    "failed": QuoteDelivery.Status.BOUNCED,
}


@receiver(post_delete, sender=QuotePhoto)
def delete_photo_file(sender, instance: QuotePhoto, **kwargs):
    """Deleting a request (or a photo) deletes the file, once the deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(tracking)
def record_tracking_event(sender, event, esp_name: str, **kwargs):
    # Never let an exception answer 500: the ESP would retry the same event for days.
    try:
        apply_tracking_event(event)
    except Exception:
        logger.exception("Could not apply a %s tracking event", esp_name)


def apply_tracking_event(event) -> bool:
    """Move the delivery an event is about forward. Replays and late events change nothing."""
    status = TRACKING_STATUS.get(event.event_type)
    if status is None:
        return False
    deliveries = QuoteDelivery.objects.all()
    delivery_id = (event.metadata or {}).get("delivery_id")
    if delivery_id and str(delivery_id).isdigit():
        deliveries = deliveries.filter(pk=int(delivery_id))
    elif event.message_id:
        deliveries = deliveries.filter(esp_message_id=event.message_id)
    else:
        return False
    rank = QuoteDelivery.TRACKING_RANK[status]
    # SENDING too: a fast ESP can report delivery before the worker has recorded the send.
    earlier = [QuoteDelivery.Status.SENDING]
    earlier += [s for s, r in QuoteDelivery.TRACKING_RANK.items() if r < rank]
    fields = {"status": status, "event_at": event.timestamp}
    if status == QuoteDelivery.Status.BOUNCED:
        fields["last_error"] = (event.description or event.mta_response or event.event_type)[:2000]
    return bool(deliveries.filter(status__in=earlier).update(**fields))
