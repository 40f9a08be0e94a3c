from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.urls import reverse

from common.sitemaps import Figures, Row, RowsSitemap, SharedFigures, joined

from .models import Article, Category, FaqEntry


def _published_figures() -> dict:
    """The published articles' number, their categories' and their newest change: what
    the index asks of the article pages (the list's date), the categories (a category
    is listed while it has a public article, and changes with its newest) and the
    articles, in one query."""
    return Article.objects.published().aggregate(
        count=Count("pk"), categories=Count("category_id", distinct=True), latest=Max("updated_at")
    )


class ArticlePagesSitemap(Sitemap):
    """The article list and the FAQ, dated by their newest content."""

    changefreq = "weekly"
    priority = 0.6

    def __init__(self, published: SharedFigures | None = None) -> None:
        self.published = published or SharedFigures(_published_figures)

    @cached_property
    def _dated(self) -> list[tuple[str, datetime | None]]:
        # Read once: the index asks for the newest date, then for the number of items.
        articles = self.published.values["latest"]
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

    def __init__(self, published: SharedFigures | None = None) -> None:
        # For the index (`for_index`): the figures it asks for, from the articles'.
        self.published = published

    def get_latest_lastmod(self) -> datetime | None:
        if self.published is None:
            return super().get_latest_lastmod()
        return self.published.values["latest"]

    @property
    def paginator(self) -> Paginator:
        if self.published is None:
            return super().paginator
        # The categories unread: the index asks for the number of pages only.
        pages = Paginator(Category.objects.with_published_counts().order_by("slug"), self.limit)
        pages.count = self.published.values["categories"]  # a cached_property, filled ahead
        return pages

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

    def __init__(self, published: SharedFigures | None = None) -> None:
        self.published = published or SharedFigures(_published_figures)

    def figures(self) -> Figures:
        values = self.published.values
        return {"count": values["count"], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        path = joined("articles:detail", 1)
        rows = Article.objects.published().order_by("pk").values_list("slug", "updated_at")
        return [(path(slug), lastmod) for slug, lastmod in rows[start:stop]]


sitemaps = {
    "article-pages": ArticlePagesSitemap,
    "article-categories": CategorySitemap,
    "articles": ArticleSitemap,
}


def for_index() -> dict[str, Sitemap]:
    """The sections for one request of the index: the article pages, the categories and
    the articles share one query."""
    published = SharedFigures(_published_figures)
    return {
        "article-pages": ArticlePagesSitemap(published),
        "article-categories": CategorySitemap(published),
        "articles": ArticleSitemap(published),
    }
