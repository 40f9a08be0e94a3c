"""The emails a contact message causes: the message to staff, a receipt to its sender."""

from outbox.kinds import EmailContent, email_kind

from .models import ContactEmail

Kind = ContactEmail.Kind


@email_kind(ContactEmail, Kind.STAFF, template="pages/email/contact_staff")
def contact_staff(email: ContactEmail) -> EmailContent:
    # Staff answer the sender directly.
    return EmailContent({"message": email.message}, reply_to=[email.message.email])


@email_kind(ContactEmail, Kind.RECEIPT, template="pages/email/contact_receipt")
def contact_receipt(email: ContactEmail) -> EmailContent:
    return EmailContent({"message": email.message})
