from datetime import datetime
from functools import cached_property

from django.db.models import Count, Max
from django.urls import reverse

from common.languages import CODES, localized
from common.sitemaps import (
    Figures,
    LanguageSitemap,
    Row,
    RowsSitemap,
    SharedFigures,
    languages_of,
    per_language,
)

from .models import Article, Category, FaqEntry


def _published_figures() -> dict:
    """The published articles' number in each language and their newest change: what
    the index asks of the article pages (the list's date), the categories (they change
    with their newest article) and each language's articles, in one query."""
    return Article.objects.published().aggregate(
        latest=Max("updated_at"),
        **{
            localized("count", code): Count("pk", filter=Article.written_in(code)) for code in CODES
        },
    )


class ArticlePagesSitemap(LanguageSitemap):
    """The article list and the FAQ, dated by their newest content: in every language,
    each article or answer in its translation or in English."""

    changefreq = "weekly"
    priority = 0.6

    def __init__(self, published: SharedFigures | None = None) -> None:
        self.published = published or SharedFigures(_published_figures)
        # Read once for the four languages' sections of the index (their copies share it).
        self.faq = SharedFigures(
            lambda: FaqEntry.objects.published().aggregate(latest=Max("updated_at"))
        )

    def items(self):
        return [
            ("articles:list", self.published.values["latest"]),
            ("articles:faq", self.faq.values["latest"]),
        ]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


class CategorySitemap(LanguageSitemap):
    """Categories with a public article, in every language (their lists show each
    article in its translation or in English)."""

    changefreq = "weekly"
    priority = 0.5

    def __init__(self, published: SharedFigures | None = None) -> None:
        self.published = published or SharedFigures(_published_figures)

    def get_latest_lastmod(self) -> datetime | None:
        return self.published.values["latest"]

    @cached_property
    def _categories(self) -> list[Category]:
        # A few dozen at most: one list serves the page.
        return list(Category.objects.with_published_counts().order_by("slug"))

    def items(self):
        return self._categories

    def lastmod(self, category):
        return category.lastmod


class ArticleSitemap(RowsSitemap):
    """The articles written in the section's language (an article not yet translated is
    left out of that language's section), each with its translations as alternates."""

    changefreq = "monthly"
    priority = 0.7
    viewname = "articles:detail"

    def __init__(self, published: SharedFigures | None = None) -> None:
        self.published = published or SharedFigures(_published_figures)

    def figures(self) -> Figures:
        values = self.published.values
        return {"count": values[localized("count", self.language)], "latest": values["latest"]}

    def rows(self, start: int, stop: int) -> list[Row]:
        flags = Article.language_flags()
        rows = (
            Article.objects.published()
            .filter(Article.written_in(self.language))
            .annotate(**flags)
            .order_by("pk")
            .values_list("slug", "updated_at", *flags)
        )
        return [
            ((slug,), lastmod, languages_of(written))
            for slug, lastmod, *written in rows[start:stop]
        ]


sitemaps = per_language(
    {
        "article-pages": ArticlePagesSitemap,
        "article-categories": CategorySitemap,
        "articles": ArticleSitemap,
    }
)


def for_index() -> dict:
    """The sections for one request of the index, in each language: the article pages,
    the categories and the articles share one query."""
    published = SharedFigures(_published_figures)
    return per_language(
        {
            "article-pages": ArticlePagesSitemap(published),
            "article-categories": CategorySitemap(published),
            "articles": ArticleSitemap(published),
        }
    )
