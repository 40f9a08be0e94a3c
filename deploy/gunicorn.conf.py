"""gunicorn behind the buffering proxy (deploy/nginx), for docker-compose and `make prod`.

nginx receives every request in full before it passes it on, so a sync worker never
waits on a slow client: requests reach it at loopback speed, and 30 s is a generous
timeout for the slowest page. Workers are replaced after a couple of thousand requests,
at staggered moments, so that a slow leak cannot grow without bound.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One sync worker per core, and one more for a request waiting on the network (S3, the
# ESP): measured on 2 cores (README, "Performance"), 5 workers served no more pages than 2
# and made the slowest 1% twenty times slower; 4 threads per worker did no better.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 2
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file in memory: a container's /tmp may sit on a slow overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No access log (the proxy keeps one, redacted); the error log through the site's filter,
# since gunicorn quotes request lines in it.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "common.logs.RedactFilter"}},
    "formatters": {"generic": {"format": "%(asctime)s [%(process)d] %(levelname)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "generic",
            "filters": ["redact"],
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "generic",
            "filters": ["redact"],
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
