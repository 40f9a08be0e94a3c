from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone


@pytest.mark.django_db
def test_healthy_site_answers_200_with_json(client):
    from common import health

    health.record_heartbeat()  # a worker at work (without Redis, none is checked)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_redis_is_reported_but_the_site_stays_ready(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_redis_can_be_made_fatal_by_a_setting(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTHZ_FATAL = ["redis"]
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["redis"].startswith("error")


def test_liveness_touches_nothing(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise AssertionError("liveness must not touch the database")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz/", "/healthz/ready/", "/healthz/live/"])
def test_probes_answer_head_and_any_host(client, path):
    """A load balancer probes by IP address, often with HEAD: neither gets a 400 or 405."""
    head = client.head(path, HTTP_HOST="10.1.2.3:8000")
    assert head.status_code == 200 and head.content == b""
    assert client.get(path, HTTP_HOST="10.1.2.3").status_code == 200
    assert client.get("/clinics/", HTTP_HOST="10.1.2.3").status_code == 400  # others still


@pytest.mark.django_db
def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/live/", HTTP_HOST="10.1.2.3").status_code == 200
    assert client.get("/healthz/ready/").status_code == 200


@pytest.mark.django_db
def test_configured_redis_is_checked(client, settings):
    from tests.services import missing

    if not settings.REDIS_URL:
        missing("REDIS_URL is not set, so the Redis health check cannot be exercised")
    assert client.get("/healthz/").json()["checks"]["redis"] == "ok"


def test_a_broken_database_gives_503(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: ConnectionError"


def test_a_server_error_gets_the_friendly_page(client, monkeypatch):
    from clinics import views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "country_list", broken)
    import importlib

    from django.urls import clear_url_caches

    import clinics.urls
    import smp_site.urls

    importlib.reload(clinics.urls)
    importlib.reload(smp_site.urls)
    clear_url_caches()
    client.raise_request_exception = False
    try:
        response = client.get("/clinics/")
        assert response.status_code == 500
        assert "Sorry, something went wrong on our side" in response.content.decode()
    finally:
        monkeypatch.undo()
        importlib.reload(clinics.urls)
        importlib.reload(smp_site.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_the_probe_reports_free_disk_and_the_oldest_request_and_email_still_waiting(client):
    from common import health
    from quotes.models import QuoteDelivery, QuoteRequest
    from tests.factories import CityFactory
    from tests.quotes.support import make_quote

    city = CityFactory()
    figures = client.get("/healthz/ready/").json()["figures"]
    assert figures["disk_free_mb"] > 0
    assert figures["oldest_waiting_request_seconds"] is None
    assert figures["oldest_unsent_email_seconds"] is None

    quote = make_quote(city)
    QuoteRequest.objects.filter(pk=quote.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    row = QuoteDelivery.objects.create(
        quote=quote, kind="confirmation", to_email="sam@client.example"
    )
    QuoteDelivery.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=2))

    health.record_heartbeat()
    body = client.get("/healthz/ready/").json()
    assert 600 <= body["figures"]["oldest_waiting_request_seconds"] < 700
    assert 7200 <= body["figures"]["oldest_unsent_email_seconds"] < 7300
    assert body["status"] == "ok"  # reported, not judged


@pytest.mark.django_db
def test_a_nearly_full_disk_is_reported_and_fatal_only_if_configured(client, settings):
    settings.HEALTHZ_MIN_FREE_MB = 10**12  # more than any disk here has
    body = client.get("/healthz/ready/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["private_storage"].startswith("error: ")
    assert body["checks"]["private_storage"].endswith(" MB free")
    settings.HEALTHZ_FATAL = ["storage"]
    assert client.get("/healthz/ready/").status_code == 503


@pytest.mark.django_db
def test_a_private_storage_that_cannot_be_written_is_reported(client, settings, private_dir):
    from tests.quotes.support import DiskFullStorage

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "tests.quotes.support.DiskFullStorage",
            "OPTIONS": {"location": private_dir, "base_url": None},
        },
    }
    DiskFullStorage.full = True
    try:
        body = client.get("/healthz/ready/").json()
    finally:
        DiskFullStorage.full = False
    assert body["checks"]["private_storage"] == "error: OSError"
    assert body["status"] == "degraded"
    assert not [path for path in private_dir.rglob("*") if path.is_file()]  # no probe left


@pytest.mark.django_db
def test_a_worker_whose_heartbeat_stopped_is_reported(client, settings):
    from common import health

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the worker check runs where Redis does
    settings.HEALTHZ_WORKER_SILENT_SECONDS = 45
    assert client.get("/healthz/").json()["checks"]["worker"] == "error: no heartbeat yet"
    health.record_heartbeat()
    assert client.get("/healthz/").json()["checks"]["worker"] == "ok"
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        body = client.get("/healthz/").json()
    assert body["checks"]["worker"] == "error: last heartbeat 60 s ago"
    assert body["status"] == "degraded"
    settings.HEALTHZ_FATAL = ["worker"]
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        assert client.get("/healthz/").status_code == 503
