"""The site with its Redis gone (nothing listening) or hung (SIGSTOP): pages and staff work go
on, with the rate limits on. (A quote sent meanwhile reaches its thanks page, and every
artist once Redis is back: tests/integration/test_quote_pipeline.py.)"""

import logging

import pytest
from django.urls import reverse

from clinics.models import City, Clinic
from tests.factories import ArticleFactory, CityFactory, ClinicFactory
from tests.integration.conftest import assert_redis_bounded

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(settings):
    settings.PAGE_CACHE_ENABLED = True  # as in production: the page cache must fail open
    city = CityFactory(name="Leeds", slug="leeds", country="GB")
    clinics = [
        ClinicFactory(city=city, name=f"Leeds Clinic {n}", quote_email=f"artist{n}@clinics.example")
        for n in range(3)
    ]
    article = ArticleFactory(title="How long does SMP last")
    return city, clinics, article


@pytest.fixture(params=["down", "hung"])
def outage(request, redis_server):
    """Redis gone (killed: nothing listens on its port) or hung (stopped with SIGSTOP)."""
    stop, start = {
        "down": (redis_server.stop, redis_server.start),
        "hung": (redis_server.pause, redis_server.resume),
    }[request.param]
    return request.param, stop, start


def _public_pages(city, clinic, article) -> list[str]:
    return [
        "/",
        reverse("clinics:countries"),
        f"/clinics/{city.country_slug}/",
        city.get_absolute_url(),
        clinic.get_absolute_url(),
        reverse("clinics:search") + "?q=leeds",
        reverse("clinics:near-me") + "?place=Leeds",
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("articles:faq"),
        "/sitemap.xml",
        "/robots.txt",
        reverse("quotes:request") + f"?city={city.pk}",
        reverse("applications:apply"),
        reverse("training:list"),
        reverse("pages:how-we-approve-clinics"),
        reverse("pages:contact"),
    ]


def test_every_public_page_answers_having_waited_on_redis_once_at_most(
    client, worker, pipeline_env, directory, outage, caplog, redis_waits, settings
):
    city, clinics, article = directory
    kind, stop, start = outage
    for url in _public_pages(city, clinics[0], article):  # warm: cached while Redis works
        assert client.get(url).status_code == 200
    caplog.set_level(logging.WARNING)
    stop()
    try:
        for _ in range(2):  # every page twice: the second visits come after the breaker rests
            for url in _public_pages(city, clinics[0], article):
                redis_waits.clear()
                response = client.get(url)
                assert response.status_code == 200, url
                assert_redis_bounded(settings, redis_waits, f"{url} with Redis {kind}")
    finally:
        start()
    warnings = [r for r in caplog.records if r.name == "common.fail_open"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]  # one, not one per request


def test_staff_sign_in_and_save_in_admin_while_redis_is_away(
    client, django_user_model, pipeline_env, directory, outage, redis_waits, settings
):
    city, clinics, _article = directory
    kind, stop, start = outage
    django_user_model.objects.create_superuser("editor", "editor@smp.example", "a-long-password-1")
    stop()
    try:
        signed_in = client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "a-long-password-1"},
        )
        assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
        assert_redis_bounded(settings, redis_waits, f"staff sign-in with Redis {kind}")
        redis_waits.clear()
        change = reverse("admin:clinics_city_change", args=[city.pk])
        saved = client.post(
            change,
            {
                "name": "Leeds",
                "slug": "leeds",
                "country": "GB",
                "region": "West Yorkshire",
                "latitude": "53.8",
                "longitude": "-1.55",
            },
        )
        assert saved.status_code == 302, saved.content.decode()[:2000]
        assert_redis_bounded(settings, redis_waits, f"a save in admin with Redis {kind}")
        redis_waits.clear()
        approved = client.post(
            reverse("admin:clinics_clinic_changelist"),
            {"action": "suspend_clinics", "_selected_action": [clinics[2].pk]},
        )
        assert approved.status_code == 302
        assert_redis_bounded(settings, redis_waits, f"an admin action with Redis {kind}")
    finally:
        start()
    assert City.objects.get().region == "West Yorkshire"
    assert Clinic.objects.get(pk=clinics[2].pk).status == Clinic.Status.SUSPENDED
