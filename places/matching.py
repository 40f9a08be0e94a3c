"""Finding places by name: exactly, by prefix, by alias, and by spelling (rapidfuzz).

Exact, prefix and alias look-ups are indexed queries that mean the same on SQLite and
PostgreSQL. Spelling is compared in Python by rapidfuzz against every name in the
gazetteer, held once per process: the same answer on any database, in a few
milliseconds, with no database work beyond fetching the places it found.
"""

import threading
from array import array
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .models import GazetteerLoad, Place, PlaceAlias, PlaceName
from .names import name_key

MAX_PLACES = 50
# Spellings closer than this (rapidfuzz's normalised Indel similarity, 0-100) count as
# the same name typed with a slip: one wrong, missing or extra letter in a short name.
FUZZY_CUTOFF = 80
FUZZY_CUTOFF_SHORT = 80  # four letters: a missing or extra letter, not a wrong one
FUZZY_MIN_LENGTH = 4


def alias_place(name: str) -> Place | None:
    alias = PlaceAlias.objects.filter(alias=name, active=True).select_related("place").first()
    return alias.place if alias else None


def places_named(name: str) -> list[Place]:
    """Places with this exact (normalised) name or alternate name, the largest first."""
    if not name:
        return []
    ids = PlaceName.objects.filter(name=name).values("place_id")
    return list(Place.objects.filter(pk__in=ids).order_by("-population", "pk")[:MAX_PLACES])


def places_starting(prefix: str, limit: int = MAX_PLACES) -> list[Place]:
    """Places with a name starting with `prefix` (three letters or more), the largest first."""
    if len(prefix) < 3:
        return []
    ids = PlaceName.objects.filter(key=name_key(prefix), name__startswith=prefix).values("place_id")
    return list(Place.objects.filter(pk__in=ids).order_by("-population", "pk")[:limit])


@dataclass(frozen=True)
class Spelling:
    place: Place
    name: str  # the spelling that matched
    score: float


class _Corpus:
    """Every distinct spelling in the gazetteer with the places that have it.

    Names are also filed by their first and by their second letter. A slip of one letter
    (wrong, missing, extra or swapped) leaves either the first letter in place, or moves
    the second letter to the front, so a query only needs comparing with the names filed
    under its own first two letters: about a sixth of them. Within those, by length: a
    name too much longer or shorter than the query cannot be that close
    (`lengths_within`), and is not compared at all. Numbers are kept in arrays, not lists
    of Python ints: about 35 MB per process for the whole gazetteer.
    """

    def __init__(self) -> None:
        self.version: object = ()
        # Name i belongs to places place_ids[starts[i]:starts[i + 1]].
        self.place_ids = array("I")
        self.starts = array("I")
        self.by_letter: dict[tuple[int, str, int], tuple[list[str], array]] = {}

    def load(self, version: object) -> None:
        rows = (
            PlaceName.objects.order_by("name", "place_id")
            .values_list("name", "place_id")
            .iterator(10_000)
        )
        place_ids, starts = array("I"), array("I")
        filed: dict[tuple[int, str, int], tuple[list[str], array]] = {}
        previous = None
        for name, place_id in rows:
            if len(name) < FUZZY_MIN_LENGTH:
                continue
            if name != previous:
                index = len(starts)
                starts.append(len(place_ids))
                for position in (0, 1):
                    key = (position, name[position], len(name))
                    names, indices = filed.setdefault(key, ([], array("I")))
                    names.append(name)
                    indices.append(index)
                previous = name
            place_ids.append(place_id)
        starts.append(len(place_ids))
        self.place_ids, self.starts, self.by_letter = place_ids, starts, filed
        self.version = version

    def places_of(self, index: int) -> array:
        return self.place_ids[self.starts[index] : self.starts[index + 1]]

    def candidates(self, query: str, cutoff: float) -> list[tuple[list[str], array]]:
        lengths = lengths_within(len(query), cutoff)
        keys = {(p, letter, n) for p in (0, 1) for letter in query[:2] for n in lengths}
        return [self.by_letter[key] for key in sorted(keys) if key in self.by_letter]


def lengths_within(length: int, cutoff: float) -> range:
    """The lengths of the names that can score `cutoff` against a query of this length.
    rapidfuzz's ratio is 100 · (1 − Indel distance / (a + b)), and the distance is at least
    the difference of the lengths: so at most 100 · 2·min(a, b) / (a + b). (A hundredth
    of slack, so that rounding never leaves out a length rapidfuzz would let in.)"""
    reach = cutoff - 0.01
    shortest = next(n for n in range(1, length + 1) if 200 * n / (length + n) >= reach)
    longest = length
    while 200 * length / (length + longest + 1) >= reach:
        longest += 1
    return range(shortest, longest + 1)


_corpus = _Corpus()
_lock = threading.Lock()


def _version() -> object:
    """What the corpus was built from: the last load_gazetteer run (one tiny query)."""
    return GazetteerLoad.objects.order_by("-loaded_at").values_list("loaded_at", flat=True).first()


def names_changed(*args, **kwargs) -> None:
    """Forget the corpus in this process (a signal receiver; load_gazetteer calls it too)."""
    _corpus.version = ()


def similar_spellings(name: str, *, limit: int = 10, cutoff: float | None = None) -> list[Spelling]:
    """Places whose names are spelled most like `name`, the closest first (one per place)."""
    if len(name) < FUZZY_MIN_LENGTH:
        return []
    if cutoff is None:
        cutoff = FUZZY_CUTOFF if len(name) > FUZZY_MIN_LENGTH else FUZZY_CUTOFF_SHORT
    version = _version()
    with _lock:
        if _corpus.version != version:
            _corpus.load(version)
        groups = _corpus.candidates(name, cutoff)
        corpus = _corpus
    best: dict[int, tuple[float, str]] = {}
    for names, indices in groups:
        found = process.extract(
            name, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=max(limit * 5, 50)
        )
        for spelling, score, position in found:
            for place_id in corpus.places_of(indices[position]):
                if place_id not in best or score > best[place_id][0]:
                    best[place_id] = (score, spelling)
    by_id = Place.objects.in_bulk(list(best))
    ranked = sorted(
        (Spelling(by_id[pk], spelling, score) for pk, (score, spelling) in best.items()),
        key=lambda s: (-s.score, -s.place.population, s.place.pk),
    )
    return ranked[: limit * 5]
