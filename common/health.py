"""Health checks for load balancers, container healthchecks and people.

- `/healthz/live/`: the process answers. Nothing else is touched, so a database or
  Redis blip never gets a healthy web process restarted.
- `/healthz/ready/` (and `/healthz/`): may this process take traffic? 503 only when the
  database fails, or a check named in HEALTHZ_FATAL ("redis", "storage"). Redis and the
  S3 buckets are always reported by name; by default their failure answers 200 with
  status "degraded", since the site serves pages without them (common/fail_open.py).

Both answer GET and HEAD, over plain http, to any Host: a probe that knows the machine
only by its IP address gets an answer, not Django's 400 for an unknown host, because the
middleware answers before anything reads the Host header (it is first in MIDDLEWARE).
"""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.files.storage import storages
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


def _checks() -> dict[str, tuple[Callable[[], None], bool]]:
    """Each check by name, with whether its failure makes the process unready."""
    fatal = set(settings.HEALTHZ_FATAL)
    checks: dict[str, tuple[Callable[[], None], bool]] = {"database": (_check_database, True)}
    if settings.REDIS_URL:
        checks["redis"] = (_check_redis, "redis" in fatal)
    if settings.STORAGE_BACKEND == "s3":
        for name, alias in (("media_storage", "default"), ("private_storage", "private")):
            checks[name] = (partial(_check_storage, alias), "storage" in fatal)
    return checks


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
        except Exception as exc:  # any failure is a failed check, reported by name
            results[name] = f"error: {exc.__class__.__name__}"
            ready = ready and not fatal
            degraded = True
        else:
            results[name] = "ok"
    status = "fail" if not ready else ("degraded" if degraded else "ok")
    return _answer(request, {"status": status, "checks": results}, 200 if ready else 503)


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
