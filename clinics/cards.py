"""Clinic cards for the lists (a city, search, near me), each rendered once per content version.

A card is most of what a list page costs: the query behind it (a cover chosen by
subqueries, services and languages prefetched) and its template (prices formatted by
Babel, the profile's address reversed). So a list asks the database only for the ids
on its page, in its own order, and takes each card's HTML from this process's memory;
only the cards it has not rendered under the current content version are fetched with
`Clinic.objects.for_cards()` and rendered, in one query and one template each.

Cards are fragments (smp_site/page_cache.py): kept under the content version (any save of
a model public pages show bumps it), the day, and the clinic, so a card is never older
than the pages it appears on, and lasts at most `PAGE_CACHE_SECONDS`. The distance, which
depends on where the visitor measures from, is not part of the card: it is written into
its slot on each request. `FRAGMENT_CACHE_ENTRIES` bounds the memory (0: render every time).
"""

from collections.abc import Iterable
from typing import Any

from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from smp_site.page_cache import fragment_prefix, fragments

from .geo import KM, Unit
from .models import Clinic
from .templatetags.directory import distance

# Where a card's distance goes; the card template writes it in place of the distance.
DISTANCE_SLOT = "<!--clinic-card-distance-->"
_AWAY = ' · <span class="clinic-card__distance">{} away</span>'


def rows_of(clinics: Any) -> list[tuple[int, float | None]]:
    """(id, distance in km or None) for each of these clinics, in one query."""
    if "distance_km" in clinics.query.annotations:
        return list(clinics.values_list("pk", "distance_km"))
    return [(pk, None) for pk in clinics.values_list("pk", flat=True)]


def for_rows(rows: Iterable[tuple[int, float | None]], unit: Unit = KM) -> list[SafeString]:
    """The cards for (clinic id, distance in km or None) rows, in their order."""
    rows = list(rows)
    prefix = fragment_prefix()
    html: dict[int, str | None] = {
        pk: fragments.get(f"{prefix}card:{pk}") if prefix else None for pk, _km in rows
    }
    missing = [pk for pk, card in html.items() if card is None]
    if missing:
        template = get_template("includes/clinic_card.html")
        for clinic in Clinic.objects.filter(pk__in=missing).for_cards():
            rendered_card = template.render({"clinic": clinic, "distance_slot": DISTANCE_SLOT})
            html[clinic.pk] = rendered_card
            if prefix:
                fragments.set(f"{prefix}card:{clinic.pk}", rendered_card)
    cards = []
    for pk, km in rows:
        card = html[pk]
        if card is None:  # left the directory between the two queries
            continue
        away = "" if km is None else format_html(_AWAY, distance(km, unit))
        cards.append(mark_safe(card.replace(DISTANCE_SLOT, away)))
    return cards
