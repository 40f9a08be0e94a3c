"""The email telling a clinic's owners what staff decided on a change they asked for."""

from django.conf import settings
from django.urls import reverse

from outbox.kinds import EmailContent, email_kind

from .models import NEW_PHOTO, PORTRAIT, DecisionEmail

Kind = DecisionEmail.Kind


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
        "listing_url": settings.SITE_URL + reverse("listing_changes:edit"),
        "profile_url": settings.SITE_URL + change.clinic.get_absolute_url(),
    }


@email_kind(DecisionEmail, Kind.APPROVED, template="listing_changes/email/approved")
def approved(email: DecisionEmail) -> EmailContent:
    return EmailContent(_context(email))


@email_kind(DecisionEmail, Kind.SENT_BACK, template="listing_changes/email/sent_back")
def sent_back(email: DecisionEmail) -> EmailContent:
    return EmailContent(_context(email))
