"""Quote requests, their photos, one delivery row per email that must go out, and replies.

The database, not the queue, is the record of what is still to do: Redis may
lose messages, so every step can be found again and re-enqueued by a sweeper.
The client's decisions (choose, close, forward, erase) are methods of QuoteRequest;
each email they cause is a QuoteDelivery row, sent once by outbox.
"""

import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from clinics.models import City, Clinic
from common.languages import language_field
from common.money import format_price_range
from common.private_files import private_storage
from common.validators import validate_plain_email
from outbox import queue
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet

from .signals import request_erased

# Reference alphabet without look-alikes (0/O, 1/I/L), easy to read out on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))
    return f"Q-{body[:5]}-{body[5:]}"


def quote_photo_storage():
    """The private storage (common/private_files.py); named here for migrations."""
    return private_storage()


def quote_photo_path(instance, filename: str) -> str:
    """A generated name. Callers pass "upload.jpg" or "upload.png", never the client's name."""
    extension = ".png" if filename.lower().endswith(".png") else ".jpg"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


PROCESS_TASK = "quotes.tasks.process_quote"
# Two days and not a single answer: the client may send the request to other artists.
OFFER_FORWARD_AFTER = timedelta(hours=48)


class QuoteRequestQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Requests the worker should have picked up by now."""
        now = now or timezone.now()
        before = now - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
        return self.filter(
            Q(status=QuoteRequest.Status.RECEIVED, created_at__lt=before)
            | Q(status=QuoteRequest.Status.PROCESSING, lease_until__lt=now)
        )

    def real(self):
        """Requests a person made and still has: not spam, not erased."""
        return self.exclude(status__in=[QuoteRequest.Status.SPAM, QuoteRequest.Status.ERASED])

    def due_for_release(self, now=None):
        """Held requests whose short wait is over (those held for staff have no end)."""
        now = now or timezone.now()
        return self.filter(status=QuoteRequest.Status.HELD, hold_until__lte=now)

    def for_address(self, email: str, limit: int = 10) -> list[int]:
        """The latest real requests made with this address (their ids)."""
        return list(
            self.real()
            .filter(email__iexact=email)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:limit]
        )


class QuoteRequest(models.Model):
    class Mode(models.TextChoices):
        SINGLE = "single", "A single quote from this artist"
        CITY = "city", "Quotes from every artist in the city"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        # Kept whole, not yet sent: over the rate limit, sent very fast, or a filled-in
        # hidden field that looks like a browser's autofill. Staff release it in one
        # click; most are released by themselves once hold_until has passed.
        HELD = "held", "Held for a check"
        PROCESSING = "processing", "Processing"
        DISPATCHED = "dispatched", "Dispatched"
        SPAM = "spam", "Spam"
        # The client erased it: no personal data is left, only what the artists' links
        # need to say the request was withdrawn.
        ERASED = "erased", "Erased by the client"

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    name = models.CharField(max_length=120)
    email = models.EmailField(validators=[validate_plain_email])
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
    # Limits on free text are enforced by the forms built from these fields (max_length
    # on a TextField validates in its form field, not in the database).
    message = models.TextField(blank=True, max_length=2000)
    consent_at = models.DateTimeField(null=True)
    # The one the client used the site in: their emails are written in it.
    language = language_field()
    status = models.CharField(max_length=12, choices=Status, default=Status.RECEIVED)
    spam_reason = models.CharField(max_length=40, blank=True)
    hold_reason = models.CharField(max_length=40, blank=True)
    hold_until = models.DateTimeField(
        null=True, blank=True, help_text="Sent by itself at this time; empty: staff release it."
    )
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
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = QuoteRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweeper: requests by status and age.
            models.Index(fields=["status", "created_at"], name="quote_status_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def first_name(self) -> str:
        """What an artist not chosen calls the client: the first word of their name."""
        return self.name.split()[0] if self.name.strip() else ""

    def enqueue_processing(self) -> None:
        """Sanitise and fan out in the worker, once this request is committed."""
        queue.enqueue_on_commit(PROCESS_TASK, self.pk)

    def recipients(self) -> list[Clinic]:
        """Who gets the request: the page's clinic, or every listed clinic in the city
        (`Clinic.objects.listed()`: approved, with an artist and a public photo)."""
        clinics = Clinic.objects.accepting_quotes().exclude(quote_email="")
        if self.mode == self.Mode.SINGLE:
            clinics = clinics.filter(pk=self.clinic_id)
        else:
            clinics = clinics.in_city(self.city)
        return list(clinics.order_by("name"))

    def _send(self, kind: str, recipients: list[tuple[Clinic | None, str]]) -> None:
        """One delivery of `kind` per (clinic, address), never a second one; sent after commit."""
        QuoteDelivery.objects.bulk_create(
            [
                QuoteDelivery(quote=self, kind=kind, clinic=clinic, to_email=email)
                for clinic, email in recipients
            ],
            ignore_conflicts=True,  # the unique constraints: a rerun finds its rows there
        )
        self.deliveries.filter(kind=kind).enqueue()

    def _artist_deliveries(self) -> list["QuoteDelivery"]:
        return list(
            self.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
            .select_related("clinic")
            .order_by("pk")
        )

    def dispatch(self, recipients: list[Clinic]) -> None:
        """Step 3 of the pipeline: one delivery per artist and the client's confirmation."""
        with transaction.atomic():
            self._send(QuoteDelivery.Kind.ARTIST, [(c, c.quote_email) for c in recipients])
            self._send(QuoteDelivery.Kind.CONFIRMATION, [(None, self.email)])
            type(self).objects.filter(pk=self.pk).update(
                status=self.Status.DISPATCHED, dispatched_at=timezone.now(), lease_until=None
            )

    def tell_client_not_delivered(self, artist: "QuoteDelivery") -> None:
        """The request's email to `artist` failed for good: the client is told, once."""
        if artist.clinic is not None and self.status != self.Status.ERASED:
            self._send(QuoteDelivery.Kind.UNDELIVERED, [(artist.clinic, self.email)])

    def photos_left_out(self) -> tuple[list[int], int]:
        """Which of the client's photos (numbered as sent, from 1) could not be read and
        were not sent, and how many they sent."""
        flags = list(self.photos.order_by("pk").values_list("unreadable", flat=True))
        return [number for number, unreadable in enumerate(flags, 1) if unreadable], len(flags)

    def chosen_reply(self) -> "QuoteReply | None":
        return QuoteReply.objects.filter(delivery__quote=self, chosen_at__isnull=False).first()

    def mark_seen(self) -> None:
        """The client acted on the comparison page: its replies have been seen."""
        QuoteReply.objects.filter(delivery__quote=self, seen_by_client_at__isnull=True).update(
            seen_by_client_at=timezone.now()
        )

    def choose(self, reply: "QuoteReply", *, tell_others: bool = False) -> bool:
        """The client picks this reply; its artist is told once. False if already decided.

        With `tell_others`, every other artist the request went to is told, once, that
        the client chose someone else (the same "no longer needed" email closing sends,
        so closing afterwards never tells them twice).
        """
        with transaction.atomic():
            # Lock the request: two "choose" posts racing each other choose once.
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if locked.closed_at is not None or self.chosen_reply() is not None:
                return False
            QuoteReply.objects.filter(pk=reply.pk).update(chosen_at=timezone.now())
            artist = reply.delivery
            self._send(QuoteDelivery.Kind.CHOSEN, [(artist.clinic, artist.to_email)])
            # The client gets the chosen artist's contact details in writing, too.
            self._send(QuoteDelivery.Kind.CHOSEN_CLIENT, [(None, self.email)])
            if tell_others:
                self._send(QuoteDelivery.Kind.CLOSED, self._others_than(artist))
            self._cancel_reminders()
            self.mark_seen()
        return True

    def _others_than(self, chosen: "QuoteDelivery | None") -> list[tuple[Clinic | None, str]]:
        """Every artist the request went to but the chosen one, as (clinic, address)."""
        return [
            (delivery.clinic, delivery.to_email)
            for delivery in self._artist_deliveries()
            if chosen is None or delivery.pk != chosen.pk
        ]

    def _cancel_reminders(self) -> None:
        """A reminder not sent yet would say the client is still waiting: it never goes."""
        self.deliveries.filter(
            kind=QuoteDelivery.Kind.REMINDER, status=QuoteDelivery.Status.PENDING
        ).update(status=QuoteDelivery.Status.CANCELLED, last_error="The client decided first")

    def others_told(self) -> int:
        """How many artists have been told they are no longer needed (choosing or closing)."""
        return self.deliveries.filter(kind=QuoteDelivery.Kind.CLOSED).count()

    def close(self) -> bool:
        """The client needs no more prices: every artist not chosen is told, once."""
        with transaction.atomic():
            now = timezone.now()
            claimed = (
                type(self).objects.filter(pk=self.pk, closed_at__isnull=True).update(closed_at=now)
            )
            if not claimed:
                return False
            self.closed_at = now
            chosen = self.chosen_reply()
            # Those told already when the client chose are not told again (one row each).
            chosen_delivery = chosen.delivery if chosen is not None else None
            self._send(QuoteDelivery.Kind.CLOSED, self._others_than(chosen_delivery))
            self._cancel_reminders()
            self.mark_seen()
        return True

    def forward_recipients(self) -> list[Clinic]:
        """The city's artists taking requests who didn't have this one."""
        already = set(
            self.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST).values_list("clinic", flat=True)
        )
        city_wide = QuoteRequest(pk=self.pk, city=self.city, mode=self.Mode.CITY)
        return [clinic for clinic in city_wide.recipients() if clinic.pk not in already]

    def can_forward(self, now: datetime | None = None) -> bool:
        """Two days and not a single answer: the client may send the request to other artists."""
        now = now or timezone.now()
        return (
            self.closed_at is None
            and self.forwarded_at is None
            and self.dispatched_at is not None
            and self.dispatched_at <= now - OFFER_FORWARD_AFTER
            and not QuoteReply.objects.filter(delivery__quote=self).exists()
            and bool(self.forward_recipients())
        )

    def forward(self) -> int:
        """Send the request on to the city's artists who didn't have it (once)."""
        with transaction.atomic():
            if not self.can_forward():
                return 0
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, forwarded_at__isnull=True)
                .update(forwarded_at=timezone.now())
            )
            if not claimed:
                return 0
            clinics = self.forward_recipients()
            self._send(QuoteDelivery.Kind.ARTIST, [(c, c.quote_email) for c in clinics])
            self.mark_seen()
        return len(clinics)

    def erase(self, *, retention: bool = False) -> None:
        """Erase everything about the client: details, photos, the artists' replies.

        What stays is what holds no personal data: the reference, the city, which clinics
        had it (so their links can say it was withdrawn) and when. Emails not sent yet
        are cancelled; the photo files go once the transaction has committed.

        `request_erased` (quotes/signals.py) is sent inside the same transaction, so other
        apps erase what they hold about the request with it (reviews: the client's
        review). `retention` says the site's retention rule did it, not the client:
        what the client chose to publish under their own name stays then.
        """
        with transaction.atomic():
            request_erased.send(sender=type(self), quote=self, retention=retention)
            for photo in self.photos.all():
                photo.delete()
            QuoteReply.objects.filter(delivery__quote=self).delete()
            self.deliveries.filter(
                status__in=[QuoteDelivery.Status.PENDING, QuoteDelivery.Status.SENDING]
            ).update(status=QuoteDelivery.Status.CANCELLED, last_error="Erased by the client")
            # The client's own address is personal data too (artists' addresses are not).
            self.deliveries.filter(clinic__isnull=True).update(to_email="")
            type(self).objects.filter(pk=self.pk).update(
                name="",
                email="",
                phone="",
                message="",
                ip_hash="",
                form_nonce=None,
                status=self.Status.ERASED,
                erased_at=timezone.now(),
                lease_until=None,
            )
        self.refresh_from_db()

    def hold(self, reason: str, until: datetime | None) -> None:
        """Keep the request whole but unsent, for a check (see Status.HELD)."""
        type(self).objects.filter(pk=self.pk, status=self.Status.RECEIVED).update(
            status=self.Status.HELD, hold_reason=reason, hold_until=until
        )

    def release(self) -> bool:
        """Send a held request on its way (staff's one click, or its wait is over)."""
        released = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.HELD)
            .update(status=self.Status.RECEIVED, hold_until=None)
        )
        if released:
            self.enqueue_processing()
        return bool(released)

    def decision(self) -> str:
        """Where the client is: for staff lists and the artists' pages."""
        if self.status == self.Status.ERASED:
            return "erased"
        if self.chosen_reply() is not None:
            return "chosen"
        return "closed" if self.closed_at else "open"

    def send_new_links(self) -> None:
        """Email this address fresh comparison links for its requests (a new delivery row)."""
        delivery = QuoteDelivery.objects.create(
            quote=self, kind=QuoteDelivery.Kind.NEW_LINKS, to_email=self.email
        )
        delivery.enqueue()


class QuotePhoto(models.Model):
    quote = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=quote_photo_storage, upload_to=quote_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    sanitised = models.BooleanField(default=False)
    # The stored bytes could not be decoded (pipeline.PhotoUnreadable): the file is gone,
    # and the row stays so the client is told which photo of theirs was not sent.
    unreadable = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The retention purge: photos by age.
            models.Index(fields=["created_at"], name="quote_photo_created"),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.quote_id}"

    def mark_unreadable(self) -> None:
        """Leave this photo out for good: its file is deleted (once this commits), its
        row kept so the client can be told which of their photos was not sent."""
        name, storage = self.file.name, self.file.storage
        type(self).objects.filter(pk=self.pk).update(unreadable=True, file="")
        self.file.name, self.unreadable = "", True
        if name:
            transaction.on_commit(lambda: storage.delete(name))


class QuoteDeliveryQuerySet(OutgoingEmailQuerySet):
    def awaiting_reminder(self, now: datetime):
        """Artists who were sent a request a day ago, haven't answered and weren't reminded,
        while the client is still waiting: not once they closed it or chose an artist."""
        reminded = QuoteDelivery.objects.filter(
            quote=OuterRef("quote"), clinic=OuterRef("clinic"), kind=QuoteDelivery.Kind.REMINDER
        )
        chosen = QuoteReply.objects.filter(
            delivery__quote=OuterRef("quote"), chosen_at__isnull=False
        )
        return self.filter(
            kind=QuoteDelivery.Kind.ARTIST,
            status__in=[QuoteDelivery.Status.SENT, QuoteDelivery.Status.DELIVERED],
            sent_at__lte=now - QuoteDelivery.REMIND_AFTER,
            reply__isnull=True,
            clinic__isnull=False,
            quote__closed_at__isnull=True,
        ).filter(~Exists(reminded), ~Exists(chosen))


QuoteDeliveryManager = models.Manager.from_queryset(QuoteDeliveryQuerySet)


class QuoteDelivery(OutgoingEmail):
    """One email about a request: to an artist, or to the client."""

    class Kind(models.TextChoices):
        ARTIST = "artist", "Request to an artist"
        CONFIRMATION = "confirmation", "Confirmation to the client"
        REPLIES = "replies", "New replies, to the client"
        CHOSEN = "chosen", "Chosen, to the artist"
        # "No longer needed": the client closed the request, or chose another artist and
        # asked us to tell the others. One per artist, whichever came first.
        CLOSED = "closed", "Request closed, to the artist"
        REMINDER = "reminder", "Reminder, to the artist"
        NEW_LINKS = "new_links", "New comparison links, to the client"
        CHOSEN_CLIENT = "chosen_client", "The chosen artist's contact, to the client"
        # The request to an artist failed for good (outbox.signals.email_failed).
        UNDELIVERED = "undelivered", "An artist not reached, to the client"

    # An artist who hasn't answered in a day is reminded once.
    REMIND_AFTER = timedelta(hours=24)

    quote = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.ARTIST)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.SET_NULL, null=True, blank=True, related_name="quote_deliveries"
    )

    # The client shared their email address and phone with this artist from their
    # conversation (conversations/): the artist sees them from then on, as a chosen one.
    contact_shared_at = models.DateTimeField(null=True, blank=True, editable=False)

    sending_related = ("quote__city", "quote__clinic", "clinic")
    objects = QuoteDeliveryManager()

    class Meta(OutgoingEmail.Meta):
        ordering = ["kind", "id"]
        verbose_name_plural = "quote deliveries"
        indexes = [
            *OutgoingEmail.Meta.indexes,
            # A clinic's inbox, newest first (quotes/inbox_views.py): read in order, a page
            # of 50 costs the same with 1,000 requests as with 10 (PostgreSQL only: built
            # concurrently, so a deploy never locks the table).
            models.Index(
                F("clinic"),
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(kind="artist"),
                name="quote_delivery_inbox",
            ),
        ]
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
            # The client chooses one artist, who is told once, and so is the client.
            models.UniqueConstraint(
                fields=["quote"], condition=Q(kind="chosen"), name="quotes_delivery_one_chosen"
            ),
            models.UniqueConstraint(
                fields=["quote"],
                condition=Q(kind="chosen_client"),
                name="quotes_delivery_one_chosen_to_client",
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
            # The client hears once of each artist their request did not reach.
            models.UniqueConstraint(
                fields=["quote", "clinic"],
                condition=Q(kind="undelivered"),
                name="quotes_delivery_one_undelivered_per_artist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.quote_id} ({self.status})"

    @property
    def artist(self) -> Clinic:
        """The clinic a request email went to (artist rows always have one)."""
        if self.clinic is None:
            raise ValueError(f"Delivery {self.pk} is not to an artist")
        return self.clinic

    def shows_client_data(self) -> bool:
        """May the artist this request went to see the client's details and photos now?

        Only while they need them: the request is open, or they are the artist chosen.
        A clinic that is no longer listed (suspended) loses access at once.
        """
        quote = self.quote
        if self.kind != self.Kind.ARTIST or quote.status != QuoteRequest.Status.DISPATCHED:
            return False
        if self.clinic is None or not self.clinic.is_listed():
            return False
        chosen = quote.chosen_reply()
        if chosen is not None:
            return chosen.delivery_id == self.pk
        return quote.closed_at is None

    def shows_client_contact(self) -> bool:
        """May the artist see the client's full name, email address and phone? Only the
        artist the client chose, or one the client shared them with, and only while it
        may see the request at all. Every other artist knows the client by first name and
        writes to them through the site (conversations/)."""
        if not self.shows_client_data():
            return False
        if self.contact_shared_at is not None:
            return True
        chosen = self.quote.chosen_reply()
        return chosen is not None and chosen.delivery_id == self.pk

    # The kinds addressed to the artist; the others go to the client (some name a clinic).
    TO_ARTIST = frozenset({Kind.ARTIST, Kind.CHOSEN, Kind.CLOSED, Kind.REMINDER})

    def reader_language(self) -> str:
        if self.kind in self.TO_ARTIST:
            # A clinic deleted since: English, never the client's language.
            return self.clinic.language if self.clinic is not None else super().reader_language()
        return self.quote.language

    def refresh_address(self) -> None:
        # Staff may just have corrected the clinic's address before resending. Only the
        # kinds addressed to the artist: a client's notice names a clinic, and goes to the client.
        if self.kind in self.TO_ARTIST and self.clinic is not None and self.clinic.quote_email:
            self.to_email = self.clinic.quote_email


class ReplyLocked(Exception):
    """The client has chosen an artist or closed the request: the reply can't change now."""


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


class QuoteReplyQuerySet(models.QuerySet):
    def save_answer(self, delivery: QuoteDelivery, data: dict, *, changed_by: str) -> "QuoteReply":
        """Create or update a clinic's reply, keep a revision (`changed_by`: who, through
        what), and make it news for the client."""
        with transaction.atomic():
            reply = (
                self.select_for_update()
                .select_related("delivery__quote")
                .filter(delivery=delivery)
                .first()
            )
            if reply is None:
                reply = QuoteReply(delivery=delivery, currency=delivery.artist.currency)
            else:
                reply.revised_at = timezone.now()
            if not QuoteReply.is_open_for(delivery.quote):
                raise ReplyLocked
            for field in REPLY_FIELDS:
                setattr(reply, field, data.get(field))
            if reply.declined:
                reply.price_min = reply.price_max = reply.deposit = reply.sessions = None
            reply.client_notified_at = None  # a new or changed reply is news for the client
            reply.save()
            QuoteReplyRevision.objects.create(
                reply=reply,
                changed_by=f"{delivery.artist.name} ({changed_by})"[:200],
                data={field: _plain(getattr(reply, field)) for field in REPLY_FIELDS},
            )
        return reply


def _plain(value):
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


class QuoteReply(models.Model):
    """An artist's answer to one request, given through the private link in their email."""

    class PriceType(models.TextChoices):
        FIXED = "fixed", _("A fixed price")
        ESTIMATE = "estimate", _("An estimate from the photos, confirmed at consultation")

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
    message = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the artist last changed an answer already given: the client is shown it.
    revised_at = models.DateTimeField(null=True, blank=True)
    # Set by the batch that emailed the client about this reply.
    client_notified_at = models.DateTimeField(null=True, blank=True)
    # When the client first acted on the comparison page (choose, close, forward).
    seen_by_client_at = models.DateTimeField(null=True, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    objects = QuoteReplyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "quote replies"
        indexes = [
            # The batch notifier: replies the client has not been told about yet.
            models.Index(fields=["client_notified_at", "created_at"], name="reply_unnotified"),
        ]

    def __str__(self) -> str:
        return f"Reply to {self.delivery_id}"

    @staticmethod
    def is_open_for(quote: QuoteRequest) -> bool:
        """Artists may give or change answers until the client chooses one or closes."""
        return quote.closed_at is None and quote.chosen_reply() is None

    def is_editable(self) -> bool:
        return self.is_open_for(self.delivery.quote)

    @property
    def price_display(self) -> str:
        """The quoted price as people read it: "£1,500, fixed" or "£1,200–£1,800"."""
        fixed = self.price_type == self.PriceType.FIXED
        return format_price_range(self.price_min, self.price_max, self.currency, fixed=fixed)

    @property
    def price_note(self) -> str:
        """What the price is, when `price_display` does not say it already: a fixed price
        reads "£1,500, fixed", so only an estimate needs its words beside it."""
        if self.price_type == self.PriceType.ESTIMATE:
            # Its own message, written as it reads inside a sentence after a price ("£1,500
            # (an estimate…)"): lowering the choice's label would break German's nouns.
            return pgettext(
                "beside a price", "an estimate from the photos, confirmed at consultation"
            )
        return ""


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
