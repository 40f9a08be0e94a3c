"""Private messages between a client and each artist their request went to.

One conversation per request and artist (the artist's QuoteDelivery). Each side writes
from its page (the client's comparison page; the artist's inbox or emailed reply link)
or by replying to a notification: every notification comes from a relay address of the
conversation (`relay.py`), so a reply from any mail client lands in the thread through
the ESP's inbound webhook (`inbound.py`). The client's email address and phone stay
hidden from the artist until the client chooses that artist or shares them here
(`QuoteDelivery.shows_client_contact`).

Erasing the request erases its conversations (CASCADE), and with them their relay
addresses: a reply to one after that gets a bounce saying the request is closed.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from outbox.models import OutgoingEmail, OutgoingEmailQuerySet
from quotes.models import QuoteDelivery, QuoteRequest, quote_photo_storage


def new_relay_token() -> str:
    # 120 random bits, lower case only: mail systems may fold an address's case.
    return secrets.token_hex(15)


class ConversationQuerySet(models.QuerySet):
    def for_delivery(self, delivery: QuoteDelivery) -> "Conversation":
        """The conversation of an artist's delivery, made on first use."""
        conversation, _created = self.get_or_create(
            delivery=delivery, defaults={"quote_id": delivery.quote_id}
        )
        return conversation


class Conversation(models.Model):
    quote = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="+")
    # The request as it went to one artist: the clinic is `delivery.clinic`.
    delivery = models.OneToOneField(
        QuoteDelivery, on_delete=models.CASCADE, related_name="conversation"
    )
    # The secret parts of its two relay addresses: what the client's notifications come
    # from (a reply to one is the client's) and what the artist's come from.
    client_token = models.CharField(
        max_length=40, unique=True, default=new_relay_token, editable=False
    )
    artist_token = models.CharField(
        max_length=40, unique=True, default=new_relay_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Staff's: no new message from either side is taken.
    closed_by_staff_at = models.DateTimeField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    def __str__(self) -> str:
        clinic = self.delivery.clinic.name if self.delivery.clinic else "a removed clinic"
        return f"{self.quote.reference} with {clinic}"

    def refusal(self) -> str:
        """Why no new message is taken now ("" when one is): the request closed, erased
        or decided elsewhere, the clinic no longer listed, or staff closed the thread."""
        quote = self.quote
        if quote.status == QuoteRequest.Status.ERASED:
            return Refusal.CLOSED
        if self.closed_by_staff_at is not None:
            return Refusal.STAFF_CLOSED
        chosen = quote.chosen_reply()
        if chosen is not None and chosen.delivery_id != self.delivery_id:
            return Refusal.CLOSED
        if quote.closed_at is not None and chosen is None:
            return Refusal.CLOSED
        clinic = self.delivery.clinic
        if clinic is None or not clinic.is_listed():
            return Refusal.CLINIC_GONE
        return ""


class Refusal:
    """Why a message was not taken: a word each page and refusal email explains."""

    CLOSED = "closed"
    STAFF_CLOSED = "staff_closed"
    CLINIC_GONE = "clinic_gone"
    RATE = "rate"
    ATTACHMENT = "attachment"  # a file that is not a photo
    PHOTO = "photo"  # a photo that can't be used, or too many
    UNKNOWN_SENDER = "unknown_sender"
    EMPTY = "empty"


class Message(models.Model):
    class Side(models.TextChoices):
        CLIENT = "client", "The client"
        ARTIST = "artist", "The artist"

    class Via(models.TextChoices):
        WEB = "web", "On the site"
        EMAIL = "email", "By email"

    # Limits on what one message may be (forms and the inbound handler both apply them).
    MAX_LENGTH = 3000

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    side = models.CharField(max_length=6, choices=Side)
    # A member who wrote from the clinic's account; empty from a reply link or an email.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=MAX_LENGTH)
    via = models.CharField(max_length=5, choices=Via, default=Via.WEB)
    # The ESP's id of the inbound event it came from: the same event twice makes one message.
    inbound_id = models.CharField(max_length=200, null=True, blank=True, unique=True)  # noqa: DJ001
    # The client chose to share their email address and phone with this message's artist.
    shares_contact = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.CharField(max_length=6, choices=Side, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_thread"),
            models.Index(fields=["side", "created_at"], name="message_side_created"),
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.get_side_display()} in {self.conversation_id} at {when}"

    def notify(self) -> "MessageEmail | None":
        """One email to the other side, sent once this is committed."""
        conversation = self.conversation
        if self.side == self.Side.CLIENT:
            to = conversation.delivery.clinic.quote_email if conversation.delivery.clinic else ""
            kind = MessageEmail.Kind.TO_ARTIST
        else:
            to = conversation.quote.email
            kind = MessageEmail.Kind.TO_CLIENT
        if not to:
            return None
        email, _created = MessageEmail.objects.get_or_create(message=self, kind=kind, to_email=to)
        transaction.on_commit(email.enqueue)
        return email

    def report(self, by: str) -> bool:
        """The other side reports this message: staff get it with its thread, once.
        False when it was reported already (nothing more is sent)."""
        with transaction.atomic():
            claimed = (
                Message.objects.filter(pk=self.pk, reported_at__isnull=True)
                .exclude(side=by)
                .update(reported_at=timezone.now(), reported_by=by)
            )
            if not claimed:
                return False
            for address in settings.STAFF_NOTIFICATION_EMAILS:
                email, _created = MessageEmail.objects.get_or_create(
                    message=self, kind=MessageEmail.Kind.TO_STAFF, to_email=address
                )
                transaction.on_commit(email.enqueue)
        return True


MessageEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class MessageEmail(OutgoingEmail):
    """A new message, emailed to the other side from the conversation's relay address."""

    class Kind(models.TextChoices):
        TO_CLIENT = "to_client", "New message, to the client"
        TO_ARTIST = "to_artist", "New message, to the artist"
        # A message one side reported, with its thread, to each staff address.
        TO_STAFF = "to_staff", "Reported message, to staff"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("message__conversation__quote", "message__conversation__delivery__clinic")
    objects = MessageEmailManager()

    def reader_language(self) -> str:
        if self.kind == self.Kind.TO_CLIENT:
            return self.message.conversation.quote.language
        if self.kind == self.Kind.TO_STAFF:
            return super().reader_language()
        clinic = self.message.conversation.delivery.clinic
        return clinic.language if clinic is not None else super().reader_language()

    class Meta(OutgoingEmail.Meta):
        constraints = [
            # Each address hears of a message once: the other side, or each staff member.
            models.UniqueConstraint(
                fields=["message", "kind", "to_email"], name="conversations_one_email"
            ),
        ]


RefusalEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class RefusalEmail(OutgoingEmail):
    """A reply by email that was not taken, answered once with why (to its sender)."""

    class Kind(models.TextChoices):
        REFUSED = "refused", "Message not delivered, to its sender"

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.REFUSED)
    # The conversation it was sent to, if it still exists (none: erased, or never was).
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20)
    # The inbound event refused: the same event twice is answered once.
    inbound_id = models.CharField(max_length=200)
    language = models.CharField(max_length=7, default=settings.LANGUAGE_CODE)

    sending_related = ("conversation",)
    objects = RefusalEmailManager()

    def reader_language(self) -> str:
        return self.language

    class Meta(OutgoingEmail.Meta):
        constraints = [
            models.UniqueConstraint(fields=["inbound_id"], name="conversations_one_refusal"),
        ]


def message_photo_path(instance, filename: str) -> str:
    # A random name: the file's name says nothing of whose photo it is.
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class MessagePhoto(models.Model):
    """A photo sent by email in a conversation, sanitised as a request's photos are
    (upright, no metadata, long side capped), kept in the private storage and shown only
    to the two sides of its conversation (to the artist while it may see the request)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=quote_photo_storage, upload_to=message_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of message {self.message_id}"
