"""'Near me' without GIS: a bounding box on indexed columns, then the haversine distance.

The same SQL runs on SQLite and PostgreSQL. The box widens step by step until
it holds some clinics, so a visitor far from any city still gets an answer.
Distances are shown in miles in the US and the UK and in kilometres elsewhere, by the
country of the place searched from (never anything about the visitor), and switchable.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from places.geo import EARTH_RADIUS_KM

from .models import City, Clinic

KM_PER_DEGREE_LAT = 111.32
KM_PER_MILE = 1.609344
MAX_RESULTS = 25
MILES_COUNTRIES = frozenset({"US", "GB"})


@dataclass(frozen=True)
class Unit:
    code: str  # the `units` GET parameter
    label: str  # after a number: "12 mi"
    km: float  # kilometres in one unit
    radii: tuple[int, ...]  # "within 25 km", widening


KM = Unit("km", "km", 1.0, (25, 100, 400, 1500))
MILES = Unit("mi", "miles", KM_PER_MILE, (15, 60, 250, 1000))
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


def distance_expression(lat: float, lng: float):
    """The haversine distance in km from a point to each row's latitude/longitude."""
    half_dlat = Radians(F("latitude") - Value(lat)) / 2
    half_dlng = Radians(F("longitude") - Value(lng)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(half_dlng), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


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


def nearest_cities(lat: float, lng: float, limit: int = 5, exclude: int | None = None) -> list:
    """Cities with approved clinics nearest to a point, each with `distance_km`."""
    listed = City.objects.with_listed_clinics()
    if exclude:
        listed = listed.exclude(pk=exclude)
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
