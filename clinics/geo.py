"""'Near me' without GIS: a bounding box on indexed columns, then the haversine distance.

The same SQL runs on SQLite and PostgreSQL. The box widens step by step until
it holds some clinics, so a visitor far from any city still gets an answer.
Distances are shown in miles in the US and the UK and in kilometres elsewhere, by the
country of the place searched from (never anything about the visitor), and switchable.
"""

import math
from dataclasses import dataclass

from django.db.models import Expression, FloatField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from places.geo import EARTH_RADIUS_KM

from .models import City, Clinic

KM_PER_DEGREE_LAT = 111.32
KM_PER_MILE = 1.609344
MAX_RESULTS = 25
MILES_COUNTRIES = frozenset({"US", "GB"})


@dataclass(frozen=True)
class Unit:
    code: str  # the `units` GET parameter
    label: str | Promise  # after a number: "12 miles"
    km: float  # kilometres in one unit
    radii: tuple[int, ...]  # "within 25 km", widening


KM = Unit("km", _("km"), 1.0, (25, 100, 400, 1500))
MILES = Unit("mi", _("miles"), KM_PER_MILE, (15, 60, 250, 1000))
UNITS = {unit.code: unit for unit in (KM, MILES)}


def unit_for(code: str | None, country: str | None) -> Unit:
    """The unit asked for, else the one people use in the country searched from."""
    if code in UNITS:
        return UNITS[code]
    return MILES if str(country or "") in MILES_COUNTRIES else KM


def _bounding_box(lat: float, lng: float, radius_km: float) -> dict:
    dlat = radius_km / KM_PER_DEGREE_LAT
    box = {"latitude__gte": lat - dlat, "latitude__lte": lat + dlat}
    cos_lat = math.cos(math.radians(lat))
    if cos_lat > 0.01:
        dlng = radius_km / (KM_PER_DEGREE_LAT * cos_lat)
        # A box that crosses the antimeridian would need two ranges; skip the
        # longitude filter instead (rare, and the distance still sorts it out).
        if lng - dlng >= -180 and lng + dlng <= 180:
            box.update(longitude__gte=lng - dlng, longitude__lte=lng + dlng)
    return box


class _Haversine(Expression):
    """The haversine distance in km from a point to the row's `latitude` and `longitude`.

    The SQL the ORM builds from `Radians`, `Sin`, `Cos`, `Power`, `ASin` and `Sqrt`
    (functions both databases have; Django adds them to SQLite), written out: the ORM's
    tree of a dozen functions took longer to put together, for each query and each of the
    three places it appears (selected, filtered, ordered), than the query took to run."""

    def __init__(self, lat: float, lng: float) -> None:
        super().__init__(output_field=FloatField())
        self.lat, self.lng = float(lat), float(lng)

    def as_sql(self, compiler, connection, **extra_context):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        lat, lng = f'{table}."latitude"', f'{table}."longitude"'
        sql = (
            f"(%s * ASIN(SQRT((POWER(SIN((RADIANS(({lat} - %s)) / %s)), %s) + "
            f"((%s * COS(RADIANS({lat}))) * POWER(SIN((RADIANS(({lng} - %s)) / %s)), %s))))))"
        )
        cos_lat = math.cos(math.radians(self.lat))
        return sql, [2 * EARTH_RADIUS_KM, self.lat, 2, 2, cos_lat, self.lng, 2, 2]


def distance_expression(lat: float, lng: float) -> Expression:
    """The haversine distance in km from a point to each row's latitude/longitude."""
    return _Haversine(lat, lng)


def nearest_clinics(lat: float, lng: float, unit: Unit = KM) -> dict:
    """Approved clinics nearest to a point, closest first, with the radius searched.

    Each with `distance_km` and what its card shows (clinics/cards.py).
    """
    listed = Clinic.objects.listed()
    for radius in unit.radii:
        radius_km = radius * unit.km
        clinics = list(
            listed.filter(**_bounding_box(lat, lng, radius_km))
            .annotate(distance_km=distance_expression(lat, lng))
            .filter(distance_km__lte=radius_km)
            .for_cards()
            .order_by("distance_km", "name")[:MAX_RESULTS]
        )
        if clinics:
            return {"radius": radius, "unit": unit, "clinics": clinics}
    return {"radius": unit.radii[-1], "unit": unit, "clinics": []}


def nearest_cities(
    lat: float, lng: float, limit: int = 5, exclude: int | None = None, country: str = ""
) -> list:
    """Cities with approved clinics nearest to a point (in `country` if given), each with
    `distance_km`."""
    listed = City.objects.with_listed_clinics()
    if exclude:
        listed = listed.exclude(pk=exclude)
    if country:
        listed = listed.filter(country=country)
    for radius_km in (*KM.radii, 5000):
        cities = list(
            listed.filter(**_bounding_box(lat, lng, radius_km))
            .annotate(distance_km=distance_expression(lat, lng))
            .filter(distance_km__lte=radius_km)
            .order_by("distance_km", "name")[:limit]
        )
        if cities:
            return cities
    return []
