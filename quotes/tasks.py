"""Celery tasks: thin wrappers that take ids; the work is in quotes/pipeline.py."""

from celery import shared_task

from . import pipeline


@shared_task(acks_late=True)
def process_quote(quote_id: int) -> None:
    pipeline.process_quote(quote_id)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> None:
    retry_in = pipeline.send_delivery(delivery_id)
    while retry_in is not None and self.request.is_eager:
        # In-process (no broker) there is nothing to wait with: try again at once.
        retry_in = pipeline.send_delivery(delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task
def sweep() -> dict:
    return pipeline.sweep()


@shared_task
def purge_expired_photos() -> int:
    return pipeline.purge_expired_photos()


@shared_task
def notify_reply_batches() -> int:
    from .replies import notify_reply_batches as notify

    return notify()


@shared_task
def send_new_links(quote_ids: list[int]) -> None:
    # Ids, not the address: task arguments can end up in a worker's logs.
    from .replies import send_new_links as send

    send(quote_ids)


@shared_task
def send_reminders() -> int:
    from .replies import send_reminders as remind

    return remind()


@shared_task
def update_stats() -> None:
    from .stats import update_city_prices, update_response_stats

    update_response_stats()
    update_city_prices()
