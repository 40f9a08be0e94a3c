"""Sitemap pages written by code instead of Django's `sitemap.xml` template.

The same XML, element for element (tests/core/test_sitemap_xml.py compares the two), for
a fraction of the cost: a sitemap page lists up to 1,000 addresses, and the template's
loop was most of the page's time (README, "Performance"). The index is small and keeps
Django's template.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _day(value: date | datetime) -> str:
    # As the template's |date:"Y-m-d": an aware datetime in the site's time zone.
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d")
    return value.isoformat()


def urlset_xml(urlset: Iterable[dict]) -> str:
    parts = [HEAD]
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        for alternate in url.get("alternates", ()):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


def written_by_code(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django's sitemap view, its response's body written by `urlset_xml`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "urlset" in context:
            response.content = urlset_xml(context["urlset"])  # marks it rendered
        return response

    return wrapper
