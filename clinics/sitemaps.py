"""The directory's sitemap sections: each page one query of plain values, whatever the
directory's size (common/sitemaps.py)."""

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from common.languages import CODES
from common.sitemaps import Figures, LanguageSitemap, Row, RowsSitemap, SharedFigures, per_language

from .models import City, Clinic
from .text import country_slug


class DirectoryPagesSitemap(LanguageSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["clinics:countries"]

    def location(self, item):
        return reverse(item)


def _listed_figures() -> dict:
    """The listed clinics' number, their cities' and their newest change: what the index
    asks of the three sections below, in two look-ups whatever the directory's size.

    The numbers add up the counts each city stores (`City.listed_clinic_count`, kept
    with every clinic's save, as the city pages show them): a count of the clinics
    themselves read all 10,000 rows and sorted their cities (6 ms). The newest change is
    the last entry of an index (clinic_listed_updated): PostgreSQL reads MAX() from it.
    """
    figures = City.objects.aggregate(
        clinics=Coalesce(Sum("listed_clinic_count"), 0),
        cities=Count("pk", filter=Q(listed_clinic_count__gt=0)),
    )
    figures.update(Clinic.objects.listed().aggregate(latest=Max("updated_at")))
    return figures


class _ListedSitemap(RowsSitemap):
    def __init__(self, listed: SharedFigures | None = None) -> None:
        self.listed = listed or SharedFigures(_listed_figures)


class CountrySitemap(_ListedSitemap):
    changefreq = "weekly"
    priority = 0.6
    viewname = "clinics:country"

    def figures(self) -> Figures:
        # Fewer countries than a page holds: one page, never counted.
        return {"count": 0, "latest": self.listed.values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        rows = (
            Clinic.objects.listed()
            .values_list("city__country")
            .annotate(lastmod=Max("updated_at"))
            .order_by("city__country")
        )
        # A clinic's own text is not translated: its pages are in every language.
        return [((country_slug(code),), lastmod, CODES) for code, lastmod in rows[start:stop]]


class CitySitemap(_ListedSitemap):
    changefreq = "weekly"
    priority = 0.7
    viewname = "clinics:city"

    def figures(self) -> Figures:
        values = self.listed.values
        return {"count": values["cities"], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        # A city's newest listed clinic: one look-up per city of the page, in the index
        # alone (clinic_listed_city_updated).
        newest = (
            Clinic.objects.listed()
            .filter(city=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        rows = (
            City.objects.filter(listed_clinic_count__gt=0)
            .order_by("country", "slug")
            .values_list("country", "slug")
            .annotate(lastmod=Subquery(newest))
        )
        return [
            ((country_slug(code), slug), lastmod, CODES) for code, slug, lastmod in rows[start:stop]
        ]


class ClinicSitemap(_ListedSitemap):
    changefreq = "weekly"
    priority = 0.9
    viewname = "clinics:clinic"

    def figures(self) -> Figures:
        values = self.listed.values
        return {"count": values["clinics"], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        # Clinic.get_absolute_url(): its city's address plus its slug.
        rows = (
            Clinic.objects.listed()
            .order_by("pk")
            .values_list("city__country", "city__slug", "slug", "updated_at")
        )
        return [
            ((country_slug(code), city, slug), lastmod, CODES)
            for code, city, slug, lastmod in rows[start:stop]
        ]


sitemaps = per_language(
    {
        "directory": DirectoryPagesSitemap,
        "countries": CountrySitemap,
        "cities": CitySitemap,
        "clinics": ClinicSitemap,
    }
)


def for_index() -> dict:
    """The sections for one request of the index, in each language: the three that
    count listed clinics share one query (the same figures in every language)."""
    listed = SharedFigures(_listed_figures)
    return per_language(
        {
            "directory": DirectoryPagesSitemap(),
            "countries": CountrySitemap(listed),
            "cities": CitySitemap(listed),
            "clinics": ClinicSitemap(listed),
        }
    )
