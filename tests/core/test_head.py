"""Link checkers, crawlers and load balancers ask with HEAD: every page GET answers, HEAD does."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ClinicFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "home",
    "countries",
    "country",
    "city",
    "clinic",
    "search",
    "near me",
    "articles",
    "article",
    "category",
    "faq",
    "feed",
    "robots.txt",
    "sitemap index",
    "sitemap section",
    "healthz",
    "quote form",
    "list your clinic",
]
NOT_CACHED = {"robots.txt", "healthz", "quote form", "list your clinic"}


@pytest.fixture
def urls() -> dict[str, str]:
    clinic = ClinicFactory(city__name="Leeds", city__slug="leeds", name="Aire Scalp Studio")
    article = ArticleFactory()
    FaqEntryFactory(category=article.category)
    return {
        "home": reverse("pages:home"),
        "countries": reverse("clinics:countries"),
        "country": reverse("clinics:country", args=[clinic.city.country_slug]),
        "city": clinic.city.get_absolute_url(),
        "clinic": clinic.get_absolute_url(),
        "search": reverse("clinics:search") + "?q=Leeds",
        "near me": reverse("clinics:near-me") + "?lat=&lng=&place=Leeds&city=",
        "articles": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "faq": reverse("articles:faq"),
        "feed": reverse("articles:feed"),
        "robots.txt": reverse("robots-txt"),
        "sitemap index": reverse("sitemap"),
        "sitemap section": reverse("sitemap-section", args=["clinics"]),
        "healthz": reverse("healthz"),
        "quote form": reverse("quotes:request"),
        "list your clinic": reverse("applications:apply"),
    }


@pytest.mark.parametrize("page", PAGES)
def test_head_answers_200_without_a_body_on_every_public_page(client, urls, page):
    response = client.head(urls[page])
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("page", PAGES)
def test_head_answers_200_with_the_page_cache_on_cached_or_not(client, urls, page, settings):
    settings.PAGE_CACHE_ENABLED = True
    answers = [client.head(urls[page]) for _ in range(2)]
    assert [r.status_code for r in answers] == [200, 200]
    # A HEAD that filled the cache leaves a whole page for the GET that follows.
    response = client.get(urls[page])
    assert response.status_code == 200
    assert response.content
    caching = [r.get("X-Page-Cache") for r in [*answers, response]]
    assert caching == ([None] * 3 if page in NOT_CACHED else ["miss", "hit", "hit"])
