from django import template

from clinics.geo import KM
from clinics.text import country_slug as _country_slug

register = template.Library()


@register.filter
def country_slug(code) -> str:
    return _country_slug(str(code))


@register.filter
def distance(km: float | None, unit=None) -> str:
    """`{{ clinic.distance_km|distance:unit }}`: "4.2 km", "2.6 miles" (km without a unit)."""
    if km is None:
        return ""
    unit = unit or KM
    value = km / unit.km
    text = f"{value:.1f}" if value < 10 else f"{value:,.0f}"
    return f"{text} {unit.label}"
