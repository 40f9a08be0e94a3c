"""What staff should look at first, on the admin index: credentials about to run out (or
just run out) and gallery photos that may be another clinic's. Template tags, so the
admin index needs no view of its own."""

from django import template
from django.conf import settings
from django.utils import timezone

from clinics.models import ClinicPhoto

from ..models import Credential

register = template.Library()

# The admin index lists at most this many; the full list is one click away.
MAX_ROWS = 15


@register.inclusion_tag("admin/credentials/includes/staff_watch.html")
def clinic_watch() -> dict:
    today = timezone.localdate()
    lapsing = (
        Credential.objects.lapsing(today, settings.CREDENTIAL_REMINDER_DAYS)
        .select_related("clinic", "artist")
        .order_by("expires_on", "pk")
    )
    return {
        "today": today,
        "credentials": list(lapsing[:MAX_ROWS]),
        "credential_count": lapsing.count(),
        "flagged_photos": ClinicPhoto.objects.awaiting_staff().count(),
        "waiting_photos": ClinicPhoto.objects.filter(consent_confirmed_at__isnull=True).count(),
        "days": settings.CREDENTIAL_REMINDER_DAYS,
    }
