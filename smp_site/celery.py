import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

app = Celery("smp_site")
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
