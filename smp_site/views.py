"""Site-wide views: health check and robots.txt."""

from functools import partial

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(
        str(settings.REDIS_URL), socket_timeout=2, socket_connect_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_storage(alias: str) -> None:
    # A listing, not exists(): S3 answers HEAD on a key in a missing bucket with a plain
    # 404, which exists() takes for "no such file"; listing a missing bucket fails.
    storages[alias].listdir("healthz-probe/")


@never_cache
@require_safe
def healthz(request):
    """200 when every configured backing service answers, 503 naming the ones that don't."""
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    if settings.STORAGE_BACKEND == "s3":
        checks["media_storage"] = partial(_check_storage, "default")
        checks["quote_photo_storage"] = partial(_check_storage, "quote_photos")

    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # any failure is a failed check, reported by name
            results[name] = f"error: {exc.__class__.__name__}"
        else:
            results[name] = "ok"

    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "fail", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /near-me/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
