"""What people type in the search box, understood as places and clinic names.

The order in which a query is read (each step only when the ones before found nothing
listed, and each on normalised text: no case, accents or punctuation):

1. "City, Country" / "City, Region" (or "london uk"): the part after the comma, or the
   last words, narrow the places to that country or region.
2. An alias staff reviewed ("nyc", "la"), then an exact name or alternate name of a
   gazetteer place ("Munich", "Cologne" for Köln) or of a listed city.
3. The same without the words people add around a place ("smp clinic in leeds").
4. Listed cities with a word that starts with the query ("manch", "york" in "New York"),
   then gazetteer places of four letters or more by prefix.
5. Spelling: the closest names by rapidfuzz ("manchestr"), the page saying which
   spelling it used.

A place without clinics of its own ("Oxford") brings the listed cities nearest to it. A
query that matches nothing gets the nearest spellings and the listed cities spelled most
like it. Short queries match whole names and word prefixes only, never letters inside
another word.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from places.matching import alias_place, places_named, places_starting, similar_spellings
from places.models import Place
from places.names import normalise, without_noise
from places.regions import Constraint, matches, qualifier_readings

from .geo import nearest_cities
from .models import City

MAX_CITIES = 12
NEAR_PLACE_KM = 1500  # "nearest to Oxford" lists listed cities this close, no further
FUZZY_BAND = 5  # spellings this close to the best one compete on clinics and size
LISTED_FUZZY_CUTOFF = 60  # "cities spelled most like it", when nothing matched
SUGGESTION_CUTOFF = 65  # "did you mean": a place's own name at least this close


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
            if readings and not places_named(head):
                return " ".join(words[:-size]), readings, tail
    return head, None, ""


class _Reader:
    """One query's look-ups, narrowed by its qualifier."""

    def __init__(self, readings: frozenset[Constraint] | None, qualifier: str) -> None:
        self.readings = readings
        self.qualifier = qualifier

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


def _exact(name: str, reader: _Reader) -> tuple[list[City], list[Place]]:
    if not name:
        return [], []
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
    unlisted = [p for p in places if p.pk not in ranked]
    direct = reader.cities(c for c in found if c.search_name == name)
    return _merge(cities, direct), unlisted


def _prefix(name: str, reader: _Reader) -> tuple[list[City], list[Place]]:
    if len(name) < 2:
        return [], []
    cities = reader.cities(
        _listed_cities().filter(_word_prefix(name)).order_by("-listed_clinic_count", "name")[:50]
    )
    places = reader.places(places_starting(name)) if len(name) >= 4 else []
    via_places, unlisted = _rank_places(places)
    return _merge(cities, via_places), unlisted


def _listed_spelled_like(name: str, cutoff: float) -> list[City]:
    """Listed cities whose own names are spelled like `name` (those no place links to)."""
    ids = _listed_ids_spelled_like(name, cutoff)
    by_id = _listed_cities().in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _listed_ids_spelled_like(name: str, cutoff: float) -> list[int]:
    """`_listed_spelled_like`'s cities, by id, the closest first."""
    choices = dict(_listed_cities().values_list("pk", "search_name"))
    found = process.extract(name, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    return [pk for _name, _score, pk in found]


def _nearest_to(result: Understood, place: Place) -> None:
    result.place = place
    result.place_label = place_label(place)
    near = nearest_cities(place.latitude, place.longitude, limit=5)
    result.near_place = [c for c in near if c.distance_km <= NEAR_PLACE_KM]


def understand(text: str) -> Understood:
    """Read a search box query (see the module's docstring for the order)."""
    result = Understood(text=text.strip())
    whole = normalise(text)
    result.asked_near_me = "near me" in f" {whole} " or whole.endswith(" near") or whole == "me"
    head, readings, qualifier = _split(text)
    reader = _Reader(readings, qualifier)
    name = head
    cities, unlisted = _exact(name, reader)
    if not cities and not unlisted:
        stripped = without_noise(head)
        if stripped and stripped != head:
            name = stripped
            cities, unlisted = _exact(name, reader)
        elif not stripped:
            result.words = head.split()  # only the treatment's words: clinic names may have them
            return result
    result.words = name.split()
    other: list[City] = []
    if not cities:
        prefix_cities, prefix_places = _prefix(name, reader)
        if unlisted:
            other = prefix_cities  # a place named exactly so comes before mere prefixes
        else:
            cities, unlisted = prefix_cities, prefix_places
    if not cities and not unlisted and name:
        cities, unlisted = _spelled_like(name, reader, result)
    result.cities = cities
    if unlisted and not cities:
        _nearest_to(result, unlisted[0])
    shown = {c.pk for c in result.near_place}
    result.other_cities = [c for c in other if c.pk not in shown]
    if not cities and not unlisted and not other and name:
        loose = similar_spellings(name, cutoff=65)
        result.suggestions = _labels([s for s in loose if reader.place_fits(s.place)], name)
        result.similar_cities = _listed_spelled_like(name, LISTED_FUZZY_CUTOFF)
    return result


def _spelled_like(name: str, reader: _Reader, result: Understood):
    """Step 5: the closest spellings; those near the best compete on clinics and size."""
    spellings = [s for s in similar_spellings(name) if reader.place_fits(s.place)]
    best = spellings[0].score if spellings else 0
    close = [s.place for s in spellings if s.score >= best - FUZZY_BAND]
    ids = _listed_ids_spelled_like(name, 80)
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
