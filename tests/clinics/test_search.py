import pytest
from django.urls import reverse

from clinics.models import Clinic
from tests.factories import CityFactory, ClinicFactory

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
