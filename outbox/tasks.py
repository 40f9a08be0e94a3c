"""Celery tasks: thin wrappers around outbox/sending.py. Nothing imports this module;
outbox/queue.py enqueues its tasks by name."""

from celery import shared_task

from . import sending


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_email(self, model_label: str, pk: int) -> None:
    model = sending.model_for(model_label)
    retry_in = sending.send_email(model, pk)
    while retry_in is not None and self.request.is_eager:
        # In-process (no broker) there is nothing to wait with: try again at once.
        retry_in = sending.send_email(model, pk)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task
def sweep() -> int:
    return sending.sweep()
