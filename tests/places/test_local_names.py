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


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('["Munich"]', "Write an object"),
        ('{"it": "Monaco di Baviera"}', "is not one of the site"),
        ('{"en": ""}', "must be text of 1 to 120 characters"),
    ],
)
def test_staff_typing_names_of_the_wrong_shape_get_a_clear_message_and_nothing_is_saved(
    admin_client, typed, message
):
    city = CityFactory(name="München", slug="munchen", country="DE")
    url = f"/admin/clinics/city/{city.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["local_names"] = typed
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    city.refresh_from_db()
    assert city.local_names == {}
    # Its page still answers in every language, with no server error.
    for prefix in ("", "/de"):
        assert admin_client.get(prefix + city.get_absolute_url()).status_code < 500


def test_a_service_translation_of_the_wrong_shape_is_refused():
    from django.core.exceptions import ValidationError

    from clinics.models import Service

    service = Service(name="Scar camouflage", slug="scars", translations={"de": "Narben"})
    with pytest.raises(ValidationError, match="must be an object"):
        service.full_clean()
    service.translations = {"de": {"name": "Narbenkaschierung", "description": "Kaschiert."}}
    service.full_clean()


def test_a_citys_region_reads_in_the_readers_language_and_an_unknown_one_as_typed():
    munich = CityFactory(name="München", slug="munchen", country="DE", region="Bayern")
    ClinicFactory(city=munich, name="Isar Hairline")
    url = munich.get_absolute_url()
    lines = {}
    for prefix in ("", "/de", "/es", "/fr"):
        html = Client().get(prefix + url).content.decode()
        lines[prefix] = html.split("</h1>", 1)[1].split("</p>", 1)[0]
    assert "Bavaria" in lines[""] and "Bayern" not in lines[""]
    assert "Bayern" in lines["/de"]
    assert "Baviera" in lines["/es"]
    assert "Bavière" in lines["/fr"]
    # Staff may type it in English too; a region the table does not know shows as typed.
    munich.region = "Bavaria"
    with translation.override("de"):
        assert munich.distinct_region == "Bayern"
        munich.region = "Oberbayern"
        assert munich.distinct_region == "Oberbayern"
