"""What keeps the sitemap cheap to answer from the database, with nothing kept between
requests (docs/performance.md).

The views are Django's own (smp_site/urls.py), and so is the XML: a section page is
rendered by Jinja2 (common/jinja2/sitemaps/urlset.xml), the same XML as Django's
template, several times faster for the 1,000 addresses a page may list.

- A `RowsSitemap` section page is one query whatever the directory's size: the page's
  rows as plain values (`values_list`: slugs and a date, never model instances), each
  address joined from its slugs (`joined`: the URL pattern reversed once a page, not
  once an address), without Django's per-item calls.
- The index asks every section for its size and newest change: `CountedSitemap`
  answers both from one query (`figures()`), where Django's defaults ask twice, or
  load every item to find the newest; and the sections of one app that count the same
  rows share that query for the index (`SharedFigures`, each app's `for_index()`).
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple, TypedDict

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils import timezone


class Figures(TypedDict):
    count: int
    latest: datetime | None


class SharedFigures:
    """What several sections of an app read for the index (one aggregate query), read
    once for all of them. Each index request makes its own (an app's `for_index()`):
    nothing is kept between requests."""

    def __init__(self, read: Callable[[], dict]) -> None:
        self._read = read

    @cached_property
    def values(self) -> dict:
        return self._read()


class CountedSitemap(Sitemap):
    """A section whose size and newest change come from `figures()`, read once."""

    def figures(self) -> Figures:
        raise NotImplementedError

    @cached_property
    def _figures(self) -> Figures:
        return self.figures()

    def get_latest_lastmod(self) -> datetime | None:
        return self._figures["latest"]

    @property
    def paginator(self) -> Paginator:
        pages = Paginator(self._items(), self.limit)  # type: ignore[attr-defined]
        pages.count = self._figures["count"]  # a cached_property, filled ahead
        return pages


class SitemapUrl(NamedTuple):
    """One `<url>` of a section page: what Django's `Sitemap._urls` gives its template
    for each item, as attributes (the template reads them 4,000 times a page)."""

    location: str
    lastmod: date | None
    changefreq: str | None
    priority: str
    alternates: tuple = ()


# A row of a `RowsSitemap`: the address's path and its last change.
Row = tuple[str, datetime | None]


class RowsSitemap(CountedSitemap):
    """A section listed from rows, a page of them in one query (`rows()`).

    Subclasses give `rows(start, stop)` (the page's `(path, lastmod)` pairs, in a fixed
    order) and `figures()` (the section's size and newest change, for the index)."""

    limit = 1000

    def rows(self, start: int, stop: int) -> list[Row]:
        raise NotImplementedError

    # Django's view passes the list to the template as it is: tuples with attributes,
    # which Jinja2 reads without first trying a dict's missing attribute.
    def get_urls(self, page=1, site=None, protocol=None) -> list[SitemapUrl]:  # type: ignore[override]
        number = _page_number(page)
        rows = self.rows((number - 1) * self.limit, number * self.limit)
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        priority = "" if self.priority is None else str(self.priority)  # type: ignore[attr-defined]
        changefreq = self.changefreq  # type: ignore[attr-defined]
        zone = timezone.get_current_timezone()
        urls = [
            SitemapUrl(
                f"{prefix}{path}",
                # The day in the site's time zone, as the template's `day` filter says it.
                None if lastmod is None else timezone.localtime(lastmod, zone).date(),
                changefreq,
                priority,
            )
            for path, lastmod in rows
        ]
        # The page's newest change: Django's sitemap view sends it as Last-Modified.
        dates = [lastmod for _path, lastmod in rows]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)  # type: ignore[type-var]
        return urls


def _page_number(page) -> int:
    """`?p=` as Django's Paginator reads it (the view answers 404 to either error)."""
    try:
        number = int(page)
    except (TypeError, ValueError) as error:
        raise PageNotAnInteger("That page number is not an integer") from error
    if number < 1:
        raise EmptyPage("That page number is less than 1")
    return number


def joined(viewname: str, arity: int) -> Callable[..., str]:
    """A view's address as a function of its `arity` slugs, joined as strings:
    `joined("clinics:clinic", 3)("united-kingdom", "london", "calloway")`, the address
    `reverse()` would give, for the cost of a `str.format`. The URL pattern is reversed
    once, with a marker for each slug (letters and digits: every slug converter takes
    them)."""
    markers = [f"slug{i}marker" for i in range(arity)]
    pattern = reverse(viewname, args=markers).replace("{", "{{").replace("}", "}}")
    for i, marker in enumerate(markers):
        pattern = pattern.replace(marker, f"{{{i}}}")
    return pattern.format
