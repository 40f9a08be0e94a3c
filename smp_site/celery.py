import os

from celery import Celery, Task
from celery.signals import setup_logging, task_postrun, task_prerun
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")


class SiteTask(Task):
    """Every task of the site. A database that is briefly away (a restart, a failover) is
    tried again after seconds (2, 4, 8... at most a minute apart, with jitter), not left
    for the sweepers' next round; Celery's Django fixup replaces the broken connection
    before each run. The claims in the database keep a task that runs twice from doing
    its work twice."""

    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 10


app = Celery("smp_site", task_cls=SiteTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _site_logging(**kwargs) -> None:
    """The worker and beat log through the site's LOGGING: redacted, with request ids."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
def _task_id_as_request_id(task_id=None, **kwargs) -> None:
    from common.logs import request_id

    request_id.set(task_id or "-")


@task_postrun.connect
def _forget_task_id(**kwargs) -> None:
    from common.logs import forget_request_id

    forget_request_id()
