"""Enqueue Celery tasks by name, after the transaction commits, without ever failing the caller.

Redis may be down or hung: a failure is swallowed, never raised into a web request or an
admin save, because the database is the record of what is still to do and each app's
sweeper enqueues it again later. The broker's breaker (common/fail_open.py) logs one
warning a minute and, for a few seconds after a failure, does not try at all, so a hung
Redis holds one request for its socket timeout, not every one. Tasks are named, not
imported, so nothing but Celery depends on the tasks modules.
"""

import logging

from celery import current_app
from django.db import transaction

from common.fail_open import broker_breaker

logger = logging.getLogger(__name__)


def task_named(name: str):
    if name not in current_app.tasks:
        # A web process has not imported the apps' tasks modules yet: what a worker does
        # at start-up (autodiscovery through the import_modules signal), done once here.
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue(task_name: str, *args) -> bool:
    """Hand a task to the broker now (or run it here when Celery is eager). False on failure."""
    task = task_named(task_name)
    if task.app.conf.task_always_eager:
        try:
            task.apply_async(args)
        except Exception as exc:  # the task itself failed, here: its sweeper retries it
            logger.warning("%s%r failed: %r; the sweeper will retry", task_name, args, exc)
            return False
        return True
    return broker_breaker.call(
        f"enqueue {task_name}", lambda: task.apply_async(args) is not None, False
    )


def enqueue_on_commit(task_name: str, *args) -> None:
    """Enqueue once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task_name, *args), robust=True)
