"""Emails about clinic applications: to staff when one arrives, to the applicant on a decision."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)


def _build(name: str, context: dict, to: list[str]) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
    subject = render_to_string(f"clinics/email/{name}_subject.txt", context)
    text = render_to_string(f"clinics/email/{name}_body.txt", context)
    html = render_to_string(f"clinics/email/{name}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=to)
    message.attach_alternative(html, "text/html")
    message.tags = [f"clinic-{name.replace('_', '-')}"]
    return message


def staff_notification(application) -> EmailMultiAlternatives | None:
    """A new application, for STAFF_NOTIFICATION_EMAILS (None when nobody is listed)."""
    if not settings.STAFF_NOTIFICATION_EMAILS:
        return None
    admin_path = reverse("admin:clinics_clinicapplication_change", args=[application.pk])
    return _build(
        "application_staff",
        {
            "application": application,
            "clinic": application.clinic,
            "photo_count": application.clinic.photos.count(),
            "review_url": settings.SITE_URL + admin_path,
        },
        list(settings.STAFF_NOTIFICATION_EMAILS),
    )


def send_staff_notification(application_id: int) -> None:
    """Run after the application has committed; a failure is logged, staff see the admin list."""
    from .models import ClinicApplication

    application = (
        ClinicApplication.objects.select_related("clinic__city").filter(pk=application_id).first()
    )
    if application is None:
        return
    message = staff_notification(application)
    if message is not None:
        message.send()


def approval_email(application) -> EmailMultiAlternatives:
    clinic = application.clinic
    return _build(
        "application_approved",
        {
            "application": application,
            "clinic": clinic,
            "listing_url": settings.SITE_URL + clinic.get_absolute_url(),
        },
        [application.contact_email],
    )


def rejection_email(application) -> EmailMultiAlternatives:
    return _build(
        "application_rejected",
        {"application": application, "clinic": application.clinic},
        [application.contact_email],
    )
