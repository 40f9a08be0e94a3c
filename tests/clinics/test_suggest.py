"""Suggestions as you type: a small JSON endpoint, cached, rate-limited and bounded."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from places.gazetteer import load
from tests.factories import CityFactory, ClinicFactory
from tests.places.test_gazetteer import LEEDS, NEW_YORK, YORK

pytestmark = pytest.mark.django_db
SUGGEST = reverse("clinics:suggest")


@pytest.fixture
def leeds():
    load(records=[LEEDS, YORK, NEW_YORK])
    city = CityFactory(name="Leeds", slug="leeds", latitude=53.8008, longitude=-1.5491)
    ClinicFactory(city=city, name="Leeds Dock Scalp Studio")
    ClinicFactory(city=city, name="Headingley SMP")
    return city


def test_it_suggests_cities_and_clinics(client, leeds):
    data = client.get(SUGGEST, {"q": "lee"}).json()["suggestions"]
    assert data[0] == {
        "kind": "city",
        "label": "Leeds",
        "detail": "United Kingdom · 2 clinics",
        "url": leeds.get_absolute_url(),
    }
    assert {"Leeds Dock Scalp Studio"} == {d["label"] for d in data if d["kind"] == "clinic"}


def test_a_town_without_clinics_offers_the_nearest(client, leeds):
    data = client.get(SUGGEST, {"q": "york"}).json()["suggestions"]
    assert data[0]["label"] == "Clinics near York"
    assert data[0]["url"] == reverse("clinics:near-me") + "?place=york"


def test_one_letter_suggests_nothing(client, leeds):
    assert client.get(SUGGEST, {"q": "l"}).json() == {"suggestions": []}


def test_a_long_query_is_refused_clearly(client, leeds):
    response = client.get(SUGGEST, {"q": "x" * 500})
    assert response.status_code == 400
    assert "at most 100 characters" in response.json()["error"]


def test_it_is_bounded(client, leeds):
    for n in range(12):
        ClinicFactory(city=leeds, name=f"Leeds Studio {n}")
    assert len(client.get(SUGGEST, {"q": "leeds"}).json()["suggestions"]) <= 8


def test_it_is_cached(client, settings, leeds):
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(SUGGEST, {"q": "lee"})["X-Page-Cache"] == "miss"
    assert client.get(SUGGEST, {"q": "lee"})["X-Page-Cache"] == "hit"


def test_it_is_rate_limited(client, settings, leeds):
    settings.SEARCH_SUGGEST_RATE_LIMIT = "3/m"
    # The clock stands still: a rate window that ended between two requests on a slow
    # machine would start the count again, and the test would say nothing of the limit.
    with time_machine.travel(datetime(2026, 12, 6, 12, 0, 30, tzinfo=UTC), tick=False):
        statuses = [client.get(SUGGEST, {"q": f"le{n}"}).status_code for n in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        assert "Too many requests" in client.get(SUGGEST, {"q": "lee"}).json()["error"]
