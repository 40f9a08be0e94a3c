"""What every outgoing email row has: the state that makes sending exactly-once and visible.

Each app keeps its own concrete table (quotes.QuoteDelivery, applications.ApplicationEmail, ...)
with the foreign keys its emails are about and the unique constraints that make creating
them idempotent; outbox/sending.py sends any of them the same way.
"""

from datetime import timedelta
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, ClassVar, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import queue

SEND_TASK = "outbox.tasks.send_email"


def new_message_id() -> str:
    """A Message-ID header value ("<...@domain>") on the sender's own domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def fill_message_ids(*labels: str):
    """A data migration's step: each row of these tables without a Message-ID gets its own.

    Rows made before Message-IDs were given have none (the AddField's one default would
    have given them all the same one); each app's `fill_message_ids` migration runs this
    once, so sending never has to.
    """

    def fill(apps, schema_editor) -> None:
        for label in labels:
            rows = apps.get_model(label)._default_manager
            missing = list(rows.filter(message_id_header="").only("pk"))
            for row in missing:
                row.message_id_header = new_message_id()
            rows.bulk_update(missing, ["message_id_header"], batch_size=500)

    return fill


def takeover_before(now):
    """A claim whose lease ran out before this may be taken over (sending.py explains)."""
    return now - timedelta(seconds=settings.OUTBOX_SEND_TAKEOVER_GRACE_SECONDS)


class OutgoingEmailQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Rows whose send should have happened: pending past their time, or abandoned."""
        now = now or timezone.now()
        before = now - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
        return self.filter(
            Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lt=before)
            | Q(status=OutgoingEmail.Status.SENDING, lease_until__lt=takeover_before(now))
        )

    def pending(self):
        return self.filter(status=OutgoingEmail.Status.PENDING)

    def for_sending(self):
        """The row with what its email's builder reads (the table's `sending_related`)."""
        return self.select_related(*self.model.sending_related)

    def enqueue(self) -> list[int]:
        """Send every pending row of this queryset once the transaction commits."""
        model = self.model
        ids = list(self.pending().values_list("pk", flat=True))
        for pk in ids:
            queue.enqueue_on_commit(SEND_TASK, model._meta.label_lower, pk)
        return ids


class OutgoingEmail(models.Model):
    """One email that must go out exactly once (abstract: each app has its own table)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"
        # Never to be sent: what it was about is gone (a client erased their request).
        CANCELLED = "cancelled", "Cancelled"

    # Tracking events only move a row forward: a late "queued" never undoes "delivered".
    TRACKING_RANK = {Status.SENT: 1, Status.DELIVERED: 2, Status.BOUNCED: 3}

    # Each concrete model narrows this with its own `choices`.
    kind = models.CharField(max_length=12)
    to_email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Given when the row is made, before any attempt, and sent on every attempt: mail
    # systems take messages with one Message-ID for one message.
    message_id_header = models.CharField(
        max_length=255, blank=True, default=new_message_id, editable=False, db_index=True
    )
    # Set when a send was taken over from a worker that was lost after it may have sent.
    retaken_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="A lost worker may have sent this email before it was sent again "
        "(with the same Message-ID).",
    )
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    event_at = models.DateTimeField(null=True, blank=True, help_text="Last tracking event.")
    created_at = models.DateTimeField(auto_now_add=True)

    # What each table's email builders read, fetched with the row before a send.
    sending_related: ClassVar[tuple[str, ...]] = ()

    # Each table sets `objects` to a manager made in its own module, by
    # `models.Manager.from_queryset(OutgoingEmailQuerySet)` (or a subclass with queries of
    # its own): django-stubs loses a manager inherited from an abstract model, or made in
    # another module, once its cache is warm (typeddjango/django-stubs#1157), and with it
    # every reverse relation (`request.deliveries`, `message.emails`).

    class Meta:
        abstract = True
        # A concrete table's `class Meta(OutgoingEmail.Meta)` keeps these and adds its own
        # constraints (what makes creating its rows idempotent).
        ordering = ["created_at", "id"]
        indexes = [
            # The sweeper: rows by status and due time (OutgoingEmailQuerySet.stuck).
            models.Index(fields=["status", "next_attempt_at"], name="%(app_label)s_%(class)s_due"),
        ]

    if TYPE_CHECKING:
        # Django gives each table one, from the choices of its own `kind`.
        def get_kind_display(self) -> str: ...

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.status})"

    @classmethod
    def rows(cls) -> OutgoingEmailQuerySet:
        """All rows of this table, with the outbox's queryset methods."""
        return cast(OutgoingEmailQuerySet, cls._default_manager.all())

    def reader_language(self) -> str:
        """The language its reader reads (one of settings.LANGUAGES): the email is written
        in it, and its links lead to that language's pages (outbox/compose.py).

        Each table says whose language that is for each of its kinds: a client's, the one
        they used on the site (kept on the row they made); a clinic's, the one it chose in
        its account. Staff's emails, and a table that says nothing, are in English.
        """
        return settings.LANGUAGE_CODE

    def refresh_address(self) -> None:
        """Before staff resend a failed row: re-read the address where it may have changed."""

    def enqueue(self) -> None:
        """Send this row once the current transaction (if any) has committed."""
        transaction.on_commit(
            lambda: queue.enqueue(SEND_TASK, self._meta.label_lower, self.pk), robust=True
        )
