"""Celery tasks: thin wrappers around clinics/applications.py and clinics/credentials.py.
Nothing imports this module: outbox/queue.py and beat name the tasks."""

from celery import shared_task

from . import applications, credentials


# Re-encoding five large photos takes a few seconds; a stuck one is stopped, and retried
# by the sweeper once its lease has run out.
@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def process_application(application_id: int) -> None:
    applications.process_application(application_id)


@shared_task
def sweep_applications() -> int:
    return applications.sweep_applications()


@shared_task
def remind_expiring_credentials() -> int:
    return credentials.send_expiry_reminders()
