from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from common.sitemaps import Figures, Row, RowsSitemap, SharedFigures, joined

from .models import Event, TrainingClass


def _event_figures() -> dict:
    """The published events' number and newest change: what the index asks of the
    training pages (their date) and of the events' section, in one query."""
    return Event.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))


class TrainingPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def __init__(self, events: SharedFigures | None = None) -> None:
        self.events = events or SharedFigures(_event_figures)

    @cached_property
    def _latest(self) -> datetime | None:
        # Both pages change with the events: one query, not one per page and one more
        # for the index.
        return self.events.values["latest"]

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

    def __init__(self, events: SharedFigures | None = None) -> None:
        self.events = events or SharedFigures(_event_figures)

    def figures(self) -> Figures:
        values = self.events.values
        return {"count": values["count"], "latest": values["latest"]}

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


def for_index() -> dict[str, Sitemap]:
    """The sections for one request of the index: the training pages and the events
    share one query."""
    events = SharedFigures(_event_figures)
    return {
        "training-pages": TrainingPagesSitemap(events),
        "training-events": EventSitemap(events),
        "training-classes": TrainingClassSitemap(),
    }
