"""What keeps the sitemap cheap to answer from the database, with nothing kept between
requests (README, "Performance").

The views are Django's own (smp_site/urls.py). A section page is one query for its
addresses plus one for its figures, and is rendered by Jinja2
(common/jinja2/sitemaps/urlset.xml): the same XML as Django's template, several times
faster for the 1,000 addresses a page may list. The index asks every section for its
size and newest change: `CountedSitemap` answers both from one query, where Django's
defaults ask twice, or load every item to find the newest.
"""

from datetime import datetime
from functools import cached_property
from typing import TypedDict

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator


class Figures(TypedDict):
    count: int
    latest: datetime | None


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
