from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from clinics.models import Clinic, ClinicPhoto
from tests.factories import CityFactory, ClinicFactory, ClinicPhotoFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("clinics:search")


@pytest.fixture
def munich():
    city = CityFactory(name="München", slug="munchen", country="DE", region="Bayern")
    ClinicFactory(city=city, name="Isar Hairline Studio")
    return city


@pytest.mark.parametrize("query", ["munchen", "MÜNCHEN", "München", "  münch "])
def test_city_search_ignores_case_and_accents(client, munich, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert response.context["cities"] == [munich]
    assert "Isar Hairline Studio" in response.content.decode()


def test_clinic_name_search(client, munich):
    ClinicFactory(name="Other Place")
    response = client.get(SEARCH, {"q": "isar hair"})
    assert [c.name for c in response.context["page"]] == ["Isar Hairline Studio"]


def test_search_never_shows_unapproved_clinics(client, munich):
    ClinicFactory(city=munich, name="Isar Pending", status=Clinic.Status.PENDING)
    html = client.get(SEARCH, {"q": "isar"}).content.decode()
    assert "Isar Hairline Studio" in html and "Isar Pending" not in html


def test_no_results_gives_helpful_suggestions(client, munich):
    html = client.get(SEARCH, {"q": "zzzz"}).content.decode()
    assert "No approved clinic matches" in html
    assert reverse("clinics:countries") in html


def test_a_huge_query_gets_a_clear_message(client, munich):
    response = client.get(SEARCH, {"q": "x" * 5000})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert response.context["page"] is None


@pytest.mark.parametrize(
    "query", ["%", "_", "'; DROP TABLE clinics_clinic; --", "\\", "<script>alert(1)</script>", "🙂"]
)
def test_odd_queries_are_safe(client, munich, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_empty_search_shows_the_form(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert "Type the name of a city" in response.content.decode()


def test_search_results_are_not_indexed(client, munich):
    html = client.get(SEARCH, {"q": "munchen"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


def test_uncached_searches_are_rate_limited_per_client_with_a_page_saying_so(
    client, settings, munich, request
):
    settings.SEARCH_RATE_LIMIT = "3/m"
    # Uncached: a search the page cache answers is not counted (the next test).
    settings.PAGE_CACHE_ENABLED = False
    # The clock stands still: a rate window that ended between two requests on a slow
    # machine would start the count again, and the test would say nothing of the limit.
    clock = time_machine.travel(datetime(2026, 12, 6, 12, 0, 30, tzinfo=UTC), tick=False)
    clock.start()
    request.addfinalizer(clock.stop)
    statuses = [client.get(SEARCH, {"q": f"mun{n}"}).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    page = client.get(SEARCH, {"q": "munich"})
    assert page.status_code == 429
    assert "Please wait a minute before searching again" in page.content.decode()
    # Another client (here another address of an IPv6 /64 counts as the same one).
    assert client.get(SEARCH, {"q": "munich"}, REMOTE_ADDR="198.51.100.9").status_code == 200
    for n in range(4):
        client.get(SEARCH, {"q": "munich"}, REMOTE_ADDR=f"2001:db8:5:6::{n + 1}")
    assert client.get(SEARCH, {"q": "munich"}, REMOTE_ADDR="2001:db8:5:6::ff").status_code == 429


def test_cached_searches_are_not_counted(client, settings, munich):
    settings.PAGE_CACHE_ENABLED = True
    settings.SEARCH_RATE_LIMIT = "2/m"
    answers = [client.get(SEARCH, {"q": "munich"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 6
    assert answers[-1]["X-Page-Cache"] == "hit"


def test_clinics_of_the_city_searched_come_in_the_recommended_order(client, munich):
    shown = ClinicFactory(city=munich, name="Zugspitze Scalp")
    ClinicPhotoFactory(clinic=shown, stage=ClinicPhoto.Stage.HEALED)
    response = client.get(SEARCH, {"q": "München"})
    assert [c.name for c in response.context["page"]] == [
        "Zugspitze Scalp",  # a public healed photo: more evidence than a name earlier on
        "Isar Hairline Studio",
    ]
