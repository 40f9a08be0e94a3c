from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


def _search_link(label: str) -> str:
    return format_html(
        '<a href="{}?q={}">{}</a>', reverse("clinics:search"), quote(label, safe="/"), label
    )


@register.filter
def search_links(labels, last_word: str = "") -> SafeString:
    """`{{ understood.suggestions|search_links }}`: "<a>Paris</a>, <a>Parma</a>", each a
    search for its label; with "or", "<a>A</a>, <a>B</a> or <a>C</a>". The list goes into
    a translated sentence as one value, so a translator sees the whole sentence."""
    links = [_search_link(label) for label in labels]
    if last_word == "or" and len(links) > 1:
        # As Django's get_text_list(), whose words come from Django's own catalogues.
        return format_html("{} {} {}", _joined(links[:-1]), gettext("or"), links[-1])
    return _joined(links)


@register.filter
def city_links(cities) -> SafeString:
    """`{{ understood.similar_cities|city_links }}`: each city a link to its page."""
    return _joined(
        format_html('<a href="{}">{}</a>', city.get_absolute_url(), city.local_name)
        for city in cities
    )


def _joined(links) -> SafeString:
    # Translators: the separator between the items of a list of links.
    return mark_safe(conditional_escape(gettext(", ")).join(links))
