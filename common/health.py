"""Health checks for load balancers, container healthchecks and people.

- `/healthz/live/`: the process answers. Nothing else is touched, so a database or
  Redis blip never gets a healthy web process restarted.
- `/healthz/ready/` (and `/healthz/`): may this process take traffic? 503 only when the
  database fails, or a check named in HEALTHZ_FATAL ("redis", "storage", "worker").
  Redis, the storage (writable, and on a local disk with HEALTHZ_MIN_FREE_MB free) and
  the Celery worker (its heartbeat seen within HEALTHZ_WORKER_SILENT_SECONDS) are always
  reported by name; by default their failure answers 200 with status "degraded", since
  the site serves pages without them (common/fail_open.py). `figures` reports what an
  operator watches: free disk, the queue's depth, and what apps register (the age of the
  oldest request and email still waiting: register_figure).

Both answer GET and HEAD, over plain http, to any Host: a probe that knows the machine
only by its IP address gets an answer, not Django's 400 for an unknown host, because the
middleware answers before anything reads the Host header (it is first in MIDDLEWARE).
"""

import shutil
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(
        str(settings.REDIS_URL),
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_storage(alias: str) -> None:
    # A listing, not exists(): S3 answers HEAD on a key in a missing bucket with a plain
    # 404, which exists() takes for "no such file"; listing a missing bucket fails.
    storages[alias].listdir("healthz-probe/")


class StorageProblem(Exception):
    pass


def _check_private_storage_writable() -> None:
    """Clients' photos are written here: a probe file is written and deleted, and a local
    disk must keep HEALTHZ_MIN_FREE_MB free (a full disk keeps requests waiting)."""
    storage = storages["private"]
    name = storage.get_available_name(f"healthz-probe/{time.time_ns()}.txt")
    try:
        storage.save(name, ContentFile(b"probe"))
    finally:
        if storage.exists(name):  # written whole, or in part before the disk filled up
            storage.delete(name)
    free = _free_megabytes()
    if free is not None and free < settings.HEALTHZ_MIN_FREE_MB:
        raise StorageProblem(f"{free} MB free")


def _free_megabytes() -> int | None:
    storage = storages["private"]
    if not isinstance(storage, FileSystemStorage):
        return None  # a bucket has no free space to run out of
    return shutil.disk_usage(storage.location).free // (1024 * 1024)


# The worker's heartbeat: a beat task every WORKER_HEARTBEAT_SECONDS runs on a worker and
# stores the time here, so a stopped worker (or beat) shows once it is older than
# HEALTHZ_WORKER_SILENT_SECONDS.
HEARTBEAT_KEY = "health:worker-heartbeat"


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def _worker_silent_seconds() -> float | None:
    seen = cache.get(HEARTBEAT_KEY)
    return None if seen is None else max(0.0, time.time() - seen)


class WorkerSilent(Exception):
    pass


def _check_worker() -> None:
    silent = _worker_silent_seconds()
    if silent is None:
        raise WorkerSilent("no heartbeat yet")
    if silent > settings.HEALTHZ_WORKER_SILENT_SECONDS:
        raise WorkerSilent(f"last heartbeat {silent:.0f} s ago")


def _checks() -> dict[str, tuple[Callable[[], None], bool]]:
    """Each check by name, with whether its failure makes the process unready."""
    fatal = set(settings.HEALTHZ_FATAL)
    checks: dict[str, tuple[Callable[[], None], bool]] = {"database": (_check_database, True)}
    if settings.REDIS_URL:
        checks["redis"] = (_check_redis, "redis" in fatal)
        # Without Redis there is no worker: `make run` runs the schedule beside the site.
        checks["worker"] = (_check_worker, "worker" in fatal)
    if settings.STORAGE_BACKEND == "s3":
        checks["media_storage"] = (partial(_check_storage, "default"), "storage" in fatal)
    checks["private_storage"] = (_check_private_storage_writable, "storage" in fatal)
    return checks


# Figures an app reports on the probe, by name: a function returning a number or None.
# Registered in the apps' ready() (quotes: the oldest waiting request; outbox: the oldest
# unsent email), so this module imports no app.
FIGURES: dict[str, Callable[[], float | int | None]] = {}


def register_figure(name: str, figure: Callable[[], float | int | None]) -> None:
    FIGURES[name] = figure


def _queue_depth() -> int | None:
    """Tasks waiting in the Celery broker's default queue (Redis only)."""
    from celery import current_app

    broker = str(current_app.conf.broker_url or "")
    if not broker.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(
        broker,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        return int(client.llen("celery"))
    finally:
        client.close()


def _figures() -> dict[str, float | int | str | None]:
    sources: dict[str, Callable[[], float | int | None]] = {"disk_free_mb": _free_megabytes}
    if settings.REDIS_URL:
        sources["queue_depth"] = _queue_depth
        sources["worker_silent_seconds"] = _worker_silent_seconds
    sources.update(FIGURES)
    figures: dict[str, float | int | str | None] = {}
    for name, source in sources.items():
        try:
            value = source()
        except Exception as exc:  # a figure that cannot be read is said so, not fatal
            figures[name] = f"error: {exc.__class__.__name__}"
        else:
            figures[name] = round(value, 1) if isinstance(value, float) else value
    return figures


def _answer(request: HttpRequest, body: dict, status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    if request.method == "HEAD":
        response.content = b""
    return response


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    return _answer(request, {"status": "ok"}, 200)


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    """200 "ok", 200 "degraded" (a non-fatal check failed), or 503 "fail", each check named."""
    results, ready, degraded = {}, True, False
    for name, (check, fatal) in _checks().items():
        try:
            check()
        except (StorageProblem, WorkerSilent) as exc:  # our own words: no secret in them
            results[name] = f"error: {exc}"
            ready = ready and not fatal
            degraded = True
        except Exception as exc:  # any failure is a failed check, reported by name
            results[name] = f"error: {exc.__class__.__name__}"
            ready = ready and not fatal
            degraded = True
        else:
            results[name] = "ok"
    status = "fail" if not ready else ("degraded" if degraded else "ok")
    body = {"status": status, "checks": results, "figures": _figures()}
    return _answer(request, body, 200 if ready else 503)


PROBES = {"/healthz/": ready, "/healthz/ready/": ready, "/healthz/live/": live}


class HealthCheckMiddleware:
    """Answers the probes before the Host is validated, https enforced or a session read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
