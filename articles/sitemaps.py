from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Article, Category, FaqEntry


class ArticlePagesSitemap(Sitemap):
    """The article list and the FAQ, dated by their newest content."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["articles:list", "articles:faq"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "articles:list":
            return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return FaqEntry.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Category.objects.with_published_counts().order_by("slug")

    def lastmod(self, category):
        return category.lastmod


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7
    limit = 1000

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


sitemaps = {
    "article-pages": ArticlePagesSitemap,
    "article-categories": CategorySitemap,
    "articles": ArticleSitemap,
}
