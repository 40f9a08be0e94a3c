"""Quote requests, their photos, and one delivery row per email that must go out.

The database, not the queue, is the record of what is still to do: Redis may
lose messages, so every step can be found again and re-enqueued by the sweeper.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from clinics.models import City, Clinic

# Reference alphabet without look-alikes (0/O, 1/I/L), easy to read out on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))
    return f"Q-{body[:5]}-{body[5:]}"


class _QuotePhotoStorage(LazyObject):
    """storages["quote_photos"], looked up on first use rather than when models load.

    A FileField evaluates a callable storage once, at import; this proxy lets the
    STORAGES setting (S3 in production, a temporary folder in tests) decide later.
    """

    def _setup(self):
        self._wrapped = storages["quote_photos"]


_quote_photo_storage = _QuotePhotoStorage()


@receiver(setting_changed)
def _reset_quote_photo_storage(setting, **kwargs):
    if setting == "STORAGES":
        _quote_photo_storage._wrapped = empty


def quote_photo_storage():
    return _quote_photo_storage


def quote_photo_path(instance, filename: str) -> str:
    """A generated name. Callers pass "upload.jpg" or "upload.png", never the client's name."""
    extension = ".png" if filename.lower().endswith(".png") else ".jpg"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class QuoteRequestQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Requests the worker should have picked up by now."""
        now = now or timezone.now()
        before = now - timedelta(seconds=settings.QUOTE_SWEEP_AFTER_SECONDS)
        return self.filter(
            Q(status=QuoteRequest.Status.RECEIVED, created_at__lt=before)
            | Q(status=QuoteRequest.Status.PROCESSING, lease_until__lt=now)
        )


class QuoteRequest(models.Model):
    class Mode(models.TextChoices):
        SINGLE = "single", "A single quote from this artist"
        CITY = "city", "Quotes from every artist in the city"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Processing"
        DISPATCHED = "dispatched", "Dispatched"
        SPAM = "spam", "Spam"

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, related_name="+")
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The profile the request was sent from.",
    )
    mode = models.CharField(max_length=8, choices=Mode, default=Mode.CITY)
    message = models.TextField(blank=True)
    consent_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.RECEIVED)
    spam_reason = models.CharField(max_length=40, blank=True)
    # A one-time value from the rendered form: posting the same form twice makes one request.
    # NULL (not "") for spam rows, which have none, so the unique constraint ignores them.
    form_nonce = models.CharField(  # noqa: DJ001
        max_length=40, unique=True, null=True, editable=False
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Closed by the client.")
    forwarded_at = models.DateTimeField(
        null=True, blank=True, help_text="Sent on to the city's other artists by the client."
    )

    objects = QuoteRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweeper: requests by status and age.
            models.Index(fields=["status", "created_at"], name="quote_status_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("quotes:request-sent", args=[self.reference])


class QuotePhoto(models.Model):
    quote = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=quote_photo_storage, upload_to=quote_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    sanitised = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The retention purge: photos by age.
            models.Index(fields=["created_at"], name="quote_photo_created"),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.quote_id}"


class QuoteDeliveryQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Deliveries whose send should have happened: pending past their time, or abandoned."""
        now = now or timezone.now()
        before = now - timedelta(seconds=settings.QUOTE_SWEEP_AFTER_SECONDS)
        return self.filter(
            Q(status=QuoteDelivery.Status.PENDING, next_attempt_at__lt=before)
            | Q(status=QuoteDelivery.Status.SENDING, lease_until__lt=now)
        )


class QuoteDelivery(models.Model):
    """One email that must go out exactly once: to an artist, or the client's confirmation."""

    class Kind(models.TextChoices):
        ARTIST = "artist", "Request to an artist"
        CONFIRMATION = "confirmation", "Confirmation to the client"
        REPLIES = "replies", "New replies, to the client"
        CHOSEN = "chosen", "Chosen, to the artist"
        CLOSED = "closed", "Request closed, to the artist"
        REMINDER = "reminder", "Reminder, to the artist"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"

    # Tracking events only move a delivery forward: a late "queued" never undoes "delivered".
    TRACKING_RANK = {Status.SENT: 1, Status.DELIVERED: 2, Status.BOUNCED: 3}

    quote = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.ARTIST)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.SET_NULL, null=True, blank=True, related_name="quote_deliveries"
    )
    to_email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    event_at = models.DateTimeField(null=True, blank=True, help_text="Last tracking event.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuoteDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name_plural = "quote deliveries"
        constraints = [
            # What makes the fan-out idempotent: one request email per artist...
            models.UniqueConstraint(
                fields=["quote", "clinic"],
                condition=Q(kind="artist"),
                name="quotes_delivery_one_per_artist",
            ),
            # ...and one confirmation per request.
            models.UniqueConstraint(
                fields=["quote"],
                condition=Q(kind="confirmation"),
                name="quotes_delivery_one_confirmation",
            ),
            # The client chooses one artist, who is told once.
            models.UniqueConstraint(
                fields=["quote"], condition=Q(kind="chosen"), name="quotes_delivery_one_chosen"
            ),
            # An artist who hasn't answered in a day is reminded once.
            models.UniqueConstraint(
                fields=["quote", "clinic"],
                condition=Q(kind="reminder"),
                name="quotes_delivery_one_reminder_per_artist",
            ),
            # Closing the request tells each other artist once.
            models.UniqueConstraint(
                fields=["quote", "clinic"],
                condition=Q(kind="closed"),
                name="quotes_delivery_one_closed_per_artist",
            ),
        ]
        indexes = [
            # The sweeper: deliveries by status and due time.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.quote_id} ({self.status})"


class QuoteReply(models.Model):
    """An artist's answer to one request, given through the private link in their email."""

    class PriceType(models.TextChoices):
        FIXED = "fixed", "A fixed price"
        ESTIMATE = "estimate", "An estimate from the photos, confirmed at consultation"

    delivery = models.OneToOneField(QuoteDelivery, on_delete=models.CASCADE, related_name="reply")
    declined = models.BooleanField(default=False)
    price_min = models.PositiveIntegerField(null=True, blank=True)
    price_max = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    price_type = models.CharField(max_length=10, choices=PriceType, blank=True)
    sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    includes = models.CharField(max_length=300, blank=True)
    deposit = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the batch that emailed the client about this reply.
    client_notified_at = models.DateTimeField(null=True, blank=True)
    # Once the client has seen it, the artist can no longer change it.
    seen_by_client_at = models.DateTimeField(null=True, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "quote replies"
        indexes = [
            # The batch notifier: replies the client has not been told about yet.
            models.Index(fields=["client_notified_at", "created_at"], name="reply_unnotified"),
        ]

    def __str__(self) -> str:
        return f"Reply to {self.delivery_id}"

    def is_editable(self) -> bool:
        return self.seen_by_client_at is None and self.delivery.quote.closed_at is None


class QuoteReplyRevision(models.Model):
    """Each change to a reply, kept for staff: who, when, what."""

    reply = models.ForeignKey(QuoteReply, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.CharField(max_length=200)
    data = models.JSONField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"Revision of {self.reply_id} at {self.changed_at:%Y-%m-%d %H:%M}"
