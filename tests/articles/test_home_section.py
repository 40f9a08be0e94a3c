from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_links_to_the_three_latest_articles(client):
    now = timezone.now()
    for n in range(1, 5):
        ArticleFactory(title=f"Piece {n}", published_at=now - timedelta(days=n))
    ArticleFactory(title="Draft piece", draft=True)
    response = client.get("/")
    assert [a.title for a in response.context["latest_articles"]] == [
        "Piece 1",
        "Piece 2",
        "Piece 3",
    ]
    html = response.content.decode()
    assert "Learn about SMP" in html
    assert "Piece 4" not in html and "Draft piece" not in html


def test_the_section_is_left_out_when_there_is_nothing_to_read(client):
    ArticleFactory(draft=True)
    assert "Learn about SMP" not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_adds_one_query_at_most(client, django_assert_max_num_queries, count):
    ArticleFactory.create_batch(count, with_hero=True)
    # Featured cities, articles, and the next training classes (training's own test).
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200
