"""Celery tasks: thin wrappers around credentials/reminders.py and the badge refresh.
Nothing imports this module: beat names the task."""

from celery import shared_task

from . import models, reminders


@shared_task
def remind_expiring_credentials() -> int:
    return reminders.send_expiry_reminders()


@shared_task
def refresh_lapsed_badges() -> int:
    return models.refresh_lapsed_badges()
