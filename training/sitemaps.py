from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Event, TrainingClass


class TrainingPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["training:list", "training:archive"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Event.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 1000

    def get_latest_lastmod(self):
        return Event.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class TrainingClassSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 1000

    def get_latest_lastmod(self):
        return TrainingClass.objects.published().aggregate(latest=Max("updated_at"))["latest"]

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
