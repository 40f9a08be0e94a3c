import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CategoryFactory, FaqEntryFactory
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db


def _sitemap(client) -> str:
    return full_sitemap(client)


def _lastmod(body: str, path: str) -> str | None:
    match = re.search(
        rf"<loc>http://testserver{re.escape(path)}</loc><lastmod>(.*?)</lastmod>", body
    )
    return match.group(1) if match else None


def test_published_articles_categories_the_list_and_the_faq_are_listed_with_dates(client):
    article = ArticleFactory()
    FaqEntryFactory()
    body = _sitemap(client)
    date = article.updated_at.date().isoformat()
    assert _lastmod(body, article.get_absolute_url()) == date
    assert _lastmod(body, article.category.get_absolute_url()) == date
    assert _lastmod(body, reverse("articles:list")) == date
    assert _lastmod(body, reverse("articles:faq")) is not None
    for path in re.findall(r"<loc>http://testserver(/(?:articles|faq)/.*?)</loc>", body):
        assert client.get(path).status_code == 200, path


def test_drafts_scheduled_articles_and_their_empty_categories_are_left_out(client):
    hidden_topic = CategoryFactory(slug="hidden-topic")
    draft = ArticleFactory(category=hidden_topic, draft=True)
    scheduled = ArticleFactory(category=hidden_topic, scheduled=True)
    body = _sitemap(client)
    assert draft.get_absolute_url() not in body
    assert scheduled.get_absolute_url() not in body
    assert "hidden-topic" not in body
