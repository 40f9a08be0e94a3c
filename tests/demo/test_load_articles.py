import pytest

from articles.models import Article, Category, FaqEntry
from demo.articles import AUTHOR, load_articles

pytestmark = pytest.mark.django_db

TOPICS = {
    "what-is-scalp-micropigmentation",
    "who-is-smp-for",
    "smp-consultation",
    "smp-sessions-and-aftercare",
    "smp-benefits-and-risks",
    "smp-vs-hair-transplant",
    "choosing-an-smp-specialist",
    "how-long-does-smp-last",
    "smp-cost",
}


def _snapshot():
    return (
        list(Category.objects.values_list("slug", flat=True)),
        list(Article.objects.order_by("pk").values_list("slug", "updated_at", "hero_image")),
        list(FaqEntry.objects.order_by("pk").values_list("slug", "updated_at")),
    )


def test_it_is_idempotent_and_leaves_unchanged_rows_alone():
    first_counts = load_articles()
    first = _snapshot()
    assert load_articles() == first_counts
    assert _snapshot() == first


def test_it_writes_real_readable_sample_articles():
    load_articles()
    articles = list(Article.objects.published().select_related("category"))
    assert len(articles) >= 8
    assert {a.slug for a in articles} >= TOPICS
    for article in articles:
        assert 400 <= article.word_count <= 900, (article.slug, article.word_count)
        assert article.show_toc, article.slug
        assert article.author_name == AUTHOR and "(sample content)" in AUTHOR
        assert "Sample content" in article.body_html.split("</p>")[0], article.slug
        assert article.hero_alt and (article.hero_width, article.hero_height) == (1200, 630)
    assert FaqEntry.objects.published().count() >= 12
    assert Category.objects.with_published_counts().count() >= 3


def test_the_cost_article_gives_ranges_for_several_countries():
    load_articles()
    body = Article.objects.get(slug="smp-cost").body_html
    for price in ["$2,000–$4,000", "£1,200–£2,200", "€", "A$", "C$"]:
        assert price in body, price
    assert "<table>" in body


def test_the_pages_show_the_sample_articles_and_their_images(client):
    load_articles()
    article = Article.objects.get(slug="who-is-smp-for")
    html = client.get(article.get_absolute_url()).content.decode()
    for subject in ["Women", "Scars", "Alopecia", "chemotherapy"]:
        assert subject in html, subject
    assert client.get(article.hero_image.url).status_code == 200
    assert client.get("/faq/").status_code == 200


def test_every_answer_three_articles_and_the_site_pages_come_in_german_spanish_and_french(
    client,
):
    from demo.articles import load_page_translations
    from pages.models import SitePage

    load_articles()
    assert load_page_translations() == len(SitePage.Slug.values)
    assert load_page_translations() == 0  # what is written is kept
    everywhere = ["en-gb", "de", "es", "fr"]
    for entry in FaqEntry.objects.all():
        assert entry.text_languages() == everywhere, entry.slug
    translated = {a.slug for a in Article.objects.all() if a.text_languages() == everywhere}
    assert translated == {"what-is-scalp-micropigmentation", "smp-cost", "how-long-does-smp-last"}
    for page in SitePage.objects.all():
        assert page.text_languages() == everywhere, page.slug
    german = Article.objects.get(slug="smp-cost")
    assert german.body_html_de.startswith("<p><em>Beispielinhalt"), "marked as sample content"
    assert german.toc_de and 400 <= german.word_count_de <= 900
    # The pages read in each language, and their links stay in it.
    html = client.get("/fr/articles/smp-cost/").content.decode()
    assert "Combien coûte la micropigmentation capillaire" in html
    assert 'href="/fr/clinics/"' in html
    assert (
        "<em>Un point de départ rédigé pour ce projet"
        in client.get("/fr/privacy/").content.decode()
    )
    untranslated = client.get("/es/articles/who-is-smp-for/").content.decode()
    assert "Este artículo aún no está disponible en español" in untranslated
