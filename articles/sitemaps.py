from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from common.sitemaps import Figures, Row, RowsSitemap, joined

from .models import Article, Category, FaqEntry


class ArticlePagesSitemap(Sitemap):
    """The article list and the FAQ, dated by their newest content."""

    changefreq = "weekly"
    priority = 0.6

    @cached_property
    def _dated(self) -> list[tuple[str, datetime | None]]:
        # Read once: the index asks for the newest date, then for the number of items.
        articles = Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        faq = FaqEntry.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return [("articles:list", articles), ("articles:faq", faq)]

    def items(self):
        return self._dated

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    @cached_property
    def _categories(self) -> list[Category]:
        # A few dozen at most: one list serves the newest change, the count and the page.
        return list(Category.objects.with_published_counts().order_by("slug"))

    def items(self):
        return self._categories

    def lastmod(self, category):
        return category.lastmod


class ArticleSitemap(RowsSitemap):
    changefreq = "monthly"
    priority = 0.7

    def figures(self) -> Figures:
        return Article.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))

    def rows(self, start: int, stop: int) -> list[Row]:
        path = joined("articles:detail", 1)
        rows = Article.objects.published().order_by("pk").values_list("slug", "updated_at")
        return [(path(slug), lastmod) for slug, lastmod in rows[start:stop]]


sitemaps = {
    "article-pages": ArticlePagesSitemap,
    "article-categories": CategorySitemap,
    "articles": ArticleSitemap,
}
