"""Credentials staff checked for a clinic or an artist, and the reminders before one runs out."""

from datetime import date, timedelta
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from applications.models import ClinicApplication
from clinics.models import Artist, Clinic, _random_name, recommended_score, staff_member
from common.page_cache import content_changed
from common.photos import JPEG_FORMATS, PhotoRejected, inspect_upload
from common.private_files import private_storage
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet


def credential_document_path(instance, filename: str) -> str:
    return _random_name("credentials", filename)


# What staff may upload as the proof behind a credential (kept in private storage).
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
DOCUMENT_MAX_BYTES = 15 * 1024 * 1024


def validate_document_size(file) -> None:
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            gettext("The document is larger than 15 MB: please upload a smaller copy.")
        )


def document_content_error(file) -> str | None:
    """What is wrong with a document's content for its extension, if anything.

    A PDF starts with "%PDF-"; a JPG or PNG must be a photo of that format, through the
    same checks as clients' photos (not damaged, not a decompression or scan bomb).
    Other extensions are FileExtensionValidator's to refuse.
    """
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    file.seek(0)
    try:
        if extension == "pdf":
            if not file.read(1024).lstrip(b"\r\n\t ").startswith(b"%PDF-"):
                return gettext(
                    "This file is not a PDF: please upload the document as a PDF, JPG or PNG."
                )
        elif extension in {"jpg", "jpeg", "png"}:
            try:
                info = inspect_upload(file)
            except PhotoRejected as rejected:
                return str(rejected)
            wanted = JPEG_FORMATS if extension != "png" else {"PNG"}
            if info.format not in wanted:
                return gettext(
                    "This file is not a %(format)s image: please upload it as it is."
                ) % {"format": extension.upper()}
    finally:
        file.seek(0)
    return None


class CredentialQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """Credentials in force on `day`: not expired (the expiry date is the last valid day)."""
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))

    def current(self):
        """What public badges show: valid today, where today is the site's own date."""
        return self.valid_on(timezone.localdate())

    def lapsing(self, day: date, days: int):
        """Expiring within `days` after `day`, or expired within `days` before it."""
        return self.filter(
            expires_on__gte=day - timedelta(days=days), expires_on__lte=day + timedelta(days=days)
        )


class Credential(models.Model):
    """A document staff checked for a clinic or one of its artists, and until when it holds.

    The public sees a badge saying what was checked and when, only while it is valid;
    the document itself is private (staff open it from admin).
    """

    class Kind(models.TextChoices):
        TRAINING = "training", gettext_lazy("Training certificate")
        LICENCE = "licence", gettext_lazy("Licence")
        INSURANCE = "insurance", gettext_lazy("Insurance")
        OTHER = "other", gettext_lazy("Other")

    # Kinds that always run out: staff must give their expiry date.
    EXPIRING_KINDS = {Kind.LICENCE, Kind.INSURANCE}

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="credentials")
    artist = models.ForeignKey(
        Artist,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credentials",
        help_text="Empty: the clinic's own (its premises licence, its insurance).",
    )
    kind = models.CharField(max_length=10, choices=Kind)
    title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Shown on the badge when the kind alone doesn't say it, "
        "e.g. “Tattoo and micropigmentation licence”.",
    )
    issuer = models.CharField(max_length=160, help_text="Who issued it (shown on the badge).")
    number = models.CharField(
        max_length=80, blank=True, help_text="Certificate, licence or policy number (staff only)."
    )
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day it is valid; its badge disappears the day after. Empty: it "
        "does not expire (most training certificates).",
    )
    checked_on = models.DateField(
        default=timezone.localdate, help_text="When staff saw and checked the document."
    )
    checked_by = staff_member()
    document = models.FileField(
        storage=private_storage,
        upload_to=credential_document_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            validate_document_size,
        ],
        help_text="PDF, JPG or PNG, up to 15 MB. Private: never on the site.",
    )
    notes = models.TextField(blank=True, help_text="For staff only.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="clinics_credential_expires_after_issue",
                violation_error_message="The expiry date can’t be before the issue date.",
            ),
        ]
        indexes = [
            # The reminder job and the admin index: credentials by expiry date.
            models.Index(fields=["expires_on"], name="credential_expires"),
        ]

    def __str__(self) -> str:
        who = self.artist.name if self.artist is not None else self.clinic.name
        return f"{self.label} for {who}"

    def clean(self) -> None:
        errors = {}
        if self.kind in self.EXPIRING_KINDS and self.expires_on is None:
            errors["expires_on"] = "A licence or an insurance policy runs out: give its date."
        artist = self.artist if self.artist_id is not None else None
        if artist is not None and self.clinic_id and artist.clinic_id != self.clinic_id:
            errors["artist"] = "Choose one of this clinic's artists."
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = "The check can’t be in the future."
        # A new upload only: a stored document was checked when it came.
        if self.document and not self.document._committed:
            problem = document_content_error(self.document.file)
            if problem:
                errors["document"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.title or self.get_kind_display()

    def is_valid_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day

    def reminder_address(self) -> str:
        """Where the clinic hears that this runs out: its request address, else its applicant."""
        if self.clinic.quote_email:
            return self.clinic.quote_email
        application = ClinicApplication.objects.filter(clinic=self.clinic_id).first()
        return application.contact_email if application else ""


class CredentialRenewal(models.Model):
    """A renewed document a clinic uploaded from its account, for staff to check.

    Private like the credential's own document. Staff open it from admin, update the
    credential (its new expiry, the new document) and mark the renewal checked.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", gettext_lazy("Waiting for staff")
        CHECKED = "checked", gettext_lazy("Checked: the credential is updated")
        REFUSED = "refused", gettext_lazy("Not accepted")

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="renewals")
    document = models.FileField(
        storage=private_storage,
        upload_to=credential_document_path,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
    )
    note = models.CharField(max_length=300, blank=True, help_text="From the clinic.")
    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=8, choices=Status, default=Status.WAITING)
    staff_note = models.CharField(
        max_length=300, blank=True, help_text="Shown to the clinic when not accepted."
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Renewal of {self.credential} ({self.get_status_display()})"


CredentialEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class CredentialEmail(OutgoingEmail):
    """An email about a credential: the reminder to the clinic before it runs out."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", "Runs out soon, to the clinic"

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)
    # The expiry the email is about: a renewed credential (a new date) is reminded again.
    expires_on = models.DateField()

    sending_related = ("credential__clinic__city", "credential__artist")
    objects = CredentialEmailManager()

    def reader_language(self) -> str:
        return self.credential.clinic.language

    class Meta(OutgoingEmail.Meta):
        # OutgoingEmail.Meta's index, under a shorter name: "<app>_<table>_due" would run
        # past the 30 characters Django allows an index name here.
        indexes = [
            # The sweeper: rows by status and due time (OutgoingEmailQuerySet.stuck).
            models.Index(fields=["status", "next_attempt_at"], name="credentialemail_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "kind", "expires_on"], name="clinics_credential_email_once"
            ),
        ]


def refresh_badges(clinic_ids) -> None:
    """Store these clinics' credential badges (`Clinic.credential_badges`) on their rows,
    those not yet past their last day: one read and one UPDATE per clinic."""
    today = timezone.localdate()
    for pk in clinic_ids:
        badges = [
            {
                # Its kind, named in each reader's language when the badge is shown, and
                # staff's own title if any (`label`: as before, for the code it replaces).
                "kind": credential.kind,
                "title": credential.title,
                "label": credential.label,
                "artist": credential.artist.name if credential.artist else "",
                "issuer": credential.issuer,
                "checked_on": credential.checked_on.isoformat(),
                "expires_on": credential.expires_on and credential.expires_on.isoformat(),
            }
            for credential in Credential.objects.filter(clinic_id=pk)
            .valid_on(today)
            .select_related("artist")
        ]
        Clinic.objects.filter(pk=pk).update(
            credential_badges=badges,
            recommended_score=recommended_score(credentials=models.Value(len(badges))),
        )


def refresh_lapsed_badges() -> int:
    """Store again the badges of clinics whose stored badges name a credential past its
    last day, and with them their recommended score (a lapsed credential stops counting).

    The profile already hides such a badge when it reads the row; this is for the order,
    which is read from the column. Beat runs it hourly; it finds nothing to do on most
    runs. Returns how many clinics were refreshed."""
    today = timezone.localdate().isoformat()
    lapsed = [
        pk
        for pk, badges in Clinic.objects.exclude(credential_badges=[]).values_list(
            "pk", "credential_badges"
        )
        if any(badge.get("expires_on") and badge["expires_on"] < today for badge in badges)
    ]
    refresh_badges(lapsed)
    if lapsed:
        content_changed()  # an UPDATE sends no signal: the pages' order has changed
    return len(lapsed)
