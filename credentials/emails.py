"""The email about a credential: what the reminder before it runs out says.
outbox.compose renders it; outbox.sending sends each row once."""

from django.conf import settings

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
        }
    )
