"""Time zones of venues: IANA names (zoneinfo), found from a city's coordinates.

A class's start is stored as an aware datetime (UTC in the database) with its event's
IANA zone beside it, so it can be shown as the venue's wall-clock time, with the zone's
abbreviation, whatever the server's or the visitor's zone.

The zone of a directory city comes from its coordinates through timezonefinder, which
ships the timezone-boundary-builder polygons (from OpenStreetMap) and works offline.
It is looked up once, when an event is saved, and stored on the event, where staff can
correct it.
"""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class NonexistentTime(ValueError):
    """A wall-clock time that the zone skips (the hour the clocks go forward)."""


@cache
def _finder():
    # Imported and built on first use: only saving an event needs it, not every page.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone name at a point on land ("Europe/London"), or None if none is found."""
    return _finder().timezone_at(lat=latitude, lng=longitude)


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
