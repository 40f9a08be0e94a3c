from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import City, Clinic
from .text import country_slug


class DirectoryPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["clinics:countries"]

    def location(self, item):
        return reverse(item)


class CountrySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def get_latest_lastmod(self):
        return Clinic.objects.listed().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        rows = (
            Clinic.objects.listed()
            .values("city__country")
            .annotate(lastmod=Max("updated_at"))
            .order_by("city__country")
        )
        return list(rows)

    def location(self, item):
        return reverse("clinics:country", args=[country_slug(item["city__country"])])

    def lastmod(self, item):
        return item["lastmod"]


class CitySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 1000

    def get_latest_lastmod(self):
        return Clinic.objects.listed().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return (
            City.objects.with_listed_clinics()
            .annotate(lastmod=Max("clinics__updated_at"))
            .order_by("country", "slug")
        )

    def lastmod(self, city):
        return city.lastmod


class ClinicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9
    limit = 1000

    def get_latest_lastmod(self):
        # One query, rather than the default: every clinic loaded to find the newest.
        return Clinic.objects.listed().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return (
            Clinic.objects.listed()
            .select_related("city")
            .only("slug", "updated_at", "city_id", "city__slug", "city__country")
            .order_by("pk")
        )

    def lastmod(self, clinic):
        return clinic.updated_at

    def location(self, clinic) -> str:
        # The same address as clinic.get_absolute_url(), with each city's part reversed
        # once per sitemap page rather than once per clinic (a page lists 1,000).
        known = self.__dict__.setdefault("_city_urls", {})
        if clinic.city_id not in known:
            known[clinic.city_id] = clinic.city.get_absolute_url()
        return f"{known[clinic.city_id]}{clinic.slug}/"


sitemaps = {
    "directory": DirectoryPagesSitemap,
    "countries": CountrySitemap,
    "cities": CitySitemap,
    "clinics": ClinicSitemap,
}
