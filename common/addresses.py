"""Absolute addresses on pages, feeds and structured data: always SITE_URL's.

Never the request's Host header: a page stored by the page cache is served to every
visitor, so an address built from one request's `Host: example.com:6660` would reach all.
"""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def absolute_url(path: str) -> str:
    """`/clinics/` as `https://smp.example/clinics/`; a full URL is returned unchanged."""
    if "://" in path:
        return path
    return settings.SITE_URL + path


def address(viewname: str, *slugs: str) -> str:
    """`reverse(viewname, args=slugs)` for slugs: the view's URL pattern joined with them.

    A card's address was a `reverse()` each (about 50 µs: a page of cards spent more on
    addresses than on the rest of the cards). The pattern is reversed once per process,
    URLconf, script prefix and language, with a marker for each slug (letters and digits:
    every slug converter takes them), like `{% link %}`'s fixed addresses: the patterns
    are fixed by the code, and no content is kept.
    """
    return _pattern(
        viewname, len(slugs), get_urlconf(), get_script_prefix(), get_language()
    ).format(*slugs)


@cache
def _pattern(viewname: str, arity: int, urlconf: str, prefix: str, language: str | None) -> str:
    markers = [f"slug{i}marker" for i in range(arity)]
    pattern = reverse(viewname, args=markers, urlconf=urlconf)
    pattern = pattern.replace("{", "{{").replace("}", "}}")
    for i, marker in enumerate(markers):
        pattern = pattern.replace(marker, f"{{{i}}}")
    return pattern
