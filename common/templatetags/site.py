"""Template tags every part of the site uses: `{% load site %}`."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from common.money import format_money

register = template.Library()

# The characters that could close the script element or start an HTML comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, template_name: str, **values) -> SafeString:
    """`{% jinja "includes/article_card.html" article=article heading_level=3 %}`: a
    template of the Jinja2 engine (templates/jinja2/), given only these values, as
    `{% include … with … only %}` would be, and `request` on a page rendered for one (a
    form's tokens: `per_visitor(request, "csrf")`). For what a page repeats or holds
    most of: Jinja2 resolves values several times faster than Django's engine."""
    request = getattr(context, "request", None)  # the attribute: it survives `only`
    if request is not None:
        values.setdefault("request", request)
    # Already safe: a template's output, autoescaped.
    return mark_safe(engines["jinja2"].get_template(template_name).render(values))


# The schema.org types whose text is written in the page's language: each says which
# (`inLanguage`) unless it says so itself (an article shown in English on a German page).
WRITTEN_TYPES = frozenset(
    {"Article", "FAQPage", "WebPage", "Course", "CourseInstance", "Event", "EducationEvent"}
)


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org block; JSON data blocks are not executed, so CSP allows them."""
    if isinstance(data, dict) and data.get("@type") in WRITTEN_TYPES and "inLanguage" not in data:
        data = {**data, "inLanguage": (get_language() or settings.LANGUAGE_CODE).split("-")[0]}
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def money(amount, currency: str) -> str:
    """`{{ reply.deposit|money:reply.currency }}`: "£250" (see common/money.py)."""
    return format_money(amount, currency)


@register.filter
def iso_datetime(value) -> str:
    """A <time datetime> value: valid HTML (no microseconds), in UTC with its offset."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


# The locator: a small world grid (equirectangular, 72 × 36 units, 5° a unit) with a pin.
_LOCATOR_GRID = "M0 9H72M0 18H72M0 27H72M12 0V36M24 0V36M36 0V36M48 0V36M60 0V36"


@register.simple_tag
def locator(latitude: float | None, longitude: float | None) -> SafeString:
    """Where a city lies on the globe, without a map or a third-party tile: a decorative
    grid with a pin at its latitude and longitude (the tile's text names the place)."""
    if latitude is None or longitude is None:
        return mark_safe("")
    x = (max(-180.0, min(180.0, float(longitude))) + 180) / 5
    y = (90 - max(-90.0, min(90.0, float(latitude)))) / 5
    # Nothing here needs escaping: two numbers formatted here and a constant path. Written
    # out rather than through format_html, which escapes each part (a tile a city listed).
    return mark_safe(
        '<svg class="city-tile__locator" viewBox="0 0 72 36" width="72" height="36" '
        'aria-hidden="true" focusable="false"><rect class="locator__sea" width="72" '
        f'height="36" rx="4"/><path class="locator__grid" d="{_LOCATOR_GRID}"/>'
        f'<circle class="locator__pin" cx="{x:.1f}" cy="{y:.1f}" r="3.2"/></svg>'
    )
