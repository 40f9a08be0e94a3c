"""Search as German, Spanish and French speakers type it: towns without clinics, country
names in each language, local spellings, the treatment's words, typos.

The same gazetteer and demo directory as test_search_table.py (one approved clinic per
city, two in Glasgow), on SQLite and on PostgreSQL. The directory lists Madrid, Barcelona,
Málaga and Valencia in Spain, München, Berlin, Köln, Hamburg and Düsseldorf in Germany,
and no city in France.
"""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clinics.test_search_table import directory  # noqa: F401 (the module's fixture)

SEARCH = reverse("clinics:search")
SUGGEST = reverse("clinics:suggest")

# query, (city, country) the page must put first
TABLE = [
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


@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_it_puts_the_right_city_first(client, directory, query, expected):  # noqa: F811
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
def test_these_never_land_abroad(client, directory, query, country):  # noqa: F811
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


def test_half_typed_zaragoza_suggests_clinics_near_zaragoza_in_spain(client, directory):  # noqa: F811
    data = client.get(SUGGEST, {"q": "Zarag"}).json()["suggestions"]
    assert data[0]["label"] == "Clinics near Zaragoza"
    assert data[0]["detail"] == "Zaragoza, Spain"


def test_a_country_name_suggests_its_cities(client, directory):  # noqa: F811
    data = client.get(SUGGEST, {"q": "Deutschland"}).json()["suggestions"]
    assert [d["label"] for d in data[:5]] == ["Berlin", "Hamburg", "München", "Köln", "Düsseldorf"]
    data = client.get(SUGGEST, {"q": "Frankreich"}).json()["suggestions"]
    assert data[0]["label"] == "Clinics near France"


def test_a_name_shared_across_countries_offers_the_others(client, directory):  # noqa: F811
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


def test_a_listed_city_offers_a_bigger_namesake_abroad(client, directory):  # noqa: F811
    html = client.get(SEARCH, {"q": "Valencia"}).content.decode()
    assert "We took “Valencia” to mean Valencia, Spain. Did you mean " in html
    assert ">Valencia, Venezuela</a> instead?" in html
    # Birmingham, England is the biggest Birmingham: nothing to offer.
    assert "Did you mean" not in client.get(SEARCH, {"q": "Birmingham"}).content.decode()


def test_the_did_you_mean_line_is_escaped(client, directory):  # noqa: F811
    # Punctuation separates words: this reads as "cordoba", and is shown as typed.
    html = client.get(SEARCH, {"q": 'Córdoba"><'}).content.decode()
    assert "We took “Córdoba&quot;&gt;&lt;” to mean Córdoba, Spain." in html
    assert 'Córdoba"><' not in html


def test_a_country_links_to_its_page_or_says_it_has_no_clinic(client, directory):  # noqa: F811
    html = client.get(SEARCH, {"q": "Spanien"}).content.decode()
    assert f'<a href="{reverse("clinics:country", args=["spain"])}">' in html
    assert "All cities with clinics in Spain" in html
    html = client.get(SEARCH, {"q": "Frankreich"}).content.decode()
    assert "No clinic in France yet" in html
    assert "measured from Paris" in html


def test_reading_europe_adds_no_query_per_candidate(client, directory):  # noqa: F811
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
        ("Mala", "Málaga", "Málaga"),
    ],
)
def test_most_of_a_countrys_name_suggests_its_cities(client, directory, query, first, suggested):  # noqa: F811
    data = client.get(SUGGEST, {"q": query}).json()["suggestions"]
    assert data[0]["label"] == suggested
    assert _understood(client, query).first_city.name == first


def test_a_nation_without_clinics_is_named_in_english(client, directory):  # noqa: F811
    response = client.get(SEARCH, {"q": "Pays de Galles"})
    assert "No clinic in Wales yet" in response.content.decode()
    assert response.context["understood"].first_city.name == "Bristol"
