"""Absolute addresses on pages, feeds and structured data: always SITE_URL's.

Never the request's Host header: a page stored by the page cache is served to every
visitor, so an address built from one request's `Host: example.com:6660` would reach all.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/clinics/` as `https://smp.example/clinics/`; a full URL is returned unchanged."""
    if "://" in path:
        return path
    return settings.SITE_URL + path
