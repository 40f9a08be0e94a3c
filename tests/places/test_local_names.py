"""Cities named in the reader's language (places/local_names.py), one address each."""

import pytest
from django.test import Client
from django.utils import translation

from clinics.models import City
from places.local_names import city_names
from places.models import Place
from tests.factories import CityFactory, ClinicFactory

pytestmark = pytest.mark.django_db


def _place(geonames_id: int, name: str, country: str) -> Place:
    return Place.objects.create(
        geonames_id=geonames_id, name=name, country=country, latitude=0, longitude=0
    )


def test_a_city_the_table_knows_has_its_name_in_each_language():
    assert city_names(2867714, "München") == {"en": "Munich", "es": "Múnich", "fr": "Munich"}
    assert city_names(2886242, "Köln") == {"en": "Cologne", "es": "Colonia", "fr": "Cologne"}


def test_a_city_that_names_a_time_zone_takes_cldrs_names():
    assert city_names(2643743, "London") == {"es": "Londres", "fr": "Londres"}
    assert city_names(5128581, "New York") == {"es": "Nueva York"}


def test_a_namesake_elsewhere_keeps_its_own_name():
    # London, Ontario is in Toronto's zone: CLDR's "Londres" is the other London's.
    assert city_names(6058560, "London") == {}
    assert city_names(None, "London") == {}


def test_pages_show_the_city_in_the_readers_language_at_one_address():
    munich = CityFactory(
        name="München", slug="munchen", country="DE", place=_place(2867714, "Munich", "DE")
    )
    ClinicFactory(city=munich, name="Isar Hairline")
    url = munich.get_absolute_url()
    headings = {}
    for prefix in ("", "/de", "/es", "/fr"):
        html = Client().get(prefix + url).content.decode()
        headings[prefix] = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "Munich" in headings[""]
    assert "München" in headings["/de"]
    assert "Múnich" in headings["/es"]
    assert "Munich" in headings["/fr"]
    assert munich.slug == "munchen"


def test_staffs_own_name_is_kept_and_the_rest_filled():
    city = CityFactory(
        name="Köln",
        slug="koln",
        country="DE",
        place=_place(2886242, "Köln", "DE"),
        local_names={"en": "Koeln"},
    )
    city.refresh_from_db()
    assert city.local_names == {"en": "Koeln", "es": "Colonia", "fr": "Cologne"}
    with translation.override("es"):
        assert City.objects.get(pk=city.pk).local_name == "Colonia"
    with translation.override("de"):
        assert City.objects.get(pk=city.pk).local_name == "Köln"
