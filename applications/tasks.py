"""Celery tasks: thin wrappers around applications/intake.py.
Nothing imports this module: outbox/queue.py and beat name the tasks."""

from celery import shared_task

from . import intake


# Re-encoding five large photos takes a few seconds; a stuck one is stopped, and retried
# by the sweeper once its lease has run out.
@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def process_application(application_id: int) -> None:
    intake.process_application(application_id)


@shared_task
def sweep_applications() -> int:
    return intake.sweep_applications()
