"""Replies by email: the ESP posts each email sent to a relay address to anymail's
inbound webhook (/anymail/mailgun/inbound/, its signature checked by anymail), which
sends the `inbound` signal handled here.

A reply becomes a message in its conversation, written by the side whose relay address
it was sent to, once it passes every check: recent (an old event is a replay), from
the address that side uses, the thread open, and any attachment a photo that passes
the checks a request's photos pass (it is stored sanitised, as those are). What fails
gets one answer to its sender saying why (`RefusalEmail`), and nothing else happens.
The same event posted twice makes one message, or one refusal.
"""

import logging
from datetime import timedelta

from anymail.signals import inbound
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from mailparser_reply import EmailReplyParser
from PIL import Image

from common.photos import PhotoInfo, PhotoRejected, check_decode_cost, inspect_upload, sanitise
from members.models import ClinicMember

from . import relay
from .models import Conversation, Message, Refusal, RefusalEmail
from .writing import write

logger = logging.getLogger(__name__)

# The quoted email and signature are cut in each of the site's languages' conventions
# ("On … wrote:", "Am … schrieb", "El … escribió", "Le … a écrit").
_PARSER = EmailReplyParser(languages=["en", "de", "es", "fr"])


def new_text(message) -> str:
    """What the sender wrote above the email they answered, without their signature."""
    text = message.text or ""
    if not text and message.html:
        # An HTML-only email: its text, tags dropped (plain text is all a message holds).
        from django.utils.html import strip_tags

        text = strip_tags(message.html)
    return (_PARSER.parse_reply(text) or "").strip()


class Refused(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def photos_of(message) -> list[tuple[ContentFile, PhotoInfo]]:
    """The email's attachments as sanitised photos, checked as a request's photos are
    (kind, size, pixels, damage) before any is decoded in full. A file that is not a
    photo, one that can't be used, or more than a form takes: the email is refused."""
    attachments = message.attachments
    if len(attachments) > settings.PHOTO_MAX_PER_FORM:
        raise Refused(Refusal.PHOTO)
    photos = []
    for attachment in attachments:
        name = attachment.get_filename() or "attachment"
        if not attachment.get_content_type().startswith("image/"):
            raise Refused(Refusal.ATTACHMENT)
        data = attachment.get_content_bytes()
        upload = SimpleUploadedFile(name, data, attachment.get_content_type())
        try:
            inspect_upload(upload)  # its name, size and bytes first: nothing decoded yet
            check_decode_cost(upload)
            photos.append(sanitise(upload))
        except PhotoRejected:
            raise Refused(Refusal.PHOTO) from None
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise Refused(Refusal.PHOTO) from None
    return photos


def _belongs(conversation: Conversation, side: str, address: str) -> bool:
    """Is this the address of the side the relay address is for? The client's own, or
    the clinic's request address or one of its current members'."""
    address = address.strip().lower()
    if not address:
        return False
    if side == Message.Side.CLIENT:
        return address == conversation.quote.email.lower()
    clinic = conversation.delivery.clinic
    if clinic is None:
        return False
    if clinic.quote_email and address == clinic.quote_email.lower():
        return True
    return ClinicMember.objects.filter(clinic=clinic, user__email__iexact=address).exists()


def _language(conversation: Conversation | None, side: str) -> str:
    if conversation is None:
        return settings.LANGUAGE_CODE
    if side == Message.Side.CLIENT:
        return conversation.quote.language
    clinic = conversation.delivery.clinic
    return clinic.language if clinic is not None else settings.LANGUAGE_CODE


def refuse(
    event_id: str, to: str, reason: str, language: str, conversation: Conversation | None = None
) -> None:
    """One answer to the sender of a refused email (none to an address we cannot write
    to); the same event refused twice is answered once."""
    if not to:
        return
    try:
        with transaction.atomic():
            email = RefusalEmail.objects.create(
                to_email=to,
                reason=reason,
                inbound_id=event_id,
                language=language,
                conversation=conversation,
            )
            email.enqueue()
    except IntegrityError:
        pass  # answered already
    logger.info("Inbound email refused: %s", reason)


@receiver(inbound, dispatch_uid="conversations.inbound")
def take_reply(sender, event, esp_name, **kwargs) -> None:
    message = event.message
    recipients = [message.envelope_recipient or ""] + [a.addr_spec for a in message.to]
    recipients += [a.addr_spec for a in message.cc]
    token = relay.token_in(recipients)
    if token is None:
        logger.info("Inbound email to no relay address: ignored")
        return
    event_id = f"{esp_name}:{event.event_id or message.get('Message-ID', '')}"
    if event.timestamp and timezone.now() - event.timestamp > timedelta(
        seconds=settings.INBOUND_MAX_AGE_SECONDS
    ):
        # A replay of an old event (its signature still checks): nothing happens.
        logger.warning("Inbound email event too old: ignored")
        return
    from_address = message.from_email.addr_spec if message.from_email else ""
    found = relay.find(token)
    if found is None:
        # The request was erased (and its conversation with it) or never existed.
        refuse(event_id, from_address, Refusal.CLOSED, settings.LANGUAGE_CODE)
        return
    conversation, side = found
    language = _language(conversation, side)
    if not _belongs(conversation, side, from_address):
        refuse(event_id, from_address, Refusal.UNKNOWN_SENDER, language, conversation)
        return
    refusal = conversation.refusal()
    if refusal:
        refuse(event_id, from_address, refusal, language, conversation)
        return
    try:
        photos = photos_of(message)
    except Refused as refused:
        refuse(event_id, from_address, refused.reason, language, conversation)
        return
    body = new_text(message)
    if not body and not photos:
        refuse(event_id, from_address, Refusal.EMPTY, language, conversation)
        return
    written = write(
        conversation, side, body, via=Message.Via.EMAIL, inbound_id=event_id, photos=photos
    )
    if written.refusal:
        refuse(event_id, from_address, written.refusal, language, conversation)
