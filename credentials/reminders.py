"""Credentials that run out: the reminder each clinic gets before one does.

A plain function for credentials/tasks.py (beat runs it daily): each run creates only the
reminders due and not yet created, so running it twice sends nothing twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Clinic, Credential, CredentialEmail


def send_expiry_reminders(today: date | None = None) -> int:
    """Email each listed clinic once, CREDENTIAL_REMINDER_DAYS before a credential runs out.

    One reminder per credential and expiry date: a renewed credential (a new expiry) is
    reminded again next time. Returns how many reminders were created.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CREDENTIAL_REMINDER_DAYS)
    reminded = CredentialEmail.objects.filter(
        credential=OuterRef("pk"),
        kind=CredentialEmail.Kind.EXPIRING,
        expires_on=OuterRef("expires_on"),
    )
    due = (
        Credential.objects.filter(
            expires_on__gte=today, expires_on__lte=horizon, clinic__status=Clinic.Status.APPROVED
        )
        .exclude(Exists(reminded))
        .select_related("clinic")
    )
    rows = [
        CredentialEmail(
            credential=credential,
            kind=CredentialEmail.Kind.EXPIRING,
            expires_on=credential.expires_on,
            to_email=address,
        )
        for credential in due
        if (address := credential.reminder_address())
    ]
    created = CredentialEmail.objects.bulk_create(rows, ignore_conflicts=True)
    CredentialEmail.objects.filter(kind=CredentialEmail.Kind.EXPIRING).enqueue()
    return len(created)
