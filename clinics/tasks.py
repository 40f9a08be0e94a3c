"""Celery tasks: thin wrappers. Nothing imports this module: outbox/queue.py and beat name
the tasks."""

from celery import shared_task

from . import credentials


@shared_task
def remind_expiring_credentials() -> int:
    return credentials.send_expiry_reminders()
