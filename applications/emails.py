"""Every email about a clinic application: what each kind of ApplicationEmail says.
outbox.compose renders them; outbox.sending sends each row once."""

from django.conf import settings
from django.urls import reverse

from members.links import absolute_link
from members.models import SignInLink, normalise_email
from outbox.kinds import EmailContent, email_kind

from .models import ApplicationEmail

Kind = ApplicationEmail.Kind


def _base(email: ApplicationEmail) -> dict:
    return {"application": email.application, "clinic": email.application.clinic}


def _refused(email: ApplicationEmail) -> list[str]:
    """Why each photo the worker could not open was refused (applications/intake.py)."""
    return list(email.application.uploads.exclude(refused="").values_list("refused", flat=True))


@email_kind(ApplicationEmail, Kind.RECEIVED, template="applications/email/application_received")
def application_received(email: ApplicationEmail) -> EmailContent:
    return EmailContent({**_base(email), "refused": _refused(email)})


@email_kind(ApplicationEmail, Kind.STAFF, template="applications/email/application_staff")
def application_staff(email: ApplicationEmail) -> EmailContent:
    application = email.application
    admin_path = reverse("admin:applications_clinicapplication_change", args=[application.pk])
    return EmailContent(
        {
            **_base(email),
            "photo_count": application.uploads.ready().count(),
            "refused": _refused(email),
            "review_url": settings.SITE_URL + admin_path,
        }
    )


@email_kind(ApplicationEmail, Kind.APPROVED, template="applications/email/application_approved")
def application_approved(email: ApplicationEmail) -> EmailContent:
    """The listing's address (or what it still needs), and how requests reach the clinic
    and are answered: with a price through each request's link (quotes/reply_views.py),
    which the client's comparison page shows beside the other clinics' prices."""
    clinic = email.application.clinic
    invitation = (
        SignInLink.objects.filter(
            purpose=SignInLink.Purpose.INVITATION,
            clinic=clinic,
            email=normalise_email(email.to_email),
        )
        .order_by("-created_at")
        .first()
    )
    return EmailContent(
        {
            **_base(email),
            "sign_in_url": absolute_link(invitation.pk) if invitation else "",
            "invitation_days": settings.MEMBER_INVITATION_DAYS,
            "account_sign_in_url": settings.SITE_URL + reverse("members:sign-in"),
            "listed": clinic.is_listed(),
            "listing_url": settings.SITE_URL + clinic.get_absolute_url(),
            "reply_days": settings.QUOTE_REPLY_LINK_DAYS,
        }
    )


@email_kind(ApplicationEmail, Kind.REJECTED, template="applications/email/application_rejected")
def application_rejected(email: ApplicationEmail) -> EmailContent:
    return EmailContent(_base(email))
