from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from common.sitemaps import CountedSitemap, Figures

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


class EventSitemap(CountedSitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 1000

    def figures(self) -> Figures:
        return Event.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class TrainingClassSitemap(CountedSitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 1000

    def figures(self) -> Figures:
        return TrainingClass.objects.published().aggregate(
            count=Count("pk"), latest=Max("updated_at")
        )

    def items(self):
        return (
            TrainingClass.objects.published()
            .select_related("event")
            .only("slug", "updated_at", "event__slug")
            .order_by("pk")
        )

    def lastmod(self, training_class):
        return training_class.updated_at


sitemaps = {
    "training-pages": TrainingPagesSitemap,
    "training-events": EventSitemap,
    "training-classes": TrainingClassSitemap,
}
