import pytest
from django.urls import reverse

from articles.models import Article, FaqEntry
from pages.models import SitePage
from tests.factories import ArticleFactory, CategoryFactory, FaqEntryFactory
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db
ARTICLES = reverse("admin:articles_article_changelist")
LANGUAGES = ("en_gb", "de", "es", "fr")


def _act(client, action, objects):
    return client.post(
        ARTICLES, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True
    )


def test_the_list_shows_status_category_and_dates_with_filters_and_search(admin_client):
    ArticleFactory(title="Sun care", category=CategoryFactory(name="Aftercare"))
    ArticleFactory(title="Price guide", draft=True)
    html = admin_client.get(ARTICLES).content.decode()
    for column in ["Status", "Live", "Category", "Published at", "Updated at"]:
        assert column in html, column
    drafts = admin_client.get(ARTICLES, {"status__exact": "draft"}).content.decode()
    assert "Price guide" in drafts and "Sun care" not in drafts
    found = admin_client.get(ARTICLES, {"q": "sun"}).content.decode()
    assert "Sun care" in found and "Price guide" not in found


def test_publishing_from_the_list_makes_an_article_public(admin_client, client):
    article = ArticleFactory(draft=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    response = _act(admin_client, "publish_articles", [article])
    assert "Published 1 article(s)." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.get_absolute_url() in full_sitemap(client)


def test_publishing_keeps_a_future_date_as_a_schedule(admin_client, client):
    article = ArticleFactory(scheduled=True, status=Article.Status.DRAFT)
    response = _act(admin_client, "publish_articles", [article])
    assert "1 of them will appear on their later publication date." in (response.content.decode())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unpublishing_hides_an_article_everywhere(admin_client, client):
    article = ArticleFactory(title="Vanishing piece")
    _act(admin_client, "unpublish_articles", [article])
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in [reverse("articles:list"), reverse("articles:feed")]:
        assert "Vanishing piece" not in client.get(url).content.decode(), url
        assert article.get_absolute_url() not in client.get(url).content.decode(), url
    assert article.get_absolute_url() not in full_sitemap(client)


def test_the_change_page_previews_the_rendered_body_and_hides_body_html(admin_client):
    article = ArticleFactory(body="## Care\n\nKeep it **dry**.\n\n<script>alert(1)</script>")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="admin-rendered"><h2 id="care">Care</h2>' in html
    assert "<strong>dry</strong>" in html
    assert "<script>alert(1)</script>" not in html
    form_fields = set(response.context["adminform"].form.fields)
    assert {"title_en_gb", "summary_en_gb", "body_en_gb", "hero_alt_en_gb"} <= form_fields
    derived = {"body_html", "toc", "word_count"}
    assert not {f"{name}_{code}" for name in derived for code in LANGUAGES} & form_fields
    assert not {"title", "body", *derived} & form_fields


def test_the_edit_forms_have_a_field_for_each_language(admin_client):
    article, entry = ArticleFactory(), FaqEntryFactory()
    forms = {
        ("articles_article", article.pk): ("title", "summary", "hero_alt", "body"),
        ("articles_faqentry", entry.pk): ("question", "answer"),
        ("pages_sitepage", SitePage.objects.get(slug="privacy").pk): ("title", "summary", "body"),
    }
    for (model, pk), fields in forms.items():
        response = admin_client.get(reverse(f"admin:{model}_change", args=[pk]))
        form_fields = set(response.context["adminform"].form.fields)
        assert {f"{name}_{code}" for name in fields for code in LANGUAGES} <= form_fields, model
        # English is required; a translation is optional until it is written.
        assert response.context["adminform"].form.fields[f"{fields[0]}_en_gb"].required
        assert not response.context["adminform"].form.fields[f"{fields[0]}_de"].required


def test_a_translation_is_saved_with_its_html_and_a_half_written_one_is_refused(admin_client):
    article = ArticleFactory(body="## Care\n\nKeep it dry.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title_en_gb": article.title,
        "slug": article.slug,
        "category": article.category.pk,
        "summary_en_gb": article.summary,
        "author_name": article.author_name,
        "status": "published",
        "published_at_0": "2026-01-05",
        "published_at_1": "09:00:00",
        "body_en_gb": article.body,
        "title_de": "Pflege",
        "summary_de": "",
        "body_de": "## Pflege\n\nHalten Sie sie trocken.",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "summary_de" in response.context["adminform"].form.errors
    response = admin_client.post(url, {**data, "summary_de": "Kurz."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.text_languages() == ["en-gb", "de"]
    assert article.body_html_de == '<h2 id="pflege">Pflege</h2>\n<p>Halten Sie sie trocken.</p>\n'
    assert article.toc_de == [{"level": 2, "id": "pflege", "text": "Pflege"}]
    # The untranslated columns keep English, for the admin's search and older code.
    assert Article.objects.filter(pk=article.pk).values_list("title_en_gb", flat=True)[0] == (
        article.title_en_gb
    )


def test_adding_an_article_prepopulates_the_slug_and_saves_rendered_html(admin_client):
    category = CategoryFactory()
    add = reverse("admin:articles_article_add")
    page = admin_client.get(add).content.decode()
    # The slug is filled in from the title as staff type it.
    assert "&quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, " in page
    # From the English title, whatever the other languages say.
    assert "&quot;dependency_ids&quot;: [&quot;#id_title_en_gb&quot;]" in page
    response = admin_client.post(
        add,
        {
            "title_en_gb": "Fresh piece",
            "slug": "fresh-piece",
            "category": category.pk,
            "summary_en_gb": "Short.",
            "author_name": "Ada",
            "status": "published",
            "body_en_gb": "## Start\n\nHello.",
            "hero_alt_en_gb": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="fresh-piece")
    assert article.body_html == '<h2 id="start">Start</h2>\n<p>Hello.</p>\n'
    assert article.is_published()


def test_faq_order_and_visibility_are_editable_from_the_list(admin_client):
    first = FaqEntryFactory(order=1)
    second = FaqEntryFactory(order=2)
    url = reverse("admin:articles_faqentry_changelist")
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-0-id": first.pk,
        "form-0-order": 5,
        "form-0-published": "on",
        "form-1-id": second.pk,
        "form-1-order": 0,
        "_save": "Save",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(FaqEntry.objects.order_by("order").values_list("pk", "order", "published")) == [
        (second.pk, 0, False),
        (first.pk, 5, True),
    ]


def test_the_faq_change_page_previews_the_answer(admin_client):
    entry = FaqEntryFactory(answer="A **short** answer.")
    html = admin_client.get(
        reverse("admin:articles_faqentry_change", args=[entry.pk])
    ).content.decode()
    assert '<div class="admin-rendered"><p>A <strong>short</strong> answer.</p>' in html
