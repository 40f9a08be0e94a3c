"""What people type in the search box, understood as places and clinic names.

The order in which a query is read (each step only when the ones before found nothing
listed, and each on normalised text: no case, accents or punctuation):

1. "City, Country" / "City, Region" (or "london uk"): the part after the comma, or the
   last words, narrow the places to that country or region ("Zaragoza, España" too).
2. An alias staff reviewed ("nyc", "la"), then an exact name or alternate name of a
   gazetteer place ("Munich", "Cologne" for Köln) or of a listed city.
3. The same without the words people add around a place, in English, German, Spanish
   or French ("smp clinic in leeds", "Haarpigmentierung Berlin", "tatuaje capilar Madrid").
4. A country's name in any of those languages ("Spanien", "Espagne", "UK"), or a UK
   nation's: that country's listed cities, most clinics first (a listed city of that
   very name still comes first).
5. Listed cities with a word that starts with the query ("manch", "york" in "New York"),
   then most of one country's name ("Deutschl", "Spai"), then gazetteer places of four
   letters or more by prefix.
6. Spelling: the closest names by rapidfuzz ("manchestr"), the page saying which
   spelling it used.

Namesakes without clinics ("Córdoba" in Spain and in Argentina) are ranked by population,
weighed (`_ListedCities.weight`): 30 times over in a country with listed clinics (4 times
more within 100 km of one of its listed cities), 10 times within 500 km of a listed city
abroad, a tenth when the name typed is not the place's own (Tijuana was once Zaragoza).
So the Spanish Córdoba, Zaragoza, León, Mérida and Toledo come before the bigger ones in
the Americas, while Paris and Dublin still come before their namesakes in the US. A
country's name loses only to a place of that name weighing more than the whole country
("Granada" is Spanish for Grenada). The page names the town it understood and offers its
namesakes in other countries ("Did you mean…"). A place without clinics of its own
("Oxford") brings the listed cities nearest to it, those of its own country first unless
they are more than twice as far. A query that matches nothing gets the nearest spellings
and the listed cities spelled most like it. Short queries match whole names and word
prefixes only, never letters inside another word.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet
from django.urls import reverse
from rapidfuzz import fuzz, process

from places.geo import distance_km
from places.matching import alias_place, places_named, places_starting, similar_spellings
from places.models import Place
from places.names import normalise, without_noise
from places.regions import (
    UK_NATIONS,
    Constraint,
    country_population,
    matches,
    qualifier_readings,
    region_named,
    region_starting,
)

from .geo import nearest_cities
from .models import City

MAX_CITIES = 12
NEAR_PLACE_KM = 1500  # "nearest to Oxford" lists listed cities this close, no further
FUZZY_BAND = 5  # spellings this close to the best one compete on clinics and size
LISTED_FUZZY_CUTOFF = 60  # "cities spelled most like it", when nothing matched
SUGGESTION_CUTOFF = 65  # "did you mean": a place's own name at least this close
# Namesakes without clinics: a place's population counts this many times over in a country
# with listed clinics, and NEARBY_WEIGHT times more within NEARBY_KM of one of its listed
# cities. Weighed against the namesakes in the search table: Mérida, Spain (60,000 people)
# before Mérida, Mexico (1.2 million); Paris, France (2.1 million) before Paris, Texas.
LISTED_COUNTRY_WEIGHT = 30
NEARBY_WEIGHT = 4
NEARBY_KM = 100
SERVED_WEIGHT = 10  # a place abroad with a listed city this close (Paris: London)
SERVED_KM = 500
OTHER_NAME_WEIGHT = 0.1  # the name typed is only an old or foreign name of the place
OWN_NAME_CUTOFF = 80  # a place's own name this close to the query is "its name" (Cordova)
# The nearest listed cities of a place's own country come first unless the nearest of them
# is more than this many times as far as the nearest abroad (Seattle: Vancouver first).
OWN_COUNTRY_FACTOR = 2
MAX_ALTERNATIVES = 4
# The English names of the UK's nations (UK_NATIONS lists them first), for a query that
# names one in any language ("Pays de Galles": "No clinic in Wales yet").
NATION_NAMES: dict[str, str] = {}
for _text, _admin1 in UK_NATIONS.items():
    NATION_NAMES.setdefault(_admin1, _text.title())


@dataclass
class Understood:
    text: str
    cities: list[City] = field(default_factory=list)
    # The place understood when it has no clinics of its own: "No clinic in Oxford yet".
    place: Place | None = None
    place_label: str = ""
    near_place: list[City] = field(default_factory=list)
    # Listed cities that only start like an exact place's name ("New York" for "york").
    other_cities: list[City] = field(default_factory=list)
    # The spelling used instead of the typed one ("" when the query was read as typed).
    corrected: str = ""
    # Nearest spellings (place labels) and listed cities spelled alike, when nothing matched.
    suggestions: list[str] = field(default_factory=list)
    similar_cities: list[City] = field(default_factory=list)
    # The place a shared name was read as ("Zaragoza, Spain") and its namesakes in other
    # countries ("Zaragoza, Philippines"), as labels a search understands.
    understood_label: str = ""
    alternatives: list[str] = field(default_factory=list)
    # The ISO code when the query named a country or a UK nation ("Spanien", "Scotland").
    country: str = ""
    words: list[str] = field(default_factory=list)
    asked_near_me: bool = False

    @property
    def first_city(self) -> City | None:
        """The city the page puts first: a match, else the nearest to the place understood."""
        found = self.cities or self.near_place or self.other_cities
        return found[0] if found else None

    @property
    def origin(self) -> tuple[float, float, str, str] | None:
        """Where a "near me" search starts: latitude, longitude, label, country."""
        if self.cities:
            city = self.cities[0]
            return city.latitude, city.longitude, str(city), str(city.country)
        if self.place:
            p = self.place
            return p.latitude, p.longitude, self.place_label, p.country
        return None

    @property
    def country_name(self) -> str:
        from .text import country_name

        return country_name(self.country) if self.country else ""

    @property
    def country_url(self) -> str:
        """The page of the country the query named, when it has listed clinics."""
        from .text import country_slug

        if not (self.country and self.cities):
            return ""
        return reverse("clinics:country", kwargs={"country": country_slug(self.country)})


def place_label(place: Place) -> str:
    from .text import country_name

    return f"{place.name}, {country_name(place.country)}"


def _listed_regions() -> dict[str, set[Constraint]]:
    """The regions staff wrote on listed cities ("Ontario"), as their places' divisions."""
    regions: dict[str, set[Constraint]] = {}
    rows = (
        City.objects.exclude(region="")
        .filter(place__isnull=False)
        .values_list("region", "country", "place__admin1")
        .distinct()
    )
    for region, country, admin1 in rows:
        regions.setdefault(normalise(region), set()).add((country, admin1))
    return regions


def _split(text: str) -> tuple[str, frozenset[Constraint] | None, str]:
    """The place part, what the qualifier can mean (None: no qualifier), the qualifier."""
    head, comma, tail = text.partition(",")
    head = normalise(head)
    if comma:
        tail = normalise(tail)
        readings = qualifier_readings(tail, _listed_regions()) or qualifier_readings(
            tail.replace(" ", "")
        )
        if readings:
            return head, readings, tail
        return head, None, ""  # "London, Soho": read the place, leave the rest
    words = head.split()
    for size in (3, 2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            readings = qualifier_readings(tail)
            rest = " ".join(words[:-size])
            # "tatuaje capilar España" names only the country: nothing is left to narrow.
            if readings and without_noise(rest) and not places_named(head):
                return rest, readings, tail
    return head, None, ""


class _ListedCities:
    """Every listed city's name, country and point: one query, made when a search needs
    them (ranking namesakes, spellings), and read once however many steps do."""

    @cached_property
    def rows(self) -> list[tuple[int, str, str, float, float]]:
        rows = (
            City.objects.with_listed_clinics()
            .order_by()
            .values_list("pk", "search_name", "country", "latitude", "longitude")
        )
        # In the order of their searched names, sorted here: at 10,000 clinics, reading
        # 2,000 unsorted rows and sorting them in Python cost less than ORDER BY name.
        return sorted(rows, key=lambda row: (row[1], row[0]))

    @cached_property
    def points(self) -> list[tuple[str, float, float]]:
        return [(str(country), lat, lng) for _pk, _name, country, lat, lng in self.rows]

    @cached_property
    def _by_latitude(self) -> tuple[list[float], list[tuple[str, float, float]]]:
        """The points from south to north, and their latitudes, for `_within`'s band."""
        points = sorted(self.points, key=lambda point: point[1])
        return [lat for _country, lat, _lng in points], points

    @cached_property
    def names(self) -> dict[int, str]:
        """Each city's name as searched (`search_name`), by id, in the order of names."""
        return {pk: name for pk, name, _country, _lat, _lng in self.rows}

    @cached_property
    def countries(self) -> set[str]:
        return {country for country, _lat, _lng in self.points}

    def weight(self, place: Place, query: str, typed_in_part: bool = False) -> float:
        """How likely a visitor of this directory means this place (see the docstring)."""
        weight = float(place.population)
        if not _is_own_name(query, place, typed_in_part):
            weight *= OTHER_NAME_WEIGHT
        if place.country in self.countries:
            weight *= LISTED_COUNTRY_WEIGHT
            if self._within(place, NEARBY_KM, same_country=True):
                weight *= NEARBY_WEIGHT
        elif self._within(place, SERVED_KM, same_country=False):
            weight *= SERVED_WEIGHT
        return weight

    def _within(self, place: Place, km: float, same_country: bool) -> bool:
        # A degree of latitude is 111 km anywhere: only the cities in the band of latitude
        # that `km` spans can be that near, found by bisection, so a query with fifty
        # namesakes looks at a few of the 2,000 listed cities of a large directory.
        degrees = km / 111
        latitudes, points = self._by_latitude
        start = bisect_left(latitudes, place.latitude - degrees)
        end = bisect_right(latitudes, place.latitude + degrees, lo=start)
        return any(
            (country == place.country or not same_country)
            and distance_km(place.latitude, place.longitude, lat, lng) <= km
            for country, lat, lng in points[start:end]
        )

    def rank(self, places: list[Place], query: str, typed_in_part: bool = False) -> list[Place]:
        """Namesakes without clinics, the one most likely meant first."""
        if len({p.country for p in places}) < 2:
            return places  # one country: the most populous, as places come
        return sorted(places, key=lambda p: -self.weight(p, query, typed_in_part))


def _is_own_name(query: str, place: Place, typed_in_part: bool = False) -> bool:
    """Whether the query is the place's own name ("leon" for "León de los Aldama"), not
    only one of its alternate names ("zaragoza" for Tijuana, "rome" for Lomé); typed in
    part, whether it starts a word of the place's own name ("frank", "zarag")."""
    own = normalise(place.name)
    if typed_in_part:
        return f" {query}" in f" {own}"
    return own == query or own.startswith(query + " ") or fuzz.ratio(query, own) >= OWN_NAME_CUTOFF


class _Reader:
    """One query's look-ups, narrowed by its qualifier."""

    def __init__(self, readings: frozenset[Constraint] | None, qualifier: str) -> None:
        self.readings = readings
        self.qualifier = qualifier
        self.listed = _ListedCities()

    def place_fits(self, place: Place) -> bool:
        return self.readings is None or matches(place.country, place.admin1, self.readings)

    def city_fits(self, city: City) -> bool:
        if self.readings is None:
            return True
        if normalise(city.region) == self.qualifier:
            return True
        admin1 = city.place.admin1 if city.place_id and city.place else ""
        return matches(str(city.country), admin1, self.readings)

    def places(self, places: list[Place]) -> list[Place]:
        return [p for p in places if self.place_fits(p)]

    def cities(self, cities) -> list[City]:
        return [c for c in cities if self.city_fits(c)]


def _listed_cities() -> QuerySet[City]:
    return City.objects.with_listed_clinics().select_related("place")


def _rank_places(places: list[Place]) -> tuple[list[City], list[Place]]:
    """Listed cities of these places (most clinics first), and the places with none."""
    if not places:
        return [], []
    cities = list(
        _listed_cities().filter(place__in=places).order_by("-listed_clinic_count", "name")
    )
    linked = {c.place_id for c in cities}
    return cities, [p for p in places if p.pk not in linked]


def _word_prefix(name: str) -> Q:
    return Q(search_name__startswith=name) | Q(search_name__contains=" " + name)


def _merge(*groups: list[City]) -> list[City]:
    seen: set[int] = set()
    merged = []
    for group in groups:
        for city in group:
            if city.pk not in seen:
                seen.add(city.pk)
                merged.append(city)
    return merged[:MAX_CITIES]


def _exact(name: str, reader: _Reader) -> tuple[list[City], list[Place], list[Place]]:
    """Listed cities of that name, its places without clinics (the likeliest first), and
    every place of that name (for "Did you mean")."""
    if not name:
        return [], [], []
    alias = alias_place(name)
    if alias is not None and reader.place_fits(alias):
        places = [alias]
    else:
        places = reader.places(places_named(name))
    # The listed cities of those places and those named so themselves, in one query: the
    # places' first (most clinics first), then the others (`_rank_places`, then by name).
    found = list(
        _listed_cities()
        .filter(Q(place__in=places) | Q(search_name=name) if places else Q(search_name=name))
        .order_by("-listed_clinic_count", "name")
    )
    linked = {p.pk for p in places}
    cities = [c for c in found if c.place_id in linked]
    ranked = {c.place_id for c in cities}
    unlisted = reader.listed.rank([p for p in places if p.pk not in ranked], name)
    direct = reader.cities(c for c in found if c.search_name == name)
    return _merge(cities, direct), unlisted, places


def _prefix(name: str, reader: _Reader) -> tuple[list[City], list[Place]]:
    if len(name) < 2:
        return [], []
    cities = reader.cities(
        _listed_cities().filter(_word_prefix(name)).order_by("-listed_clinic_count", "name")[:50]
    )
    places = reader.places(places_starting(name)) if len(name) >= 4 else []
    via_places, unlisted = _rank_places(places)
    return _merge(cities, via_places), reader.listed.rank(unlisted, name, typed_in_part=True)


def _listed_spelled_like(name: str, cutoff: float, listed: _ListedCities) -> list[City]:
    """Listed cities whose own names are spelled like `name` (those no place links to)."""
    ids = _listed_ids_spelled_like(name, cutoff, listed)
    by_id = _listed_cities().in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _listed_ids_spelled_like(name: str, cutoff: float, listed: _ListedCities) -> list[int]:
    """`_listed_spelled_like`'s cities, by id, the closest first."""
    found = process.extract(name, listed.names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    return [pk for _name, _score, pk in found]


def _nearest_to(result: Understood, place: Place, reader: _Reader, label: str = "") -> None:
    """The listed cities nearest to a place without clinics, its own country's first
    unless they are more than OWN_COUNTRY_FACTOR times as far as the nearest abroad."""
    result.place = place
    result.place_label = label or place_label(place)
    near = nearest_cities(place.latitude, place.longitude, limit=5)
    if near and place.country in reader.listed.countries:
        own = [c for c in near if str(c.country) == place.country]
        if not own:
            own = nearest_cities(place.latitude, place.longitude, limit=5, country=place.country)
        if own and own[0].distance_km <= OWN_COUNTRY_FACTOR * near[0].distance_km:
            shown = {c.pk for c in own}
            near = [*own, *(c for c in near if c.pk not in shown)][:5]
    result.near_place = [c for c in near if c.distance_km <= NEAR_PLACE_KM]


def _alternatives(query: str, chosen: Place, places: list[Place], listed: bool) -> list[str]:
    """Namesakes of the place understood in other countries, the largest of each country
    first; when the place has clinics, only those bigger than it (they may be meant)."""
    labels: list[str] = []
    countries = {chosen.country}
    for place in sorted(places, key=lambda p: (-p.population, p.pk)):
        if place.country in countries or (listed and place.population <= chosen.population):
            continue
        if not _is_own_name(query, place):
            continue  # known by this name only as an old or foreign one (Tijuana)
        countries.add(place.country)
        labels.append(place_label(place))
    return labels[:MAX_ALTERNATIVES]


def _region_outweighs(
    region: Constraint,
    places: list[Place],
    name: str,
    reader: _Reader,
    typed_in_part: bool = False,
) -> bool:
    """Whether a query naming a country means it rather than a place of that name: unless
    the place weighs more than the whole country ("Granada": the city, not Grenada)."""
    country, admin1 = region
    if admin1 or not places:
        return True
    people = country_population(country)
    if country in reader.listed.countries:
        people *= LISTED_COUNTRY_WEIGHT
    return reader.listed.weight(places[0], name, typed_in_part) < people


def _region(result: Understood, region: Constraint, reader: _Reader) -> None:
    """A query naming a country or a UK nation: its listed cities, most clinics first, or
    when it has none, the listed cities nearest to its largest place."""
    country, admin1 = region
    result.country = country
    in_region = Q(country=country) & (Q(place__admin1=admin1) if admin1 else Q())
    result.cities = list(
        _listed_cities()
        .filter(in_region)
        .order_by("-listed_clinic_count", "-place__population", "name")[:MAX_CITIES]
    )
    if result.cities:
        return
    places = Place.objects.filter(country=country)
    largest = (places.filter(admin1=admin1) if admin1 else places).order_by("-population").first()
    if largest is not None:
        from .text import country_name

        label = NATION_NAMES[admin1] if admin1 else country_name(country)
        _nearest_to(result, largest, reader, label=label)


def understand(text: str) -> Understood:
    """Read a search box query (see the module's docstring for the order)."""
    result = Understood(text=text.strip())
    whole = normalise(text)
    result.asked_near_me = "near me" in f" {whole} " or whole.endswith(" near") or whole == "me"
    head, readings, qualifier = _split(text)
    reader = _Reader(readings, qualifier)
    name = head
    cities, unlisted, named = _exact(name, reader)
    if not cities and not unlisted:
        stripped = without_noise(head)
        if stripped and stripped != head:
            name = stripped
            cities, unlisted, named = _exact(name, reader)
        elif not stripped:
            result.words = head.split()  # only the treatment's words: clinic names may have them
            return result
    result.words = name.split()
    region = region_named(name) if readings is None else None
    if region is not None and not cities and _region_outweighs(region, unlisted, name, reader):
        _region(result, region, reader)
        return result
    if cities or unlisted:
        chosen = cities[0].place if cities else unlisted[0]
        if chosen is not None:
            result.alternatives = _alternatives(name, chosen, named, listed=bool(cities))
            if result.alternatives:
                result.understood_label = place_label(chosen)
    other: list[City] = []
    if not cities:
        prefix_cities, prefix_places = _prefix(name, reader)
        if unlisted:
            other = prefix_cities  # a place named exactly so comes before mere prefixes
        else:
            # Most of a country's name, as it is typed ("Deutschl"), after listed cities.
            region = region_starting(name) if readings is None and not prefix_cities else None
            if region is not None and _region_outweighs(
                region, prefix_places, name, reader, typed_in_part=True
            ):
                _region(result, region, reader)
                return result
            cities, unlisted = prefix_cities, prefix_places
    if not cities and not unlisted and name:
        cities, unlisted = _spelled_like(name, reader, result)
    result.cities = cities
    if unlisted and not cities:
        _nearest_to(result, unlisted[0], reader)
    shown = {c.pk for c in result.near_place}
    result.other_cities = [c for c in other if c.pk not in shown]
    if not cities and not unlisted and not other and name:
        loose = similar_spellings(name, cutoff=65)
        result.suggestions = _labels([s for s in loose if reader.place_fits(s.place)], name)
        result.similar_cities = _listed_spelled_like(name, LISTED_FUZZY_CUTOFF, reader.listed)
    return result


def _spelled_like(name: str, reader: _Reader, result: Understood):
    """Step 5: the closest spellings; those near the best compete on clinics and size."""
    spellings = [s for s in similar_spellings(name) if reader.place_fits(s.place)]
    best = spellings[0].score if spellings else 0
    close = reader.listed.rank([s.place for s in spellings if s.score >= best - FUZZY_BAND], name)
    ids = _listed_ids_spelled_like(name, 80, reader.listed)
    # The listed cities of the close places (`_rank_places`) and those spelled alike
    # (`_listed_spelled_like`), in one query.
    wanted = Q(place__in=close) | Q(pk__in=ids) if close else Q(pk__in=ids)
    found = (
        list(_listed_cities().filter(wanted).order_by("-listed_clinic_count", "name"))
        if close or ids
        else []
    )
    linked = {p.pk for p in close}
    cities = [c for c in found if c.place_id in linked]
    ranked = {c.place_id for c in cities}
    unlisted = [p for p in close if p.pk not in ranked]
    by_id = {c.pk: c for c in found}
    cities = _merge(cities, reader.cities(by_id[pk] for pk in ids if pk in by_id))
    if cities or unlisted:
        result.corrected = cities[0].name if cities else unlisted[0].name
        result.suggestions = _labels(spellings, name, exclude=result.corrected)
    return cities, unlisted


def _labels(spellings, query: str, exclude: str = "") -> list[str]:
    """Places whose own name is spelled like the query (not one of their old names)."""
    labels: list[str] = []
    for spelling in spellings:
        if fuzz.ratio(query, normalise(spelling.place.name)) < SUGGESTION_CUTOFF:
            continue
        label = place_label(spelling.place)
        if spelling.place.name != exclude and label not in labels:
            labels.append(label)
    return labels[:5]
