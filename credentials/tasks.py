"""Celery tasks: a thin wrapper around credentials/reminders.py.
Nothing imports this module: beat names the task."""

from celery import shared_task

from . import reminders


@shared_task
def remind_expiring_credentials() -> int:
    return reminders.send_expiry_reminders()
