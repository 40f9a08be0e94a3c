"""The email about a credential: what the reminder before it runs out says.
outbox.compose renders it; outbox.sending sends each row once."""

from django.conf import settings
from django.urls import reverse

from outbox.kinds import EmailContent, email_kind

from .models import CredentialEmail


@email_kind(
    CredentialEmail, CredentialEmail.Kind.EXPIRING, template="credentials/email/credential_expiring"
)
def credential_expiring(email: CredentialEmail) -> EmailContent:
    credential = email.credential
    return EmailContent(
        {
            "credential": credential,
            "clinic": credential.clinic,
            "expires_on": email.expires_on,
            "listing_url": settings.SITE_URL + credential.clinic.get_absolute_url(),
            # The clinic account's upload (an owner signs in first, then lands on it).
            "renew_url": settings.SITE_URL
            + reverse("credentials_account:renew", args=[credential.pk]),
        }
    )
