"""A clinic's own changes to its listing, made from its account, and staff's decisions.

Practical details (hours, closures, languages, consultation options, pausing requests)
publish at once; what bears on trust (the description and summary, so far) waits for
staff as a pending change, which staff approve or send back with a reason. Every
change is a row: who made it, when, and each field's value before and after.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Artist, Clinic, ClinicPhoto, staff_member
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet

logger = logging.getLogger(__name__)

# Keys of `changes` that carry an upload rather than a field's value: a gallery photo
# stored but not public ("new_photo:<photo id>") and an artist's portrait stored but not
# shown ("portrait:<artist id>", its file's name in "after").
NEW_PHOTO, PORTRAIT = "new_photo:", "portrait:"


class ListingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ListingChange.Status.PENDING)


class ListingChange(models.Model):
    class Status(models.TextChoices):
        # Practical: live as soon as it was saved (kept as the record of who did it).
        PUBLISHED = "published", _("Published at once")
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved by staff")
        SENT_BACK = "sent_back", _("Sent back by staff")
        # A newer change to the same fields came before staff decided on this one.
        REPLACED = "replaced", _("Replaced by a newer change")
        # The clinic took it back before staff decided (a new photo it removed).
        WITHDRAWN = "withdrawn", _("Withdrawn by the clinic")

    # A price range outside this much of the city's middle half of quoted prices (below
    # half its lower quartile, above one and a half times its upper) waits for staff.
    BAND_LOW, BAND_HIGH = 0.5, 1.5

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="listing_changes")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now, editable=False)
    # {"field": {"label": ..., "before": ..., "after": ...}}, as the form saw them.
    changes = models.JSONField()
    status = models.CharField(max_length=10, choices=Status)
    reason = models.TextField(
        blank=True, max_length=2000, help_text="Why it was sent back (the clinic sees this)."
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = staff_member()

    objects = ListingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["status", "made_at"], name="listingchange_status_made")]

    def __str__(self) -> str:
        return f"{self.clinic.name}: {', '.join(self.field_labels())} ({self.get_status_display()})"

    def field_labels(self) -> list[str]:
        return [change.get("label", name) for name, change in self.changes.items()]

    @classmethod
    def record(cls, clinic: Clinic, user, changes: dict, *, checked: bool) -> "ListingChange":
        """Keep a change: published (it was applied already) or waiting for staff.

        A checked change replaces the clinic's pending change to the same fields: staff
        decide on what the clinic wants now, never on an older wish."""
        status = cls.Status.PENDING if checked else cls.Status.PUBLISHED
        with transaction.atomic():
            if checked:
                older = cls.objects.pending().filter(clinic=clinic).select_for_update()
                for row in older:
                    if set(row.changes) & set(changes):
                        row.status = cls.Status.REPLACED
                        row.save(update_fields=["status"])
                        row.discard_uploads()
            return cls.objects.create(clinic=clinic, made_by=user, changes=changes, status=status)

    def approve(self, staff) -> bool:
        """Publish a pending change; the listing counts as reviewed today. False if it was
        decided already."""
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.PENDING)
                .update(status=self.Status.APPROVED, decided_at=timezone.now(), decided_by=staff)
            )
            if not claimed:
                return False
            clinic = Clinic.objects.select_for_update().get(pk=self.clinic_id)
            now = timezone.now()
            for field, change in self.changes.items():
                if field.startswith("new_artist:"):
                    Artist.objects.create(clinic=clinic, **change["after"])
                    continue
                if field.startswith(NEW_PHOTO):
                    # The clinic declared the client's consent when it uploaded the photo;
                    # staff's approval records it. A photo flagged as a possible copy
                    # stays hidden until staff clear the match (ClinicPhotoQuerySet.public).
                    ClinicPhoto.objects.filter(pk=change["after"]["photo"], clinic=clinic).update(
                        consent_confirmed_at=now, consent_confirmed_by=staff
                    )
                    continue
                if field.startswith(PORTRAIT):
                    self._publish_portrait(clinic, field, change["after"]["file"])
                    continue
                setattr(clinic, field, change["after"])
            clinic.reviewed_at = timezone.now()
            # A confirmed withdrawal: off the site, and the account closes with it
            # (members/access.py lets members in only while the clinic is approved).
            clinic.save()  # the whole row: a new name gives a new search_name too
            if any(field.startswith(NEW_PHOTO) for field in self.changes):
                Clinic.objects.filter(pk=clinic.pk).refresh_covers()
            self.tell_owners(DecisionEmail.Kind.APPROVED)
        self.refresh_from_db()
        return True

    @staticmethod
    def _publish_portrait(clinic: Clinic, field: str, name: str) -> None:
        artist = Artist.objects.filter(pk=int(field.removeprefix(PORTRAIT)), clinic=clinic).first()
        if artist is None:  # removed by staff meanwhile: nothing to show it on
            _delete_files([name])
            return
        replaced = artist.portrait.name
        artist.portrait = name
        Artist._meta.get_field("portrait").update_dimension_fields(artist, force=True)
        artist.save()
        if replaced and replaced != name:
            transaction.on_commit(lambda: _delete_files([replaced]))

    def discard_uploads(self) -> None:
        """Delete what this change stored and nobody will publish now (sent back, replaced
        or withdrawn): a new gallery photo's row and files, a portrait's file."""
        for field, change in self.changes.items():
            if field.startswith(NEW_PHOTO):
                photo = ClinicPhoto.objects.filter(
                    pk=change["after"]["photo"], consent_confirmed_at__isnull=True
                ).first()
                if photo is not None:
                    delete_photo(photo)
            elif field.startswith(PORTRAIT):
                names: list[str] = [change["after"]["file"]]
                transaction.on_commit(partial(_delete_files, names))

    def send_back(self, staff, reason: str) -> bool:
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.PENDING)
                .update(
                    status=self.Status.SENT_BACK,
                    reason=reason,
                    decided_at=timezone.now(),
                    decided_by=staff,
                )
            )
            self.refresh_from_db()
            if claimed:
                self.discard_uploads()
                self.tell_owners(DecisionEmail.Kind.SENT_BACK)
        return bool(claimed)

    def tell_owners(self, kind: str) -> None:
        """One email to each owner of the clinic (sent once the decision is committed).
        A withdrawal confirmed closes the account: its owners are told all the same."""
        from members.models import ClinicMember

        owners = ClinicMember.objects.filter(
            clinic_id=self.clinic_id, role=ClinicMember.Role.OWNER
        ).values_list("user__email", flat=True)
        for address in sorted({address for address in owners if address}):
            DecisionEmail.objects.create(change=self, kind=kind, to_email=address).enqueue()

    def withdraw(self) -> bool:
        """The clinic takes back a change staff have not decided on (a photo it removed)."""
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.PENDING)
            .update(status=self.Status.WITHDRAWN)
        )
        return bool(claimed)


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # a file already gone, or storage out of reach: logged, not fatal
            logger.warning("Could not delete a listing upload", exc_info=True)


def delete_photo(photo: ClinicPhoto) -> None:
    """Delete a gallery photo's row and, once that is committed, its files."""
    names = [name for name in (photo.image.name, photo.thumbnail.name) if name]
    photo.delete()
    transaction.on_commit(lambda: _delete_files(names))


def prices_outside_band(clinic: Clinic, low: int | None, high: int | None) -> bool:
    """Whether a price range is far from what artists quote in the clinic's city (the
    city's figures from quotes/stats.py, in the clinic's currency). No figures yet:
    nothing to compare with, so it is not held."""
    band = (clinic.city.quoted_prices or {}).get(clinic.currency) if clinic.city else None
    if not band:
        return False
    if low is not None and low < band["low"] * ListingChange.BAND_LOW:
        return True
    return high is not None and high > band["high"] * ListingChange.BAND_HIGH


DecisionEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class DecisionEmail(OutgoingEmail):
    """Staff's decision on a pending change, to each of the clinic's owners."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Change approved"
        SENT_BACK = "sent_back", "Change sent back"

    change = models.ForeignKey(ListingChange, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("change__clinic",)
    objects = DecisionEmailManager()

    def reader_language(self) -> str:
        return self.change.clinic.language

    class Meta(OutgoingEmail.Meta):
        # OutgoingEmail.Meta's index, under a shorter name: "<app>_<table>_due" would run
        # past the 30 characters Django allows.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="decisionemail_due")]
        constraints = [
            # One email per owner and decision: deciding twice is refused before this.
            models.UniqueConstraint(
                fields=["change", "kind", "to_email"], name="listing_changes_one_decision_email"
            ),
        ]
