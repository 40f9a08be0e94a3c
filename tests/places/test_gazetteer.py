"""The gazetteer: loading GeoNames records, names as they are compared, aliases, linking."""

import pytest
from django.core.management import call_command

from clinics.models import City
from places import matching
from places.gazetteer import dataset_label, load, spellings
from places.models import GazetteerLoad, Place, PlaceAlias, PlaceName
from places.names import normalise, without_noise
from places.regions import qualifier_readings
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def record(pk, name, country, lat, lng, population, alternates=(), admin1=""):
    return {
        "geonameid": pk,
        "name": name,
        "countrycode": country,
        "admin1code": admin1,
        "latitude": lat,
        "longitude": lng,
        "population": population,
        "alternatenames": list(alternates),
    }


LEEDS = record(2644688, "Leeds", "GB", 53.79648, -1.54785, 455123, ["LBA", "Lids", "Лидс"], "ENG")
YORK = record(2633352, "York", "GB", 53.95763, -1.08271, 144202, ["Eboracum", "Jorvik"], "ENG")
NEW_YORK = record(
    5128581, "New York City", "US", 40.71427, -74.00597, 8804190, ["NYC", "NY", "New York"], "NY"
)


def test_names_are_compared_without_case_accents_or_punctuation():
    assert normalise("  St. Albans ") == "st albans"
    assert normalise("Stratford-upon-Avon") == "stratford upon avon"
    assert normalise("MÜNCHEN") == "munchen"
    assert normalise("O'Fallon") == "ofallon"
    assert without_noise("smp clinic near leeds") == "leeds"


def test_codes_and_other_scripts_are_left_out_of_a_places_spellings():
    # "LBA" is the airport, "Лидс" Cyrillic: only the reviewed alias table turns letters
    # into a city, and visitors to an English site type Latin letters.
    assert spellings(LEEDS) == {"leeds", "lids"}


def test_loading_makes_places_names_and_the_aliases_for_them():
    result = load(records=[LEEDS, YORK, NEW_YORK])
    assert result["places"] == 3
    assert set(PlaceName.objects.filter(place_id=2633352).values_list("name", flat=True)) == {
        "york",
        "eboracum",
        "jorvik",
    }
    # Default aliases exist only for places that were loaded.
    assert set(PlaceAlias.objects.values_list("alias", flat=True)) == {"nyc", "ny"}


def test_loading_again_replaces_what_changed_and_drops_what_went():
    load(records=[LEEDS, YORK])
    PlaceAlias.objects.create(alias="Loiner town", place_id=2644688)
    load(records=[{**LEEDS, "population": 500000}])
    assert list(Place.objects.values_list("name", "population")) == [("Leeds", 500000)]
    assert PlaceAlias.objects.get().alias == "loiner town"  # staff's alias kept


def test_the_packaged_dataset_is_loaded_once():
    GazetteerLoad.objects.create(dataset=dataset_label(), places=1)
    assert load()["skipped"] is True


def test_a_city_links_itself_to_the_place_of_its_name_nearby():
    load(records=[LEEDS, YORK, NEW_YORK])
    leeds = CityFactory(name="Leeds", slug="leeds", latitude=53.8008, longitude=-1.5491)
    assert leeds.place_id == 2644688
    # Same name, wrong country, or too far away: no link.
    assert CityFactory(name="Leeds", slug="leeds-us", country="US").place_id is None
    assert CityFactory(name="York", slug="york-far", latitude=50.0, longitude=-5.0).place is None


def test_link_cities_links_cities_made_before_the_gazetteer(capsys):
    york = CityFactory(name="York", slug="york", latitude=53.96, longitude=-1.08)
    samplebury = CityFactory(name="Samplebury", slug="samplebury")
    assert york.place_id is None
    load(records=[LEEDS, YORK])
    call_command("link_cities")
    york.refresh_from_db()
    assert york.place_id == 2633352
    out = capsys.readouterr().out
    assert "Linked 1 cities" in out and "Samplebury" in out
    assert City.objects.get(pk=samplebury.pk).place_id is None


def test_spellings_are_matched_and_the_corpus_follows_changes():
    load(records=[LEEDS, YORK])
    assert [s.place.name for s in matching.similar_spellings("leedz")] == ["Leeds"]
    assert matching.similar_spellings("yorkk")[0].place.name == "York"
    PlaceName.objects.create(place_id=2633352, name="Yorkshire Capital")
    assert matching.similar_spellings("yorkshire capitol")[0].place.name == "York"
    assert matching.similar_spellings("zzzz") == []


def test_a_qualifier_can_mean_a_country_a_state_or_a_nation():
    assert ("CA", None) in qualifier_readings("CA")  # Canada
    assert ("US", "CA") in qualifier_readings("ca")  # California
    assert qualifier_readings("Scotland") == {("GB", "SCT")}
    assert ("GB", None) in qualifier_readings("U.K.".replace(".", ""))
    assert qualifier_readings("Narnia") == frozenset()
