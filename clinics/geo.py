"""'Near me' without GIS: a bounding box on indexed columns, then the haversine distance.

The same SQL runs on SQLite and PostgreSQL. The box widens step by step until
it holds some clinics, so a visitor far from any city still gets an answer.
"""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from .models import Clinic

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_LAT = 111.32
SEARCH_RADII_KM = (25, 100, 400, 1500)
MAX_RESULTS = 25


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


def _distance_km(lat: float, lng: float):
    half_dlat = Radians(F("latitude") - Value(lat)) / 2
    half_dlng = Radians(F("longitude") - Value(lng)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(half_dlng), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


def nearest_clinics(lat: float, lng: float) -> dict:
    """Approved clinics nearest to a point, closest first, with the radius searched."""
    listed = Clinic.objects.listed()
    for radius in SEARCH_RADII_KM:
        box = _bounding_box(lat, lng, radius)
        clinics = list(
            listed.filter(**box)
            .annotate(distance_km=_distance_km(lat, lng))
            .filter(distance_km__lte=radius)
            .for_cards()
            .order_by("distance_km", "name")[:MAX_RESULTS]
        )
        if clinics:
            return {"radius_km": radius, "clinics": clinics}
    return {"radius_km": SEARCH_RADII_KM[-1], "clinics": []}
