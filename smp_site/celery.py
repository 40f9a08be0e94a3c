import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")

app = Celery("smp_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
