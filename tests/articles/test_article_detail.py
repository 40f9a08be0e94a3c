from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.html import h1_count, json_ld
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LONG_BODY = "\n\n".join(f"## Section {n}\n\n" + "word " * 150 for n in range(1, 5))


def test_an_article_page_shows_everything_a_reader_needs(client):
    article = ArticleFactory(
        title="Aftercare in the first week", body=LONG_BODY, with_hero=True, author_name="Ada"
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        '<h1 class="article__title">Aftercare in the first week</h1>',
        f'src="{article.hero_image.url}" alt="A drawn scalp covered in fine dots" '
        'width="1200" height="630"',
        "By Ada",
        "3 min read",  # 604 words at 220 a minute
        "Last updated",
        article.category.name,
    ]:
        assert text in html, text
    assert h1_count(html) == 1


def test_the_table_of_contents_links_to_each_section(client):
    article = ArticleFactory(body=LONG_BODY)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'aria-labelledby="toc-heading"' in html
    for n in range(1, 5):
        assert f'<a class="toc__link" href="#section-{n}">Section {n}</a>' in html
        assert f'<h2 id="section-{n}">Section {n}</h2>' in html


def test_a_short_article_has_no_table_of_contents(client):
    article = ArticleFactory(body="## Only\n\nA little text.\n\n## Two\n\nMore.")
    assert 'id="toc"' not in client.get(article.get_absolute_url()).content.decode()


def test_the_updated_date_shows_when_the_article_was_revised(client):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=30))
    article.body += "\n\nOne more paragraph."
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "· Updated <time" in html


def test_saving_an_article_without_changing_its_text_is_no_update(client):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=30))
    article.save()  # as a reload of sample data does
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "· Updated" not in html
    assert '<time datetime="' + article.published_at.replace(microsecond=0).isoformat() in html


def test_related_articles_come_from_the_same_category(client):
    now = timezone.now()
    topic = CategoryFactory(name="Costs")
    article = ArticleFactory(category=topic, title="Main piece")
    siblings = [
        ArticleFactory(category=topic, title=f"Sibling {n}", published_at=now - timedelta(hours=n))
        for n in range(1, 5)
    ]
    ArticleFactory(category=topic, title="Draft sibling", draft=True)
    ArticleFactory(category=topic, title="Future sibling", scheduled=True)
    ArticleFactory(title="Other topic")
    response = client.get(article.get_absolute_url())
    assert list(response.context["related"]) == siblings[:3]
    html = response.content.decode()
    assert "More about Costs" in html
    for hidden in ["Sibling 4", "Draft sibling", "Future sibling", "Other topic"]:
        assert hidden not in html


def test_it_invites_the_reader_to_get_a_quote_or_find_an_artist(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="button" href="{reverse("quotes:request")}">Get a free quote</a>' in html
    assert f'href="{reverse("clinics:countries")}">Find an artist</a>' in html


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_drafts_and_scheduled_articles_are_404(client, trait):
    article = ArticleFactory(**{trait: True})
    assert client.get(article.get_absolute_url()).status_code == 404


def test_it_has_article_json_ld_open_graph_and_a_canonical_url(client):
    article = ArticleFactory(title="Cost guide", with_hero=True, author_name="Ada Editor")
    url = f"http://testserver{article.get_absolute_url()}"
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == "Cost guide"
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"] == article.published_at.isoformat()  # never revised
    assert data["author"] == {"@type": "Person", "name": "Ada Editor"}
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["image"]["url"] == f"http://testserver{article.hero_image.url}"
    assert (data["image"]["width"], data["image"]["height"]) == (1200, 630)
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Cost guide">' in html
    assert f'<meta property="og:image" content="http://testserver{article.hero_image.url}">' in html


def test_json_ld_cannot_be_broken_out_of(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("count", [5, 50])
def test_the_query_count_is_fixed(client, django_assert_max_num_queries, count):
    category = CategoryFactory()
    ArticleFactory.create_batch(count, category=category, with_hero=True)
    article = ArticleFactory(category=category, body=LONG_BODY, with_hero=True)
    # The article with its category, then the related articles.
    with django_assert_max_num_queries(2):
        assert client.get(article.get_absolute_url()).status_code == 200
