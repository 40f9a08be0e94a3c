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

Each section is listed once per language (`per_language`): `sitemap-articles.xml` the
English addresses (the sitemap's addresses from before the site had languages),
`sitemap-articles-de.xml` the German ones, and so on. A language's section lists only
what exists in that language (an article not yet translated into German is not in
`articles-de`), and each address names its alternates, the same page in each language it
exists in, plus `x-default` (English), as the pages' own `hreflang` links do. Django's
`Sitemap.i18n` would list every language's addresses in one section, its pages cut
through the product of items and languages: neither one query a page nor a section a
language.
"""

import copy
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from functools import cached_property, partial
from typing import Any, NamedTuple, TypedDict

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils import timezone, translation

from common.languages import CODES, DEFAULT, hreflang


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


class Alternate(NamedTuple):
    """One `<xhtml:link rel="alternate">` of an address."""

    lang_code: str
    location: str


class SitemapUrl(NamedTuple):
    """One `<url>` of a section page: what Django's `Sitemap._urls` gives its template
    for each item, as attributes (the template reads them 4,000 times a page)."""

    location: str
    lastmod: date | datetime | None
    changefreq: str | None
    priority: str
    alternates: tuple[Alternate, ...] = ()


class LanguageSitemap(Sitemap):
    """A section in one language (`language`, set by `per_language`): its addresses are
    that language's, for the items that exist in it (`item_languages`), each with its
    alternates. For sections of a few items listed by `items()` and `location()`."""

    language = DEFAULT
    # Fewer items than a page holds: the index counts one page without reading them.
    few = True

    def item_languages(self, item: Any) -> Collection[str]:
        """The languages an item's page exists in: all of them, unless its content is
        translated language by language."""
        return CODES

    @property
    def paginator(self) -> Paginator:
        if self.few:
            return Paginator((), self.limit)  # one page; get_urls() reads the items
        return Paginator(self._language_items(), self.limit)

    def _value(self, name: str, item: Any) -> Any:
        """An attribute of the section, or of an item when it is a method (as Django's
        `Sitemap._get`)."""
        value = getattr(self, name, None)
        return value(item) if callable(value) else value

    def _language_items(self) -> list:
        return [item for item in self.items() if self.language in self.item_languages(item)]

    def get_urls(self, page=1, site=None, protocol=None) -> list[SitemapUrl]:  # type: ignore[override]
        number = _page_number(page)
        items = Paginator(self._language_items(), self.limit).page(number).object_list
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        locations: dict[str, list[str]] = {}
        for code in CODES:
            with translation.override(code):
                locations[code] = [self._value("location", item) for item in items]
        urls = []
        dates = []
        for n, item in enumerate(items):
            languages = self.item_languages(item)
            lastmod = self._value("lastmod", item)
            dates.append(lastmod)
            priority = self._value("priority", item)
            urls.append(
                SitemapUrl(
                    f"{prefix}{locations[self.language][n]}",
                    lastmod,
                    self._value("changefreq", item),
                    "" if priority is None else str(priority),
                    alternates(prefix, {code: locations[code][n] for code in languages}),
                )
            )
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls


def alternates(prefix: str, paths: dict[str, str]) -> tuple[Alternate, ...]:
    """An address's alternates: its page in each language it exists in, and English's
    again as `x-default`, for readers of a language the site has not."""
    links = [Alternate(hreflang(code), f"{prefix}{path}") for code, path in paths.items()]
    if DEFAULT in paths:
        links.append(Alternate("x-default", f"{prefix}{paths[DEFAULT]}"))
    return tuple(links)


def section_name(name: str, code: str) -> str:
    """`articles` in English (its address from before the languages), `articles-de`..."""
    return name if code == DEFAULT else f"{name}-{hreflang(code)}"


def per_language(sections: dict[str, Any]) -> dict[str, Callable[[], Sitemap]]:
    """Each section once per language, in the order given: a class is made anew for each
    request; an instance (an app's `for_index()`) is copied for each language, its copies
    sharing what it reads for the index (`SharedFigures`)."""
    return {
        section_name(name, code): partial(_in_language, section, code)
        for name, section in sections.items()
        for code in CODES
    }


def _in_language(section: Any, code: str) -> Sitemap:
    made = section() if isinstance(section, type) else copy.copy(section)
    made.language = code
    return made


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


# A row of a `RowsSitemap`: the slugs of its address (`viewname`'s arguments), its last
# change and the languages its page exists in (`CODES`: all of them).
Row = tuple[tuple[str, ...], datetime | None, Collection[str]]


class RowsSitemap(CountedSitemap):
    """A section in one language (`language`, as `LanguageSitemap`) listed from rows, a
    page of them in one query (`rows()`).

    Subclasses give `viewname` (the address of a row, its slugs the arguments),
    `rows(start, stop)` (the page's rows that exist in `language`, in a fixed order) and
    `figures()` (the section's size in `language` and its newest change, for the
    index)."""

    # Addresses per page: each carries its alternates in four languages (about 870 bytes
    # an address), so 400 keep a page near 350 KB, under PAGE_CACHE_MAX_BYTES: a page that
    # big is served but never kept by the page cache, and a crawler walks them all.
    limit = 400
    language = DEFAULT
    viewname = ""

    def rows(self, start: int, stop: int) -> list[Row]:
        raise NotImplementedError

    # Django's view passes the list to the template as it is: tuples with attributes,
    # which Jinja2 reads without first trying a dict's missing attribute.
    def get_urls(self, page=1, site=None, protocol=None) -> list[SitemapUrl]:  # type: ignore[override]
        number = _page_number(page)
        rows = self.rows((number - 1) * self.limit, number * self.limit)
        if not rows:
            if number > 1:
                raise EmptyPage("That page contains no results")
            return []
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        priority = "" if self.priority is None else str(self.priority)  # type: ignore[attr-defined]
        changefreq = self.changefreq  # type: ignore[attr-defined]
        zone = timezone.get_current_timezone()
        arity = len(rows[0][0])
        paths = {}
        for code in CODES:
            with translation.override(code):
                paths[code] = joined(self.viewname, arity)
        path = paths[self.language]
        urls = [
            SitemapUrl(
                f"{prefix}{path(*slugs)}",
                # The day in the site's time zone, as the template's `day` filter says it.
                None if lastmod is None else timezone.localtime(lastmod, zone).date(),
                changefreq,
                priority,
                alternates(prefix, {code: paths[code](*slugs) for code in languages}),
            )
            for slugs, lastmod, languages in rows
        ]
        # The page's newest change: Django's sitemap view sends it as Last-Modified.
        dates = [lastmod for _slugs, lastmod, _languages in rows]
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


def languages_of(flags: Iterable[bool]) -> tuple[str, ...]:
    """The languages whose flags are set, the flags in `CODES`' order (a row's columns)."""
    return tuple(code for code, flag in zip(CODES, flags, strict=True) if flag)


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
