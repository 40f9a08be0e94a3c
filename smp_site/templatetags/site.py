"""Template tags every part of the site uses: `{% load site %}`."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from smp_site.money import format_money

register = template.Library()

# The characters that could close the script element or start an HTML comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org block; JSON data blocks are not executed, so CSP allows them."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def money(amount, currency: str) -> str:
    """`{{ reply.deposit|money:reply.currency }}`: "£250" (see smp_site/money.py)."""
    return format_money(amount, currency)


@register.filter
def iso_datetime(value) -> str:
    """A <time datetime> value: valid HTML (no microseconds), in UTC with its offset."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()
