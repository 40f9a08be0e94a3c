"""`make run` without Redis: the Celery beat schedule, run in a process of its own.

Without a broker there is no worker and no beat, so scheduled work (the reply batch that
emails clients, reminders, releasing held requests, the sweepers, retention purges)
would never happen on a developer's machine. This runs each task of
CELERY_BEAT_SCHEDULE in this process at its interval, eagerly, as beat would enqueue it.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from outbox.queue import task_named

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the Celery beat schedule in this process (for `make run`, which has no beat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every task once and stop")

    def handle(self, *args, once: bool, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        due = dict.fromkeys(schedule, 0.0)
        # One line per task per minute would bury the site's own output in `make run`.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        self.stdout.write(f"Running {len(schedule)} scheduled tasks in this process.")
        while True:
            for name, entry in schedule.items():
                if time.monotonic() < due[name]:
                    continue
                close_old_connections()
                try:
                    task_named(entry["task"]).apply(throw=True)
                except Exception:
                    logger.exception("Scheduled task %s failed", name)
                due[name] = time.monotonic() + float(entry["schedule"])
            if once:
                return
            time.sleep(1)
