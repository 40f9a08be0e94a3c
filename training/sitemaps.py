from datetime import datetime
from functools import cached_property

from django.db.models import Count, Max
from django.urls import reverse

from common.languages import CODES
from common.sitemaps import Figures, LanguageSitemap, Row, RowsSitemap, SharedFigures, per_language

from .models import Event, TrainingClass


def _event_figures() -> dict:
    """The published events' number and newest change: what the index asks of the
    training pages (their date) and of the events' section, in one query."""
    return Event.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))


class TrainingPagesSitemap(LanguageSitemap):
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
    viewname = "training:event"

    def __init__(self, events: SharedFigures | None = None) -> None:
        self.events = events or SharedFigures(_event_figures)

    def figures(self) -> Figures:
        values = self.events.values
        return {"count": values["count"], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        rows = Event.objects.published().order_by("pk").values_list("slug", "updated_at")
        # An organiser's own text is not translated: its pages are in every language.
        return [((slug,), lastmod, CODES) for slug, lastmod in rows[start:stop]]


def _class_figures() -> dict:
    return TrainingClass.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))


class TrainingClassSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6
    viewname = "training:class"

    def __init__(self, classes: SharedFigures | None = None) -> None:
        # One query for the index's four languages' sections (their copies share it).
        self.classes = classes or SharedFigures(_class_figures)

    def figures(self) -> Figures:
        values = self.classes.values
        return {"count": values["count"], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        rows = (
            TrainingClass.objects.published()
            .order_by("pk")
            .values_list("event__slug", "slug", "updated_at")
        )
        return [((event, slug), lastmod, CODES) for event, slug, lastmod in rows[start:stop]]


sitemaps = per_language(
    {
        "training-pages": TrainingPagesSitemap,
        "training-events": EventSitemap,
        "training-classes": TrainingClassSitemap,
    }
)


def for_index() -> dict:
    """The sections for one request of the index, in each language: the training pages
    and the events share one query."""
    events = SharedFigures(_event_figures)
    return per_language(
        {
            "training-pages": TrainingPagesSitemap(events),
            "training-events": EventSitemap(events),
            "training-classes": TrainingClassSitemap(SharedFigures(_class_figures)),
        }
    )
