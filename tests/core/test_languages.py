"""The site in four languages: addresses, the first visit, the switcher, the head's links,
and pages cached per language (common/languages.py)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def clinic():
    return ClinicFactory(city__name="Köln", city__slug="koln", name="Rhein Scalp Studio")


def _visitor(**headers) -> Client:
    return Client(HTTP_USER_AGENT=FIREFOX, **headers)


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_each_language_has_its_own_address_and_says_so_in_the_page(client, clinic):
    path = clinic.get_absolute_url()
    pages = {code: client.get(f"/{code}{path}") for code in ("de", "es", "fr")}
    pages["en"] = client.get(path)
    for code, page in pages.items():
        assert page.status_code == 200
        assert f'<html lang="{code}">' in page.content.decode()
        assert page["Content-Language"].startswith(code)
    # The interface in each language: the header's button, as the catalogues write it.
    assert "Angebote einholen" in pages["de"].content.decode()
    assert "Get quotes" in pages["en"].content.decode()
    assert "Get quotes" not in pages["de"].content.decode()
    assert len({_title(page) for page in pages.values()}) == 4


def test_every_page_links_its_other_languages_and_its_own_canonical(client, clinic):
    path = clinic.get_absolute_url()
    html = client.get(f"/es{path}").content.decode()
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    site = settings.SITE_URL
    assert links == {
        "en": f"{site}{path}",
        "x-default": f"{site}{path}",
        "de": f"{site}/de{path}",
        "es": f"{site}/es{path}",
        "fr": f"{site}/fr{path}",
    }
    assert f'<link rel="canonical" href="{site}/es{path}">' in html


def test_a_first_visit_from_a_german_browser_goes_to_the_german_page():
    visitor = _visitor(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.6")
    response = visitor.get("/faq/?utm_source=newsletter")
    assert response.status_code == 302
    assert response["Location"] == "/de/faq/?utm_source=newsletter"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # The German address itself never redirects: no loop whatever the browser says.
    assert visitor.get("/de/faq/").status_code == 200
    assert _visitor(HTTP_ACCEPT_LANGUAGE="fr").get("/de/faq/").status_code == 200


@pytest.mark.parametrize("accept", ["en-GB,en;q=0.9,de;q=0.5", "en-US", "it-IT,it;q=0.9", "*", ""])
def test_a_browser_that_prefers_english_or_a_language_we_lack_stays_in_english(accept):
    response = _visitor(HTTP_ACCEPT_LANGUAGE=accept).get("/faq/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_crawler_is_never_redirected_whatever_it_accepts():
    for agent in (GOOGLEBOT, "facebookexternalhit/1.1", ""):
        response = Client(headers={"user-agent": agent, "accept-language": "de"}).get("/faq/")
        assert response.status_code == 200, agent


def test_the_switcher_takes_the_visitor_to_the_same_page_and_remembers_the_choice(clinic):
    path = clinic.get_absolute_url() + "?page=1"
    visitor = _visitor(HTTP_ACCEPT_LANGUAGE="de-DE", enforce_csrf_checks=True)
    german = visitor.get(f"/de{clinic.get_absolute_url()}")
    form = re.search(
        r'<form class="language-switcher__menu" method="post" action="([^"]+)">(.*?)</form>',
        german.content.decode(),
        re.S,
    )
    assert form is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    choices = re.findall(r'name="language" value="([^"]+)"', form.group(2))
    assert choices == [code for code, _name in settings.LANGUAGES]

    # From the German page to English: the same page, English's address, and kept.
    response = visitor.post(
        form.group(1), {"language": "en-gb", "next": f"/de{path}", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"] == path
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    # Their browser still prefers German, but they chose English: no redirect now.
    assert visitor.get(path).status_code == 200

    # Then French: English addresses they open later lead to French.
    response = visitor.post(
        form.group(1), {"language": "fr", "next": path, "csrfmiddlewaretoken": token}
    )
    assert response["Location"] == f"/fr{path}"
    assert visitor.get("/faq/")["Location"] == "/fr/faq/"


def test_the_switcher_refuses_an_address_on_another_site(clinic):
    response = _visitor().post(
        reverse("set-language"), {"language": "de", "next": "https://evil.example/de/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_the_admin_and_the_files_a_robot_reads_stay_in_english_at_one_address():
    visitor = _visitor(HTTP_ACCEPT_LANGUAGE="de")
    login = visitor.get("/admin/login/")
    assert login.status_code == 200 and "Anmelden" not in login.content.decode()
    assert visitor.get("/de/admin/login/").status_code == 404
    robots = visitor.get("/robots.txt").content.decode()
    for prefix in ("", "/de", "/es", "/fr"):
        assert f"Disallow: {prefix}/clinic-account/" in robots


def test_pages_are_cached_per_language(settings, clinic):
    settings.PAGE_CACHE_ENABLED = True
    path = clinic.get_absolute_url()
    client = Client()
    first = {code: client.get(f"/{code}{path}") for code in ("de", "fr")}
    again = {code: client.get(f"/{code}{path}") for code in ("de", "fr")}
    assert [r["X-Page-Cache"] for r in first.values()] == ["miss", "miss"]
    assert [r["X-Page-Cache"] for r in again.values()] == ["hit", "hit"]
    assert '<html lang="de">' in again["de"].content.decode()
    assert '<html lang="fr">' in again["fr"].content.decode()
    # An English page cached before a German reader arrives is not what they are sent.
    client.get("/faq/")
    assert _visitor(HTTP_ACCEPT_LANGUAGE="de").get("/faq/").status_code == 302


def test_dates_are_written_as_each_language_writes_them():
    from datetime import date

    from common.dates import date_range, long_date

    day = date(2027, 3, 14)
    expected = {
        "en-gb": "14 March 2027",
        "de": "14. März 2027",
        "es": "14 de marzo de 2027",
        "fr": "14 mars 2027",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert long_date(day) == text
    with translation.override("de"):
        assert date_range(day, date(2027, 3, 16)) == "14.–16. März 2027"
    with translation.override("en-gb"):
        assert date_range(day, date(2027, 3, 16)) == "14–16 March 2027"


def test_structured_data_says_which_language_the_page_is_written_in(client):
    from tests.factories import FaqEntryFactory

    FaqEntryFactory()
    html = client.get("/fr/faq/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None and '"inLanguage": "fr"' in block.group(1)


def test_the_languages_a_clinic_speaks_are_named_in_the_readers_language(client, clinic):
    from clinics.models import Language

    spanish, _ = Language.objects.get_or_create(code="es", defaults={"name": "Spanish"})
    clinic.languages.add(spanish)
    path = clinic.get_absolute_url()
    assert "Spanish" in client.get(path).content.decode()
    german = client.get(f"/de{path}").content.decode()
    assert "Spanisch" in german and "Spanish" not in german
    assert "Español" in client.get(f"/es{path}").content.decode()


def test_a_countrys_address_is_the_same_whatever_language_asked_first(client):
    from clinics import text

    text._slugs_by_code.cache_clear()
    text._codes_by_slug.cache_clear()
    with translation.override("es"):
        assert text.country_slug("DE") == "germany"
    assert text.country_code("germany") == "DE" and text.country_code("alemania") is None


def test_services_are_named_in_the_readers_language_where_staff_translated_them(client, clinic):
    from clinics.models import Service

    service = Service.objects.create(
        name="Scar camouflage",
        slug="scars",
        description="Blends scars from hair transplants.",
        translations={
            "de": {"name": "Narbenkaschierung", "description": "Kaschiert Narben."},
            "es": {"name": "Camuflaje de cicatrices"},  # no sentence yet: English for both
        },
    )
    clinic.services.add(service)
    path = clinic.get_absolute_url()
    german = client.get(f"/de{path}").content.decode()
    assert "Narbenkaschierung" in german and "Kaschiert Narben." in german
    assert "Scar camouflage" not in german
    spanish = client.get(f"/es{path}").content.decode()
    assert "Scar camouflage" in spanish and "Camuflaje" not in spanish
    # The city page's cards and filters, read from the cards' JSON list.
    city = client.get(f"/de{clinic.city.get_absolute_url()}").content.decode()
    assert city.count("Narbenkaschierung") >= 2 and "Scar camouflage" not in city
