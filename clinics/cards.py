"""Clinic cards for the lists (a city, search, near me), rendered from the page's rows.

A list fetches the clinics of its page once, with `Clinic.objects.for_cards()`: the
cover photo is stored on each row (`ClinicQuerySet.refresh_covers`), and the card's
services and languages come with it as JSON lists (`with_tags()`), so one query reads
the page's cards. The cards' template is Jinja2's, the hottest one on list pages, and
renders a page's cards at once. On a city page the services and languages come from the
facts its filters have already read (`tags`): the reference tables are read once per
page. The distance depends on where the visitor measures from, so it comes with each
clinic (`distance_km`), never from the card's stored data.
"""

from collections.abc import Callable, Iterable

from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from .geo import KM, Unit
from .models import Clinic, Language, Service
from .templatetags.directory import distance

# A clinic's services and languages, in the order cards list them.
Tags = tuple[list[Service], list[Language]]


def listed_tags(clinic: Clinic) -> Tags:
    """What a card lists, read with the clinic's row by `for_cards()`."""
    return clinic.tags()


def render(
    clinics: Iterable[Clinic], unit: Unit = KM, tags: Callable[[Clinic], Tags] = listed_tags
) -> SafeString:
    """The cards of these clinics, in their order, as one piece of HTML; each with its
    distance in `unit` when the query annotated one (`distance_km`)."""
    # Jinja2 (smp_site/jinja_env.py), the whole list in one render: a render of its own
    # for each card cost a context each, and the words every card repeats once a card.
    template = engines["jinja2"].get_template("clinics/clinic_cards.html")
    cards = []
    for clinic in clinics:
        services, languages = tags(clinic)
        km = getattr(clinic, "distance_km", None)
        cards.append((clinic, services, languages, "" if km is None else distance(km, unit)))
    # Already safe (a template's output, autoescaped); typed as plain text.
    return mark_safe(template.render({"cards": cards}))
