"""Articles, the FAQ and the site pages in each language: the translation where it is
written, else the English text with a notice; alternates and sitemaps only where it is."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import translate_url

from pages.models import SitePage
from tests.factories import ArticleFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db

GERMAN = {
    "title_de": "Pflege in der ersten Woche",
    "summary_de": "Was Sie nach der Sitzung beachten sollten.",
    "body_de": "## Trocken halten\n\nWaschen Sie die Kopfhaut vier Tage lang nicht.",
}


def _in(language: str, path: str) -> str:
    """An English address's page in another language."""
    return translate_url(path, language)


def _hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def _canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def test_a_translated_article_is_read_in_german_at_its_german_address(client):
    article = ArticleFactory(title="Aftercare in the first week", **GERMAN)
    english_path = article.get_absolute_url()  # before a request leaves German active
    path = _in("de", english_path)
    assert path == f"/de/articles/{article.slug}/"
    html = client.get(path).content.decode()
    assert '<html lang="de">' in html
    assert '<h1 class="article__title">Pflege in der ersten Woche</h1>' in html
    assert '<h2 id="trocken-halten">Trocken halten</h2>' in html
    assert "Aftercare in the first week" not in html
    assert 'role="note"' not in html
    assert set(_hreflangs(html)) == {"en", "de", "x-default"}
    assert _canonical(html) == f"http://testserver{path}"
    # The English address still reads English.
    english = client.get(english_path).content.decode()
    assert '<h1 class="article__title">Aftercare in the first week</h1>' in english
    assert _hreflangs(english)["de"] == f"http://testserver{path}"


def test_an_untranslated_article_says_so_and_is_read_in_english(client):
    article = ArticleFactory(title="Aftercare in the first week", body="## Dry\n\nKeep it dry.")
    english_path = article.get_absolute_url()
    path = _in("de", english_path)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<p class="notice" role="note">Dieser Artikel ist noch nicht auf Deutsch verfügbar; '
        "hier lesen Sie ihn auf Englisch.</p>"
    ) in html
    assert '<h1 class="article__title" lang="en">Aftercare in the first week</h1>' in html
    assert '<div class="prose article__body" id="article-body" lang="en">' in html
    assert '<h2 id="dry">Dry</h2>' in html
    # Its only language is English: no German alternate, and the English text's address is
    # the canonical one.
    assert set(_hreflangs(html)) == {"en", "x-default"}
    assert _canonical(html) == f"http://testserver{english_path}"
    english = client.get(english_path).content.decode()
    assert 'hreflang="de"' not in english
    assert 'role="note"' not in english


def test_the_lists_show_the_translated_titles_and_mark_the_english_ones(client):
    ArticleFactory(title="Aftercare in the first week", **GERMAN)
    ArticleFactory(title="What it costs")
    html = client.get("/de/articles/").content.decode()
    assert ">Pflege in der ersten Woche</a></h2>" in html
    assert '<h2 class="article-card__title" lang="en"><a href="/de/articles/' in html
    assert ">What it costs</a></h2>" in html
    assert "Aftercare in the first week" not in html


def test_the_list_in_german_reads_as_few_queries_as_in_english(
    client, django_assert_max_num_queries
):
    ArticleFactory.create_batch(5, **GERMAN)
    ArticleFactory.create_batch(5)
    with django_assert_max_num_queries(3):
        assert client.get("/de/articles/").status_code == 200


def test_the_faq_shows_each_answer_in_german_or_marked_english(
    client, django_assert_max_num_queries
):
    FaqEntryFactory(
        question="Does it hurt?",
        question_de="Tut es weh?",
        answer_de="Meist **kaum**.",
        slug="pain",
    )
    FaqEntryFactory(question="How long does it last?", slug="lasting")
    with django_assert_max_num_queries(1):
        html = client.get("/de/faq/").content.decode()
    assert ">Tut es weh?</a></h3>" in html
    assert "<p>Meist <strong>kaum</strong>.</p>" in html
    assert '<div class="faq__item" id="lasting" lang="en">' in html
    assert '<div class="faq__item" id="pain">' in html
    assert "Einige Antworten sind noch nicht auf Deutsch verfügbar" in html


def test_a_site_page_in_spanish_or_in_english_with_a_notice(client):
    SitePage.objects.filter(slug="privacy").update(
        title_es="Política de privacidad",
        summary_es="Qué datos guardamos.",
        body_es="## Quiénes somos\n\nTexto.",
    )
    page = SitePage.objects.get(slug="privacy")
    page.save()  # renders the Spanish body's HTML
    html = client.get("/es/privacy/").content.decode()
    assert "<h1>Política de privacidad</h1>" in html
    assert '<h2 id="quienes-somos">Quiénes somos</h2>' in html
    assert set(_hreflangs(html)) == {"en", "es", "x-default"}
    french = client.get("/fr/privacy/").content.decode()
    assert "Cette page n’est pas encore disponible en français" in french
    assert '<h1 lang="en">' in french


def _section(client, name: str) -> str:
    response = client.get(f"/sitemap-{name}.xml")
    assert response.status_code == 200
    return response.content.decode()


def _url(xml: str, loc: str) -> str | None:
    match = re.search(rf"<url><loc>{re.escape(loc)}</loc>.*?</url>", xml)
    return match.group(0) if match else None


def test_each_language_has_its_sitemap_with_the_alternates_of_each_address(client):
    translated = ArticleFactory(**GERMAN)
    untranslated = ArticleFactory()
    site = "http://testserver"
    translated_path = translated.get_absolute_url()
    english = _section(client, "articles")
    german = _section(client, "articles-de")
    assert _section(client, "articles-fr").count("<url>") == 0
    # English lists both; German only the article written in German.
    assert _url(english, f"{site}/articles/{untranslated.slug}/")
    assert _url(german, f"{site}/de/articles/{translated.slug}/")
    assert f"/articles/{untranslated.slug}/" not in german
    for xml, language in ((english, "en-gb"), (german, "de")):
        url = _url(xml, f"{site}{_in(language, translated_path)}")
        assert url is not None, language
        links = re.findall(r'<xhtml:link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"/>', url)
        assert links == [
            ("en", f"{site}/articles/{translated.slug}/"),
            ("de", f"{site}/de/articles/{translated.slug}/"),
            ("x-default", f"{site}/articles/{translated.slug}/"),
        ]
    lonely = _url(english, f"{site}/articles/{untranslated.slug}/")
    assert 'hreflang="de"' not in lonely
    # Pages that are in every language list every language.
    clinics_pages = _section(client, "directory-fr")
    assert "<loc>http://testserver/fr/clinics/</loc>" in clinics_pages
    assert clinics_pages.count("<xhtml:link") == 5
    # The site pages: each language lists those written in it, the home page always.
    pages_de = _section(client, "pages-de")
    assert "<loc>http://testserver/de/</loc>" in pages_de
    assert "/de/privacy/" not in pages_de
    # Every address a language's sitemap lists answers.
    for loc in re.findall(r"<loc>http://testserver(.*?)</loc>", german + pages_de):
        assert client.get(loc).status_code == 200, loc


def test_the_structured_data_says_the_language_the_text_is_in(client):
    translated, untranslated = ArticleFactory(**GERMAN), ArticleFactory()
    paths = [_in("de", article.get_absolute_url()) for article in (translated, untranslated)]
    for path, language in zip(paths, ("de", "en"), strict=True):
        html = client.get(path).content.decode()
        assert f'"inLanguage": "{language}"' in html, path


def test_the_faqs_headings_are_the_categories_names_in_the_readers_language(client):
    from tests.factories import CategoryFactory

    category = CategoryFactory(name="Your treatment", name_de="Ihre Behandlung")
    FaqEntryFactory(question="Does it hurt?", category=category, slug="pain")
    german = client.get("/de/faq/").content.decode()
    assert '<h2 class="faq__topic" id="topic-' in german
    assert ">Ihre Behandlung</h2>" in german and "Your treatment" not in german
    # Not yet named in Spanish: the English name.
    assert ">Your treatment</h2>" in client.get("/es/faq/").content.decode()


def test_each_languages_feed_lists_the_articles_written_in_it(client):
    ArticleFactory(title="Aftercare in the first week", **GERMAN)
    ArticleFactory(title="Choosing an artist")
    atom = "{http://www.w3.org/2005/Atom}"

    def titles(path: str) -> list[str]:
        feed = ET.fromstring(client.get(path).content)
        return [entry.findtext(f"{atom}title") for entry in feed.findall(f"{atom}entry")]

    assert sorted(titles("/articles/feed/")) == [
        "Aftercare in the first week",
        "Choosing an artist",
    ]
    assert titles("/de/articles/feed/") == ["Pflege in der ersten Woche"]
    assert titles("/es/articles/feed/") == []
