"""Times as the venue's clock shows them, with the zone's abbreviation; prices as people
read them; zones found from a city's coordinates."""

import pytest
from django.test import override_settings

from places.models import Place
from tests.factories import CityFactory
from tests.training.factories import EventFactory, TrainingClassFactory, local
from training import zones
from training.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "lat", "lng", "zone"),
    [
        ("London", 51.5074, -0.1278, "Europe/London"),
        ("New York", 40.7128, -74.0060, "America/New_York"),
        ("Sydney", -33.8688, 151.2093, "Australia/Sydney"),
        ("Berlin", 52.52, 13.405, "Europe/Berlin"),
        ("Perth", -31.9523, 115.8613, "Australia/Perth"),
    ],
)
def test_a_citys_zone_is_found_from_its_coordinates(name, lat, lng, zone):
    city = CityFactory(name=name, latitude=lat, longitude=lng)
    event = EventFactory(city=city, time_zone="")
    assert event.time_zone == zone


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        # Between Elvas (Portugal) and Badajoz (Spain), nearer Badajoz: an hour apart.
        ("PT", "Europe/Lisbon"),
        ("ES", "Europe/Madrid"),
    ],
)
def test_a_town_near_a_border_keeps_its_own_countrys_zone(country, zone):
    city = CityFactory(country=country, latitude=38.88, longitude=-7.06)
    assert EventFactory(city=city, time_zone="").time_zone == zone


def test_a_city_linked_to_a_gazetteer_place_takes_that_places_zone():
    elvas = Place.objects.create(
        geonames_id=2268615, name="Elvas", country="PT", latitude=38.8815, longitude=-7.16282
    )
    # Its country mistyped, and nearer Badajoz: the linked place still decides.
    city = CityFactory(name="Elvas", country="ES", latitude=38.88, longitude=-7.06, place=elvas)
    assert EventFactory(city=city, time_zone="").time_zone == "Europe/Lisbon"


def test_no_zone_is_guessed_far_from_any_place():
    assert zones.zone_at(0.0, -140.0, "US") is None  # the middle of the Pacific


def test_an_online_event_takes_its_organiser_clinics_zone():
    from tests.factories import ClinicFactory

    clinic = ClinicFactory(city=CityFactory(latitude=40.7128, longitude=-74.0060))
    event = EventFactory(online_event=True, time_zone="", organiser_clinic=clinic)
    assert event.time_zone == "America/New_York"


def test_a_class_reads_in_the_venues_time_with_its_abbreviation():
    event = EventFactory(time_zone="Europe/London", starts_on=local("UTC", 2031, 7, 12).date())
    training_class = TrainingClassFactory(
        event=event,
        starts_at=local("Europe/London", 2031, 7, 12, 9, 30),
        ends_at=local("Europe/London", 2031, 7, 12, 12, 0),
    )
    assert training_class.when == "Saturday 12 July 2031, 09:30–12:00 BST (London time)"
    assert training_class.length == "2½ hours"


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_the_servers_zone_changes_nothing():
    event = EventFactory(
        time_zone="America/Los_Angeles", starts_on=local("UTC", 2031, 1, 10).date()
    )
    training_class = TrainingClassFactory(
        event=event,
        starts_at=local("America/Los_Angeles", 2031, 1, 10, 23, 0),
        ends_at=local("America/Los_Angeles", 2031, 1, 11, 1, 0),
    )
    assert training_class.when.startswith("Friday 10 January 2031, 23:00 – Saturday 11 January")
    assert training_class.when.endswith("01:00 PST (Los Angeles time)")


def test_an_online_class_is_labelled_with_the_organisers_time(client):
    event = EventFactory(
        online_event=True, time_zone="Europe/Berlin", starts_on=local("UTC", 2031, 2, 4).date()
    )
    training_class = TrainingClassFactory(
        event=event,
        starts_at=local("Europe/Berlin", 2031, 2, 4, 18, 0),
        ends_at=local("Europe/Berlin", 2031, 2, 4, 20, 0),
    )
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert "Tuesday 4 February 2031, 18:00–20:00 CET (organiser’s time, Berlin)" in html
    assert '<time datetime="2031-02-04T18:00:00+01:00">' in html
    assert "Online. Times are the organiser’s (Europe/Berlin)." in html


def test_a_multi_day_course_says_its_days():
    event = EventFactory(
        starts_on=local("UTC", 2031, 5, 5).date(), ends_on=local("UTC", 2031, 5, 7).date()
    )
    training_class = TrainingClassFactory(
        event=event,
        starts_at=local("Europe/London", 2031, 5, 5, 9),
        ends_at=local("Europe/London", 2031, 5, 7, 17),
    )
    assert training_class.length == "3 days"
    assert event.dates_text == "5–7 May 2031"


@pytest.mark.parametrize(
    ("price", "currency", "text"),
    [
        (1500, "GBP", "£1,500"),
        (950, "EUR", "€950"),
        (2400, "USD", "US$2,400"),
        (0, "GBP", "Free"),
        (None, "GBP", "Price on enquiry"),
    ],
)
def test_prices_read_as_people_write_them(client, price, currency, text):
    training_class = TrainingClassFactory(price=price, currency=currency)
    assert training_class.price_text == text
    assert text in client.get(training_class.get_absolute_url()).content.decode()


def test_what_is_included_is_listed(client):
    training_class = TrainingClassFactory(
        includes_kit=True, includes_models=True, includes_other="Lunch"
    )
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert "Kit, Practice on live models, Lunch" in html


def test_the_zone_place_names_read_naturally():
    assert zones.zone_place("America/New_York") == "New York"
    assert Event(time_zone="Asia/Kolkata").zone_place == "Kolkata"
