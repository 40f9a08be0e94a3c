"""Every email about a seat enquiry: what each kind of EnquiryEmail says, and to whom it
replies. outbox.compose renders them; outbox.sending sends each row once."""

from django.conf import settings

from outbox.kinds import EmailContent, email_kind

from .links import absolute, seats_path
from .models import EnquiryEmail

Kind = EnquiryEmail.Kind


def _base(email: EnquiryEmail) -> dict:
    enquiry = email.enquiry
    training_class = enquiry.training_class
    return {
        "enquiry": enquiry,
        "training_class": training_class,
        "event": training_class.event,
        "class_url": absolute(training_class.get_absolute_url()),
    }


@email_kind(EnquiryEmail, Kind.ORGANISER, template="training/email/enquiry_organiser")
def enquiry_organiser(email: EnquiryEmail) -> EmailContent:
    enquiry = email.enquiry
    training_class = enquiry.training_class
    clinic = enquiry.clinic if enquiry.clinic is not None and enquiry.clinic.is_listed() else None
    context = {
        **_base(email),
        "clinic_url": absolute(clinic.get_absolute_url()) if clinic else "",
        "seats_url": absolute(seats_path(training_class.pk, email.to_email)),
        "seat_link_days": settings.TRAINING_SEAT_LINK_DAYS,
    }
    # The organiser answers the artist directly.
    return EmailContent(context, reply_to=[enquiry.email])


@email_kind(EnquiryEmail, Kind.CONFIRMATION, template="training/email/enquiry_confirmation")
def enquiry_confirmation(email: EnquiryEmail) -> EmailContent:
    return EmailContent(_base(email))
