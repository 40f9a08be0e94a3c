from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db
LIST = reverse("articles:list")


def test_it_lists_published_articles_newest_first(client):
    now = timezone.now()
    old = ArticleFactory(title="Older", published_at=now - timedelta(days=9))
    new = ArticleFactory(title="Newer", published_at=now - timedelta(days=1))
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"]) == [new, old]
    html = response.content.decode()
    assert html.index("Newer") < html.index("Older")
    assert new.get_absolute_url() in html


def test_it_hides_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Visible piece")
    ArticleFactory(title="Draft piece", draft=True)
    ArticleFactory(title="Future piece", scheduled=True)
    html = client.get(LIST).content.decode()
    assert "Visible piece" in html
    assert "Draft piece" not in html and "Future piece" not in html


def test_it_is_paginated_twelve_to_a_page(client, settings):
    assert settings.ARTICLES_PER_PAGE == 12
    ArticleFactory.create_batch(13)
    first = client.get(LIST)
    assert len(first.context["page"]) == 12
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"]) == 1
    # Later pages point search engines at themselves, not at page 1.
    assert '<link rel="canonical" href="http://testserver/articles/?page=2">' in (
        second.content.decode()
    )


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "9" * 40])
def test_an_out_of_range_page_is_404(client, page):
    ArticleFactory.create_batch(13)
    assert client.get(LIST, {"page": page}).status_code == 404


def test_the_topic_filter_lists_only_categories_with_public_articles(client):
    shown = CategoryFactory(name="Aftercare")
    empty = CategoryFactory(name="Empty topic")
    ArticleFactory.create_batch(2, category=shown)
    ArticleFactory(category=empty, draft=True)
    response = client.get(LIST)
    assert [(c.name, c.article_count) for c in response.context["categories"]] == [("Aftercare", 2)]
    html = response.content.decode()
    assert shown.get_absolute_url() in html and empty.get_absolute_url() not in html


def test_filtering_by_category_redirects_to_the_category_page(client):
    category = CategoryFactory(slug="aftercare")
    response = client.get(LIST, {"category": "aftercare"})
    assert response.status_code == 301
    assert response["Location"] == category.get_absolute_url()
    assert client.get(LIST, {"category": "nope"}).status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_the_query_count_is_fixed(client, django_assert_max_num_queries, count):
    for category in CategoryFactory.create_batch(3):
        ArticleFactory.create_batch(count, category=category, with_hero=True)
    # Categories for the topic filter, the page count, the page of articles.
    with django_assert_max_num_queries(3):
        assert client.get(LIST).status_code == 200
