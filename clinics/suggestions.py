"""Suggestions as you type in the search box: a few cities and clinics, best first."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from places.names import normalise

from .models import Clinic
from .search import understand

MAX_SUGGESTIONS = 8
MAX_CLINICS = 3
MIN_LENGTH = 2


def _city(city, detail: str = "") -> dict:
    count = city.listed_clinic_count
    return {
        "kind": "city",
        "label": city.local_name,
        "detail": detail or f"{city.country_name} · {count} clinic{'s' if count != 1 else ''}",
        "url": city.get_absolute_url(),
    }


def suggestions(query: str) -> list[dict]:
    """What the combobox offers for `query`: cities understood, near ones, clinic names."""
    name = normalise(query)
    if len(name) < MIN_LENGTH:
        return []
    understood = understand(query)
    found = [_city(c) for c in understood.cities]
    if understood.place and understood.near_place:
        # A country without listed clinics ("Frankreich") is named as the country.
        near = understood.place_label if understood.country else understood.place.name
        found.append(
            {
                "kind": "near",
                "label": _("Clinics near %(place)s") % {"place": near},
                "detail": understood.place_label,
                "url": reverse("clinics:near-me") + "?" + urlencode({"place": query.strip()}),
            }
        )
    found += [_city(c) for c in understood.other_cities]
    if len(name) >= 3:
        words = understood.words[:4] or name.split()[:4]
        clinics = Clinic.objects.listed().select_related("city")
        for word in words:
            clinics = clinics.filter(search_name__startswith=word) | clinics.filter(
                search_name__contains=" " + word
            )
        for clinic in clinics.order_by("name")[:MAX_CLINICS]:
            found.append(
                {
                    "kind": "clinic",
                    "label": clinic.name,
                    "detail": f"{clinic.placed_city.local_name}, {clinic.placed_city.country_name}",
                    "url": clinic.get_absolute_url(),
                }
            )
    return found[:MAX_SUGGESTIONS]
