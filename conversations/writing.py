"""Writing a message: the one path the pages and the inbound webhook share, with every
rule a message must pass (the thread open, a body, its length, the rate limits)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.photos import PhotoInfo, delete_quietly, save_or_leave_nothing
from quotes.models import quote_photo_storage

from .models import Conversation, Message, MessagePhoto, Refusal, message_photo_path


@dataclass
class Written:
    message: Message | None
    refusal: str = ""  # a Refusal word when no message was taken


def _over_rate(conversation: Conversation, side: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Message.objects.filter(side=side, created_at__gte=since)
    if recent.filter(conversation=conversation).count() >= settings.MESSAGES_PER_CONVERSATION_HOUR:
        return True
    if side == Message.Side.CLIENT:
        sender = recent.filter(conversation__quote__email__iexact=conversation.quote.email)
    else:
        sender = recent.filter(conversation__delivery__clinic=conversation.delivery.clinic_id)
    return sender.count() >= settings.MESSAGES_PER_SENDER_HOUR


def write(
    conversation: Conversation,
    side: str,
    body: str,
    *,
    author=None,
    via: str = Message.Via.WEB,
    inbound_id: str | None = None,
    shares_contact: bool = False,
    photos: list[tuple[ContentFile, PhotoInfo]] | None = None,
) -> Written:
    """A message from one side, emailed to the other once committed; or why not.

    `photos`: sanitised JPEGs (conversations/inbound.py), stored with the message. A
    failure after a file was stored deletes what was stored: no file without its row."""
    body = body.strip()
    if inbound_id:
        earlier = Message.objects.filter(inbound_id=inbound_id).first()
        if earlier is not None:  # the ESP sent the same event again: taken once
            return Written(earlier)
    refusal = conversation.refusal()
    if refusal:
        return Written(None, refusal)
    if not body and not shares_contact and not photos:
        return Written(None, Refusal.EMPTY)
    if _over_rate(conversation, side):
        return Written(None, Refusal.RATE)
    # Stored first, each under a new random name; deleted again if the message is not.
    stored = save_or_leave_nothing(
        quote_photo_storage(),
        [(message_photo_path(None, "photo.jpg"), content) for content, _info in photos or ()],
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation,
                side=side,
                author=author,
                body=body[: Message.MAX_LENGTH],
                via=via,
                inbound_id=inbound_id or None,
                shares_contact=shares_contact,
            )
            MessagePhoto.objects.bulk_create(
                MessagePhoto(message=message, file=name, width=info.width, height=info.height)
                for name, (_content, info) in zip(stored, photos or (), strict=True)
            )
            if shares_contact:
                delivery = conversation.delivery
                if delivery.contact_shared_at is None:
                    delivery.contact_shared_at = timezone.now()
                    delivery.save(update_fields=["contact_shared_at"])
            message.notify()
    except IntegrityError:  # the same inbound event, taken by a parallel request
        delete_quietly(quote_photo_storage(), stored)
        return Written(Message.objects.filter(inbound_id=inbound_id).first())
    except BaseException:
        delete_quietly(quote_photo_storage(), stored)
        raise
    return Written(message)
