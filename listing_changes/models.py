"""A clinic's own changes to its listing, made from its account, and staff's decisions.

Practical details (hours, closures, languages, consultation options, pausing requests)
publish at once; what bears on trust (the description and summary, so far) waits for
staff as a pending change, which staff approve or send back with a reason. Every
change is a row: who made it, when, and each field's value before and after.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from clinics.models import Artist, Clinic, staff_member


class ListingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ListingChange.Status.PENDING)


class ListingChange(models.Model):
    class Status(models.TextChoices):
        # Practical: live as soon as it was saved (kept as the record of who did it).
        PUBLISHED = "published", "Published at once"
        PENDING = "pending", "Waiting for staff"
        APPROVED = "approved", "Approved by staff"
        SENT_BACK = "sent_back", "Sent back by staff"
        # A newer change to the same fields came before staff decided on this one.
        REPLACED = "replaced", "Replaced by a newer change"

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
            for field, change in self.changes.items():
                if field.startswith("new_artist:"):
                    Artist.objects.create(clinic=clinic, **change["after"])
                    continue
                setattr(clinic, field, change["after"])
            clinic.reviewed_at = timezone.now()
            # A confirmed withdrawal: off the site, and the account closes with it
            # (members/access.py lets members in only while the clinic is approved).
            clinic.save()  # the whole row: a new name gives a new search_name too
        self.refresh_from_db()
        return True

    def send_back(self, staff, reason: str) -> bool:
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
        return bool(claimed)


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
