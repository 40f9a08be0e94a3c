"""A clinic's request to be listed, the photos it sent, and the emails about it."""

from collections.abc import Collection

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone

from clinics.models import (
    Artist,
    Clinic,
    ClinicPhoto,
    clinic_photo_path,
    staff_member,
    thumbnail_name,
)
from common.forms import files_removed_on_error
from common.validators import validate_plain_email
from members.models import ClinicMember
from members.signin import SignInRefused, invite
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

    def approve(self, user, publish: Collection[int] | None = None) -> bool:
        """Approve the clinic, move its portfolio into its gallery, and tell the applicant.
        False if already decided.

        1. The clinic is approved (it keeps the artists the application named).
        2. Each photo the worker made ready becomes a gallery photo of the clinic, compared
           with the site's photos as every gallery photo is (`ClinicPhoto.check_for_copies`).
        3. Those in `publish` (upload ids; None: each whose client's consent the applicant
           confirmed and that looks like no other photo) are published: staff's consent
           is recorded, and a possible copy staff were shown is cleared. A copy found only
           now is held back for a look, as in the gallery.
        4. The clinic is listed once it has an artist and a public photo (`listed_q`); the
           approval email says whether it is yet, and how to answer requests with a price.
        """
        public = ClinicPhoto._meta.get_field("image").storage
        with files_removed_on_error(public) as stored, transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.SUBMITTED)
                .update(status=self.Status.APPROVED, decided_at=timezone.now(), decided_by=user)
            )
            if not claimed:
                return False
            self.clinic.approve(user)  # raises (and rolls back) when the clinic has no city
            self._move_portfolio(user, publish, stored)
            self._invite_owner(user)
            self._email(ApplicationEmail.Kind.APPROVED, [self.contact_email])
        self.refresh_from_db(fields=["status", "decided_at", "decided_by"])
        self.clinic.refresh_from_db()
        return True

    def _invite_owner(self, user) -> None:
        """The applicant becomes the clinic's owner on the site; the approval email carries
        their invitation link (one email: applications/emails.py)."""
        try:
            invite(self.clinic, self.contact_email, ClinicMember.Role.OWNER, by=user, send=False)
        except SignInRefused:
            # A staff account's address: staff sign in through the admin, not here.
            pass

    def _move_portfolio(self, user, publish: Collection[int] | None, stored: list[str]) -> None:
        private = storages[UPLOAD_STORAGE]
        public = ClinicPhoto._meta.get_field("image").storage
        uploads = list(self.uploads.ready().select_related("artist"))
        if publish is None:
            publish = [u.pk for u in uploads if u.publishable_by_default]
        for upload in uploads:
            with private.open(upload.file_name, "rb") as source:
                name = public.save(clinic_photo_path(None, "portfolio.jpg"), source)
            stored += [name, thumbnail_name(name)]
            photo = ClinicPhoto(
                clinic=self.clinic,
                image=name,
                alt_text=upload.alt_text,
                stage=ClinicPhoto.Stage.HEALED,
                artist=upload.artist,
                months_healed=upload.months_healed,
                order=upload.order,
            )
            photo.save()  # a thumbnail, then the copy check against every photo
            if upload.pk in publish and upload.client_consent_at is not None:
                self._publish(photo, upload, user)
            upload.delete()  # its private file goes once this commits (apps.py)
        Clinic.objects.filter(pk=self.clinic_id).refresh_covers()

    @staticmethod
    def _publish(photo: ClinicPhoto, upload: "ApplicationUpload", user) -> None:
        """Consent after the copy check: a match found only now stays held back
        (ClinicPhotoQuerySet.public). One staff were shown before ticking is cleared."""
        now = timezone.now()
        fields: dict[str, object] = {"consent_confirmed_at": now, "consent_confirmed_by": user}
        photo.refresh_from_db(fields=["match_found_at"])
        if upload.match_details and photo.match_found_at is not None:
            fields.update(match_cleared_at=now, match_cleared_by=user)
        ClinicPhoto.objects.filter(pk=photo.pk).update(**fields)

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
        """Photos the worker has still to re-encode."""
        return self.filter(refused="", ready=False)

    def ready(self):
        """Photos re-encoded and compared, waiting for staff's decision."""
        return self.filter(refused="", ready=True)


class ApplicationUpload(models.Model):
    """A portfolio photo (a healed result) of an application, in private storage until
    staff approve the clinic: never reachable by a public address.

    As sent (with its metadata) until the worker re-encodes it without, fingerprints it
    and compares it with the site's photos (`ready`); staff see it through the admin
    (ClinicApplicationAdmin.upload_view). Approval turns it into a ClinicPhoto.
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
    # What a gallery photo records (ClinicPhoto): whose work, and how long after the last
    # session it was taken (the portfolio is of healed results).
    artist = models.ForeignKey(
        Artist, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    months_healed = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the applicant confirmed that the client shown agreed to its publication.
    client_consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by the worker: the file is now the re-encoded copy, without metadata.
    ready = models.BooleanField(default=False, editable=False)
    # common/fingerprints.py, and what the comparison with the site's photos found
    # (empty: nothing alike).
    fingerprint = models.CharField(max_length=256, blank=True, editable=False)
    match_details = models.TextField(blank=True, editable=False)

    objects = ApplicationUploadQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def publishable_by_default(self) -> bool:
        """Ticked for staff: consent confirmed and no possible copy."""
        return self.ready and self.client_consent_at is not None and not self.match_details


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

    def reader_language(self) -> str:
        if self.kind == self.Kind.STAFF:
            return super().reader_language()
        # The applicant's: the clinic's, set to the one they applied in.
        return self.application.clinic.language

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
