"""The worker's heartbeat, for the health check (common/health.py). Beat names it."""

from celery import shared_task

from common import health


@shared_task(ignore_result=True)
def heartbeat() -> None:
    health.record_heartbeat()
