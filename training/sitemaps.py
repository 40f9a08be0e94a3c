from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from common.sitemaps import Figures, Row, RowsSitemap, joined

from .models import Event, TrainingClass


class TrainingPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    @cached_property
    def _latest(self) -> datetime | None:
        # Both pages change with the events: one query, not one per page and one more
        # for the index.
        return Event.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return ["training:list", "training:archive"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._latest

    def get_latest_lastmod(self):
        return self._latest


class EventSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6

    def figures(self) -> Figures:
        return Event.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))

    def rows(self, start: int, stop: int) -> list[Row]:
        path = joined("training:event", 1)
        rows = Event.objects.published().order_by("pk").values_list("slug", "updated_at")
        return [(path(slug), lastmod) for slug, lastmod in rows[start:stop]]


class TrainingClassSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6

    def figures(self) -> Figures:
        return TrainingClass.objects.published().aggregate(
            count=Count("pk"), latest=Max("updated_at")
        )

    def rows(self, start: int, stop: int) -> list[Row]:
        path = joined("training:class", 2)
        rows = (
            TrainingClass.objects.published()
            .order_by("pk")
            .values_list("event__slug", "slug", "updated_at")
        )
        return [(path(event, slug), lastmod) for event, slug, lastmod in rows[start:stop]]


sitemaps = {
    "training-pages": TrainingPagesSitemap,
    "training-events": EventSitemap,
    "training-classes": TrainingClassSitemap,
}
