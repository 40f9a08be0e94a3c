"""What makes the sitemaps cheap to answer uncached (README, "Performance").

- Sitemap pages are written by code instead of Django's `sitemap.xml` template: the same
  XML, element for element (tests/core/test_sitemaps_by_code.py compares the two), for a
  fraction of the cost, as a page lists up to 1,000 addresses. The index keeps Django's
  template, and is kept whole (`kept_whole`): it walks every page of every section.
- Each section's size and newest change, which the index asks every section for (two
  queries each), and the addresses of each of its pages are kept per content version
  (smp_site/page_cache.py, fragments): a page of a thousand clinics is worked out once,
  and so is its XML.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import wraps

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape

from .page_cache import remembered
from .pagination import Deferred

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _day(value: date | datetime, zone) -> str:
    # As the template's |date:"Y-m-d": an aware datetime in the site's time zone.
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.strftime("%Y-%m-%d")
    return value.isoformat()


def urlset_xml(urlset: Iterable[dict]) -> str:
    zone = timezone.get_current_timezone()
    parts = [HEAD]
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{_day(url['lastmod'], zone)}</lastmod>")
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
            # Kept like the addresses it is written from: a page of a thousand clinics is
            # written once per content version, not on every crawler's visit.
            page = request.GET.get("p", "1")
            name = f"sitemap-xml:{kwargs.get('section')}:{page}:{request.scheme}://{request.get_host()}"
            response.content = remembered(name, lambda: urlset_xml(context["urlset"]))
        return response

    return wrapper


def kept_whole(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose answer depends only on the content version and its address (the
    sitemap index): its body and headers kept per content version, the view not run."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        def work_out() -> tuple[int, bytes, list[tuple[str, str]]]:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response.status_code, response.content, list(response.items())

        name = f"whole:{request.scheme}://{request.get_host()}{request.path}"
        status, content, headers = remembered(name, work_out)
        response = HttpResponse(content, status=status)
        for header, value in headers:
            response[header] = value
        return response

    return wrapper


class KeptFigures(Sitemap):
    """A section whose size, newest change and pages of addresses are kept per version."""

    section = ""  # its name in the sitemap index, set by with_kept_figures

    def get_latest_lastmod(self):
        name = f"sitemap:{self.section}:latest"
        return remembered(name, super().get_latest_lastmod)

    def get_urls(self, page=1, site=None, protocol=None):
        protocol = self.get_protocol(protocol)
        domain = self.get_domain(site)
        name = f"sitemap:{self.section}:page:{page}:{protocol}://{domain}"

        def work_out():
            urls = super(KeptFigures, self).get_urls(page, site, protocol)
            return urls, getattr(self, "latest_lastmod", None)

        urls, latest = remembered(name, work_out)
        if latest is not None:  # what the view's Last-Modified header is made from
            self.latest_lastmod = latest
        return urls

    @property
    def paginator(self) -> Paginator:
        # The items are fetched only when a page of them is read: sections whose items()
        # is a list (countries, site pages) would otherwise be queried for the count.
        name = f"sitemap:{self.section}:count"
        count = remembered(name, lambda: super(KeptFigures, self).paginator.count)
        pages = Paginator(Deferred(self._items), self.limit)  # type: ignore[attr-defined]
        pages.__dict__["count"] = count  # Paginator.count is a cached_property
        return pages


def with_kept_figures(sections: dict[str, type[Sitemap]]) -> dict[str, type[Sitemap]]:
    """The site's sections, each with its figures kept (see KeptFigures)."""
    return {
        name: type(
            section.__name__,
            (KeptFigures, section),
            {"__module__": section.__module__, "section": name},
        )
        for name, section in sections.items()
    }
