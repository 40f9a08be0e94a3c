"""Celery tasks of the directory. Nothing imports this module: beat names the task."""

from celery import shared_task

from .models import Clinic


@shared_task
def resume_paused_requests() -> int:
    """Clinics whose pause has reached its return date take requests again (they already
    do, in every query; this clears the flag for the account page and staff's lists)."""
    return Clinic.objects.resume_paused_requests()
