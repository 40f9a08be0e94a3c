"""Celery tasks: thin wrappers. Nothing imports this module: outbox/queue.py and beat name
the tasks."""

from celery import shared_task

from . import invites, photos


@shared_task(acks_late=True)
def sanitise_review_photos(review_id: int) -> int:
    return photos.sanitise_review_photos(review_id)


@shared_task
def send_review_invites() -> int:
    return invites.send_review_invites()


@shared_task
def sweep_review_photos() -> int:
    return photos.sweep_unsanitised()
