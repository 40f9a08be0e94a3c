"""Directory pages as visitors read them, with the page cache on as production runs it
(and as every test does, tests/conftest.py): the same as freshly
rendered, never stale after an edit, with each visitor's own distances and form tokens.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from common import page_cache
from tests.factories import CityFactory, ClinicFactory, ServiceFactory
from tests.html import without_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def london():
    city = CityFactory(name="London", slug="london", latitude=51.5074, longitude=-0.1278)
    soho = ClinicFactory(
        city=city, name="Soho Scalp Studio", latitude=51.5136, longitude=-0.1365, price_from=900
    )
    soho.services.add(ServiceFactory(name="Scar camouflage", slug="scar-camouflage"))
    ClinicFactory(city=city, name="Greenwich Dots", latitude=51.4826, longitude=0.0077)
    return city


def _cards(response) -> list[str]:
    return re.findall(
        r'<article class="clinic-card">.*?</article>', response.content.decode(), re.S
    )


def test_a_cached_card_reads_exactly_as_a_freshly_rendered_one(client, london, settings):
    url = london.get_absolute_url()
    settings.PAGE_CACHE_ENABLED = False
    first = _cards(client.get(url))
    assert len(first) == 2 and "Scar camouflage" in first[0] + first[1]
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(url)["X-Page-Cache"] == "miss"
    stored = client.get(url)
    assert stored["X-Page-Cache"] == "hit" and _cards(stored) == first


def test_an_edit_shows_on_the_card_at_once(client, london, django_capture_on_commit_callbacks):
    url = london.get_absolute_url()
    client.get(url)
    soho = london.clinics.get(name="Soho Scalp Studio")
    with django_capture_on_commit_callbacks(execute=True):  # a staff edit commits
        soho.name = "Soho Hairline Studio"
        soho.price_from = 1200
        soho.save()
    html = "".join(_cards(client.get(url)))
    assert "Soho Hairline Studio" in html and "Soho Scalp Studio" not in html
    assert "£1,200" in html


def test_each_visitor_reads_the_distance_from_their_own_point(client, london):
    near_me = reverse("clinics:near-me")
    # Two visitors' positions: the same cards, each with its own distance.
    from_soho = client.get(near_me, {"lat": "51.5136", "lng": "-0.1365", "units": "km"})
    from_greenwich = client.get(near_me, {"lat": "51.4826", "lng": "0.0077", "units": "km"})
    soho_first = _cards(from_soho)
    greenwich_first = _cards(from_greenwich)
    assert "Soho Scalp Studio" in soho_first[0] and "0.0 km away" in soho_first[0]
    assert "Greenwich Dots" in greenwich_first[0] and "0.0 km away" in greenwich_first[0]
    assert re.search(r"1[01] km away", soho_first[1])  # Greenwich, 11 km from Soho
    # A city page without a point of its own shows no distance at all.
    assert "away" not in "".join(_cards(client.get(london.get_absolute_url())))


def test_search_and_the_city_page_show_the_same_card(client, london):
    on_city_page = _cards(client.get(london.get_absolute_url()))
    [card] = _cards(client.get(reverse("clinics:search"), {"q": "soho"}))
    assert "Soho Scalp Studio" in card and card in on_city_page


def test_a_cached_profile_shows_an_edit_at_once_and_keeps_the_form_per_visitor(
    client, london, django_capture_on_commit_callbacks
):
    soho = london.clinics.get(name="Soho Scalp Studio")
    first = client.get(soho.get_absolute_url()).content.decode()
    again = Client().get(soho.get_absolute_url()).content.decode()
    assert "Scar camouflage" in again
    tokens = [re.search(r'name="form_token" value="([^"]+)"', p).group(1) for p in (first, again)]
    assert tokens[0] != tokens[1]  # filled in for each visitor
    with django_capture_on_commit_callbacks(execute=True):
        soho.summary = "Hairlines drawn by hand, one dot at a time."
        soho.save()
    assert "one dot at a time" in client.get(soho.get_absolute_url()).content.decode()


def test_the_quote_form_gives_each_visitor_working_tokens(client, london):
    from common.forms import token_payload

    soho = london.clinics.get(name="Soho Scalp Studio")
    pages = [Client().get(soho.get_absolute_url()).content.decode() for _ in range(2)]
    tokens = [re.search(r'name="form_token" value="([^"]+)"', p).group(1) for p in pages]
    assert tokens[0] != tokens[1] and all(token_payload({"form_token": t}) for t in tokens)
    csrf = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p).group(1) for p in pages]
    assert csrf[0] != csrf[1] and all(len(c) == 64 for c in csrf)
    assert "pv" + page_cache._MARKER_PREFIX not in pages[1]


def test_a_query_read_once_is_read_again_after_an_edit(
    client, london, django_capture_on_commit_callbacks
):
    search = reverse("clinics:search")
    before = client.get(search, {"q": "Camden"})
    assert before.context["understood"].cities == []
    with django_capture_on_commit_callbacks(execute=True):  # staff add a city and a clinic
        camden = CityFactory(name="Camden", slug="camden", latitude=51.539, longitude=-0.1426)
        ClinicFactory(city=camden, name="Inkwell Scalp Studio")
    after = client.get(search, {"q": "Camden"})
    assert [city.name for city in after.context["understood"].cities] == ["Camden"]
    assert "Inkwell Scalp Studio" in after.content.decode()


def test_a_city_page_cached_for_its_query_shows_an_edit_at_once(
    client, london, django_capture_on_commit_callbacks
):
    url = london.get_absolute_url()
    scars = {"service": "scar-camouflage"}
    assert "1 clinic matches your filters" in client.get(url, scars).content.decode()
    greenwich = london.clinics.get(name="Greenwich Dots")
    with django_capture_on_commit_callbacks(execute=True):  # staff add the service
        greenwich.services.add(london.clinics.get(name="Soho Scalp Studio").services.get())
    html = client.get(url, scars).content.decode()
    assert "2 clinics match your filters" in html
    assert "Greenwich Dots" in "".join(_cards(client.get(url, scars)))


def test_a_city_page_with_the_visitors_position_is_never_stored(client, london):
    here = {"sort": "distance", "lat": "51.4826", "lng": "0.0077"}
    for _ in range(2):
        response = client.get(london.get_absolute_url(), here)
        assert "X-Page-Cache" not in response
        first = _cards(response)[0]
        assert "Greenwich Dots" in first and "0.0 miles away" in first


def test_a_suspended_clinic_leaves_its_cached_profile_at_once(
    client, london, django_capture_on_commit_callbacks
):
    soho = london.clinics.get(name="Soho Scalp Studio")
    assert client.get(soho.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        soho.suspend()
    assert client.get(soho.get_absolute_url()).status_code == 404
    assert "Soho Scalp Studio" not in client.get(london.get_absolute_url()).content.decode()


def test_every_public_page_reads_the_same_from_the_cache_and_shows_an_edit_at_once(
    client, london, settings, django_capture_on_commit_callbacks
):
    from articles.models import FaqEntry
    from tests.factories import ArticleFactory, FaqEntryFactory

    article = ArticleFactory(title="Healing week by week")
    FaqEntryFactory(question="Does it hurt?", answer="Less than a tattoo, most say.")
    soho = london.clinics.get(name="Soho Scalp Studio")
    pages = [
        "/",
        "/clinics/",
        reverse("clinics:country", args=["united-kingdom"]),
        london.get_absolute_url(),
        london.get_absolute_url() + "?service=scar-camouflage&sort=price&units=mi",
        soho.get_absolute_url(),
        reverse("clinics:search") + "?q=london",
        reverse("clinics:near-me") + "?place=London",
        article.get_absolute_url(),
        reverse("articles:faq"),
        "/sitemap.xml",
        reverse("sitemap-section", args=["clinics"]),
    ]

    def read(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return without_tokens(response.content)

    settings.PAGE_CACHE_ENABLED = False
    fresh = {url: read(url) for url in pages}
    settings.PAGE_CACHE_ENABLED = True
    for url in pages:
        read(url)  # rendered and stored
        assert read(url) == fresh[url], url  # and the same again from the cache
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Healing, week by week"
        article.save()
        entry = FaqEntry.objects.get()
        entry.answer = "Most people say less than a tattoo."
        entry.save()
    assert b"Healing, week by week" in read(article.get_absolute_url())
    assert b"Healing, week by week" in read("/")  # the latest articles on the home page
    assert b"Most people say less than a tattoo." in read(reverse("articles:faq"))
