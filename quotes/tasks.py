"""Celery tasks: thin wrappers that take ids; the work is in quotes/pipeline.py and stats.py.
Nothing imports this module: outbox/queue.py enqueues tasks by name."""

from celery import shared_task

from . import pipeline, stats


@shared_task(acks_late=True)
def process_quote(quote_id: int) -> None:
    pipeline.process_quote(quote_id)


@shared_task
def sweep_requests() -> int:
    return pipeline.sweep_requests()


@shared_task
def purge_expired_photos() -> int:
    # The retention rules the privacy policy states: photos, spam traces, old requests.
    return pipeline.purge_expired_photos() + pipeline.purge_spam() + pipeline.erase_old_requests()


@shared_task
def release_held_requests() -> int:
    return pipeline.release_held_requests()


@shared_task
def notify_reply_batches() -> int:
    return pipeline.notify_reply_batches()


@shared_task
def send_reminders() -> int:
    return pipeline.send_reminders()


@shared_task
def update_stats() -> None:
    stats.update_response_stats()
    stats.update_city_prices()
