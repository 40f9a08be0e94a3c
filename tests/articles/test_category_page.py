import pytest

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_a_category_page_lists_its_published_articles_only(client):
    aftercare = CategoryFactory(name="Aftercare", description="Looking after a new treatment.")
    ArticleFactory(title="Washing after SMP", category=aftercare)
    ArticleFactory(title="Draft about sun", category=aftercare, draft=True)
    ArticleFactory(title="Scheduled about sweat", category=aftercare, scheduled=True)
    ArticleFactory(title="About costs")
    response = client.get(aftercare.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Aftercare</h1>" in html
    assert "Looking after a new treatment." in html
    assert "Washing after SMP" in html
    for hidden in ["Draft about sun", "Scheduled about sweat", "About costs"]:
        assert hidden not in html
    assert 'aria-current="page">Aftercare' in html


def test_a_category_with_nothing_public_is_not_indexed(client):
    category = CategoryFactory()
    ArticleFactory(category=category, draft=True)
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_an_unknown_category_is_404(client):
    assert client.get("/articles/category/nope/").status_code == 404


@pytest.mark.parametrize("page", ["2", "x"])
def test_a_category_page_out_of_range_is_404(client, page):
    category = CategoryFactory()
    ArticleFactory.create_batch(3, category=category)
    assert client.get(category.get_absolute_url(), {"page": page}).status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_the_query_count_is_fixed(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    ArticleFactory.create_batch(count, category=category, with_hero=True)
    ArticleFactory.create_batch(count)
    with django_assert_max_num_queries(4):
        assert client.get(category.get_absolute_url()).status_code == 200
