"""Celery tasks: thin wrappers around clinics/applications.py. Nothing imports this module:
outbox/queue.py enqueues its tasks by name."""

from celery import shared_task

from . import applications


# Re-encoding five large photos takes a few seconds; a stuck one is stopped, and retried
# by the sweeper once its lease has run out.
@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def process_application(application_id: int) -> None:
    applications.process_application(application_id)


@shared_task
def sweep_applications() -> int:
    return applications.sweep_applications()
