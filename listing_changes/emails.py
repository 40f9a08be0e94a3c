"""The email telling a clinic's owners what staff decided on a change they asked for."""

from django.conf import settings
from django.urls import reverse

from outbox.kinds import EmailContent, email_kind

from .models import NEW_PHOTO, PORTRAIT, DecisionEmail

Kind = DecisionEmail.Kind


def _page_for(fields: dict) -> str:
    """The account page the change was made on: where to make it again."""
    if any(key.startswith(NEW_PHOTO) for key in fields):
        return reverse("listing_changes:photos")
    if any(key.startswith((PORTRAIT, "new_artist:")) for key in fields):
        return reverse("listing_changes:artists")
    return reverse("listing_changes:edit")


def _context(email: DecisionEmail) -> dict:
    change = email.change
    fields = change.changes
    return {
        "change": change,
        "clinic": change.clinic,
        "labels": change.field_labels(),
        "photos": any(key.startswith((NEW_PHOTO, PORTRAIT)) for key in fields),
        "withdrawal": "status" in fields,
        "reason": change.reason,
        "listing_url": settings.SITE_URL + _page_for(fields),
        "profile_url": settings.SITE_URL + change.clinic.get_absolute_url(),
    }


@email_kind(DecisionEmail, Kind.APPROVED, template="listing_changes/email/approved")
def approved(email: DecisionEmail) -> EmailContent:
    return EmailContent(_context(email))


@email_kind(DecisionEmail, Kind.SENT_BACK, template="listing_changes/email/sent_back")
def sent_back(email: DecisionEmail) -> EmailContent:
    return EmailContent(_context(email))
