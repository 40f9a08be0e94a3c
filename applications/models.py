"""A clinic's request to be listed, the photos it sent, and the emails about it."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from clinics.models import Clinic, staff_member
from common.validators import validate_plain_email
from outbox import queue
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet


class ClinicApplication(models.Model):
    """A clinic's request to be listed: who to talk to, and what staff decided.

    The clinic itself is a pending Clinic, invisible until approved. The contact
    details here are for staff only and never appear on the site.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="application")
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(validators=[validate_plain_email])
    contact_phone = models.CharField(max_length=40, blank=True)
    requested_city = models.CharField(
        max_length=160,
        blank=True,
        help_text="The applicant's city when it was not in the list: add it, then set it on "
        "the clinic.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SUBMITTED)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = staff_member()
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Why the spam checks want a closer look (empty: nothing looked odd).
    check_reason = models.CharField(max_length=40, blank=True, editable=False)
    # Past a limit (many applications from one connection, or naming one address) the
    # contact address is sent no receipt: it may be a stranger's. Staff still see it all.
    receipt_withheld = models.BooleanField(default=False, editable=False)
    # One per shown form: the same form posted twice is one application.
    form_nonce = models.CharField(max_length=40, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # The admin list: applications waiting for review, newest first.
            models.Index(fields=["status", "-submitted_at"], name="clinicapp_status_submitted"),
        ]

    def __str__(self) -> str:
        return f"Application from {self.clinic.name}"

    def approve(self, user) -> bool:
        """Make the clinic public and tell the applicant. False if already decided."""
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.SUBMITTED)
                .update(status=self.Status.APPROVED, decided_at=timezone.now(), decided_by=user)
            )
            if not claimed:
                return False
            self.clinic.approve(user)  # raises (and rolls back) when the clinic has no city
            self._email(ApplicationEmail.Kind.APPROVED, [self.contact_email])
        self.refresh_from_db(fields=["status", "decided_at", "decided_by"])
        return True

    def reject(self, user, reason: str) -> bool:
        """Refuse the listing and tell the applicant why; the clinic stays pending and hidden.

        False if it was already decided.
        """
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.SUBMITTED)
                .update(
                    status=self.Status.REJECTED,
                    rejection_reason=reason,
                    decided_at=timezone.now(),
                    decided_by=user,
                )
            )
            if not claimed:
                return False
            self._email(ApplicationEmail.Kind.REJECTED, [self.contact_email])
        self.refresh_from_db(fields=["status", "rejection_reason", "decided_at", "decided_by"])
        return True

    def enqueue_photos(self) -> None:
        """Sanitise the photos in the worker (then email), once this application is committed."""
        queue.enqueue_on_commit(PROCESS_APPLICATION_TASK, self.pk)

    def send_submitted_emails(self) -> None:
        """A receipt for the applicant (unless withheld), and a notice for each of
        STAFF_NOTIFICATION_EMAILS."""
        if not self.receipt_withheld:
            self._email(ApplicationEmail.Kind.RECEIVED, [self.contact_email])
        self._email(ApplicationEmail.Kind.STAFF, list(settings.STAFF_NOTIFICATION_EMAILS))

    def _email(self, kind: str, addresses: list[str]) -> None:
        """One email of this kind per address, never a second one; sent after the commit."""
        ApplicationEmail.objects.bulk_create(
            [ApplicationEmail(application=self, kind=kind, to_email=a) for a in addresses],
            ignore_conflicts=True,
        )
        self.emails.filter(kind=kind).enqueue()


PROCESS_APPLICATION_TASK = "applications.tasks.process_application"
# The applicants' photos as they sent them, until the worker has sanitised them: the
# private storage (never served by URL), like the clients' quote photos.
UPLOAD_STORAGE = "private"


class ApplicationUploadQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(refused="")


class ApplicationUpload(models.Model):
    """A portfolio photo exactly as the applicant sent it (with its metadata), kept in
    private storage until the worker turns it into a ClinicPhoto; then deleted.

    One the worker cannot open stays, without its file, with the reason: staff and the
    applicant's receipt say so.
    """

    application = models.ForeignKey(
        ClinicApplication, on_delete=models.CASCADE, related_name="uploads"
    )
    # A name in storages[UPLOAD_STORAGE], not a FileField: the storage is looked up when
    # used, so the STORAGES setting (S3, a test's folder) decides.
    file_name = models.CharField(max_length=200, editable=False)
    display_name = models.CharField(max_length=80, editable=False)
    order = models.PositiveSmallIntegerField()
    alt_text = models.CharField(max_length=200)
    refused = models.CharField(max_length=300, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationUploadQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.display_name


ApplicationEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class ApplicationEmail(OutgoingEmail):
    """An email about a clinic's application: to the applicant, or to staff."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Application received, to the applicant"
        STAFF = "staff", "New application, to staff"
        APPROVED = "approved", "Approved, to the applicant"
        REJECTED = "rejected", "Not approved, to the applicant"

    application = models.ForeignKey(
        ClinicApplication, on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("application__clinic__city",)
    objects = ApplicationEmailManager()

    class Meta(OutgoingEmail.Meta):
        # OutgoingEmail.Meta's index, under a shorter name: "<app>_<table>_due" would run
        # past the 30 characters Django allows an index name here.
        indexes = [
            # The sweeper: rows by status and due time (OutgoingEmailQuerySet.stuck).
            models.Index(fields=["status", "next_attempt_at"], name="applicationemail_due"),
        ]
        constraints = [
            # Each email about an application goes to each address once.
            models.UniqueConstraint(
                fields=["application", "kind", "to_email"], name="clinics_application_email_once"
            ),
        ]
