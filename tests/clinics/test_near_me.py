import pytest
from django.urls import reverse

from clinics.models import Clinic
from tests.factories import CityFactory, ClinicFactory

pytestmark = pytest.mark.django_db
NEAR_ME = reverse("clinics:near-me")


@pytest.fixture
def uk():
    london = CityFactory(name="London", slug="london", latitude=51.5074, longitude=-0.1278)
    reading = CityFactory(name="Reading", slug="reading", latitude=51.4543, longitude=-0.9781)
    leeds = CityFactory(name="Leeds", slug="leeds", latitude=53.8008, longitude=-1.5491)
    ClinicFactory(city=london, name="Soho", latitude=51.5136, longitude=-0.1365)
    ClinicFactory(city=london, name="Greenwich", latitude=51.4826, longitude=0.0077)
    ClinicFactory(city=reading, name="Reading Ink", latitude=51.4543, longitude=-0.9781)
    ClinicFactory(city=leeds, name="Leeds Dots", latitude=53.8008, longitude=-1.5491)
    ClinicFactory(
        city=london,
        name="Hidden",
        latitude=51.5074,
        longitude=-0.1278,
        status=Clinic.Status.SUSPENDED,
    )
    return {"london": london, "leeds": leeds}


def _names(response):
    return [clinic.name for clinic in response.context["results"]["clinics"]]


def test_clinics_are_sorted_by_distance_from_the_browser_position(client, uk):
    response = client.get(NEAR_ME, {"lat": "51.5155", "lng": "-0.1410"})
    assert response.status_code == 200
    assert _names(response) == ["Soho", "Greenwich"]
    distances = [c.distance_km for c in response.context["results"]["clinics"]]
    assert distances == sorted(distances)
    assert 0 < distances[0] < 1


def test_the_search_widens_until_it_finds_clinics(client, uk):
    # Oxford: nothing within 25 km, Reading and London within 100 km.
    response = client.get(NEAR_ME, {"lat": "51.752", "lng": "-1.2577"})
    assert _names(response) == ["Reading Ink", "Soho", "Greenwich"]
    # In the UK the radii are in miles: 15, then 60 (Reading is 40 miles from Oxford).
    assert response.context["results"]["radius"] == 60
    assert response.context["results"]["unit"].code == "mi"


def test_a_link_from_a_city_page_works(client, uk):
    response = client.get(NEAR_ME, {"city": uk["leeds"].pk})
    assert _names(response)[0] == "Leeds Dots"
    assert "Clinics near Leeds, United Kingdom" in response.content.decode()


@pytest.mark.parametrize("place", ["Leeds", "leeds", "  LEEDS ", "lee"])
def test_without_javascript_a_typed_town_works(client, uk, place):
    response = client.get(NEAR_ME, {"place": place})
    assert _names(response)[0] == "Leeds Dots"
    assert "Clinics near Leeds, United Kingdom" in response.content.decode()


def test_an_exact_name_beats_a_longer_one(client, uk):
    CityFactory(name="Londonderry", slug="londonderry", latitude=54.99, longitude=-7.3)
    response = client.get(NEAR_ME, {"place": "london"})
    assert "Clinics near London, United Kingdom" in response.content.decode()


def test_an_unknown_town_says_what_to_do(client, uk):
    response = client.get(NEAR_ME, {"place": "Atlantis"})
    assert response.context["results"] is None
    html = response.content.decode().replace("&#x27;", "’")
    assert "We don’t know “Atlantis”" in html
    assert "share your location" in html


def test_no_clinics_anywhere_near_says_so(client, uk):
    response = client.get(NEAR_ME, {"lat": "-45.0", "lng": "170.0"})
    assert response.status_code == 200
    assert "No clinics nearby" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "91", "lng": "0"},
        {"lat": "0", "lng": "-181"},
        {"lat": "abc", "lng": "1"},
        {"lat": "nan", "lng": "1"},
        {"lat": "inf", "lng": "1"},
        {"lat": "1" * 400, "lng": "1"},
        {"lat": "51.5"},
        {"city": "999999"},
        {"city": "london"},
        {"place": "x" * 500},
        {"place": "%"},
    ],
)
def test_bad_positions_get_a_helpful_message(client, uk, params):
    response = client.get(NEAR_ME, params)
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'role="alert"' in response.content.decode()


def test_the_page_asks_for_location_only_on_click(client):
    html = client.get(NEAR_ME).content.decode()
    assert "data-near-me-button" in html
    assert "near_me.js" in html
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.fixture
def gazetteer():
    from places.gazetteer import load
    from tests.places.test_gazetteer import LEEDS, NEW_YORK, YORK

    load(records=[LEEDS, YORK, NEW_YORK])


def test_a_town_with_no_clinic_of_its_own_finds_the_nearest(client, uk, gazetteer):
    response = client.get(NEAR_ME, {"place": "Jorvik"})  # York, by its old Norse name
    assert _names(response)[0] == "Leeds Dots"
    html = response.content.decode()
    assert "Clinics near York, United Kingdom" in html
    assert "miles away" in html and "within 60 miles" in html


def test_the_unit_can_be_switched(client, uk, gazetteer):
    response = client.get(NEAR_ME, {"place": "York", "units": "km"})
    html = response.content.decode()
    assert "km away" in html and "miles away" not in html
    assert 'href="?place=York&amp;units=mi">Show miles</a>' in html


def test_a_typo_in_a_town_is_forgiven(client, uk, gazetteer):
    assert _names(client.get(NEAR_ME, {"place": "Yorrk"}))[0] == "Leeds Dots"


def test_a_place_outside_the_us_and_uk_gets_kilometres(client, uk):
    berlin = CityFactory(name="Berlin", slug="berlin", country="DE", latitude=52.52, longitude=13.4)
    ClinicFactory(city=berlin, name="Spree Dots", latitude=52.52, longitude=13.4)
    html = client.get(NEAR_ME, {"place": "berlin"}).content.decode()
    assert "within 25 km" in html
