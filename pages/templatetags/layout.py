"""`{% link "clinics:countries" %}`: an address the layout shows on every page.

The header and footer link to some twenty fixed pages; `{% url %}` works each address
out again on every request (about 70 µs each: together as long as a whole trivial view).
These addresses are fixed by the code (smp_site/urls.py) and so, for one URLconf, script
prefix and language, they are fixed for the life of the process, like the reverse
tables Django itself builds once per process and language. No content is kept here:
nothing an edit could make stale.
"""

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()


@cache
def _address(name: str, urlconf: str | None, prefix: str, language: str | None) -> str:
    # The key holds everything reverse() reads besides the name: a test's own
    # URLconf, a deployment under a path prefix and, with i18n_patterns, the language.
    return reverse(name, urlconf=urlconf)


def address(name: str) -> str:
    """The address of a fixed page, as `{% link %}` writes it (Jinja2's `link()`)."""
    return _address(name, get_urlconf(), get_script_prefix(), get_language())


@register.simple_tag(takes_context=True)
def link(context: template.Context, name: str) -> str:
    # The three values are read once per template rendered (the layout and the page it
    # extends share one), not once per link: each is a context-local lookup.
    key = context.render_context.get("layout_link_key")
    if key is None:
        key = (get_urlconf(), get_script_prefix(), get_language())
        context.render_context["layout_link_key"] = key
    return _address(name, *key)
