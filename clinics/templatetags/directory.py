from django import template

from clinics.text import country_slug as _country_slug

register = template.Library()


@register.filter
def country_slug(code) -> str:
    return _country_slug(str(code))
