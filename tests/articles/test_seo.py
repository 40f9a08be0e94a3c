"""Every article page has one h1 and a title of its own."""

import pytest
from django.urls import reverse

from tests.articles.html import h1_count, title
from tests.factories import ArticleFactory, CategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db


def test_each_page_has_exactly_one_h1_and_a_unique_title(client):
    category = CategoryFactory(name="Aftercare")
    ArticleFactory.create_batch(12, category=category)
    article = ArticleFactory(title="Sun and SMP", category=category, body="# A heading\n\nText")
    other = ArticleFactory(title="Costs explained")
    FaqEntryFactory()
    urls = [
        reverse("articles:list"),
        reverse("articles:list") + "?page=2",
        category.get_absolute_url(),
        other.category.get_absolute_url(),
        article.get_absolute_url(),
        other.get_absolute_url(),
        reverse("articles:faq"),
        "/",
    ]
    titles = []
    for url in urls:
        html = client.get(url).content.decode()
        assert h1_count(html) == 1, url
        titles.append(title(html))
    assert len(set(titles)) == len(titles), titles


def test_the_main_navigation_links_to_articles_and_the_faq(client):
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("articles:list")}">Articles</a>' in html
    assert f'<a href="{reverse("articles:faq")}">FAQ</a>' in html
