"""Sitemap pages, rendered by Jinja2, say exactly what Django's own template would."""

import re
from datetime import UTC, date, datetime

import pytest
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string

from clinics import sitemaps as clinic_sitemaps
from tests.factories import ClinicFactory
from tests.sitemaps import full_sitemap

URLSET = [
    {
        "location": "https://smp.example/clinics/france/lyon/a&b-studio/",
        # 00:30 on 2 July in a site on London time (British Summer Time): that day.
        "lastmod": datetime(2027, 7, 1, 23, 30, tzinfo=UTC),
        "changefreq": "weekly",
        "priority": "0.9",
        "alternates": [],
    },
    {
        "location": "https://smp.example/faq/",
        "lastmod": date(2027, 1, 5),
        "changefreq": None,
        "priority": "",
        "alternates": [{"lang_code": "fr", "location": "https://smp.example/fr/"}],
    },
    {
        "location": "https://smp.example/",
        "lastmod": None,
        "changefreq": "daily",
        "priority": "1.0",
        "alternates": [],
    },
]


def _elements(xml: str) -> list[str]:
    return re.findall(r"<[^>]+>[^<]*", re.sub(r">\s+<", "><", xml.strip()))


@pytest.mark.parametrize("zone", ["UTC", "Europe/London"])
def test_the_xml_is_djangos_element_for_element(settings, zone):
    settings.TIME_ZONE = zone
    by_django = render_to_string("sitemap.xml", {"urlset": URLSET})
    by_jinja = render_to_string("sitemaps/urlset.xml", {"urlset": URLSET})
    assert _elements(by_jinja) == _elements(by_django)
    day = "2027-07-02" if zone == "Europe/London" else "2027-07-01"
    assert f"<lastmod>{day}</lastmod>" in by_jinja
    assert "a&amp;b-studio" in by_jinja
    assert '<xhtml:link rel="alternate" hreflang="fr" href="https://smp.example/fr/"/>' in by_jinja


INDEX = [
    SitemapIndexItem(
        "https://smp.example/sitemap-clinics.xml", datetime(2027, 7, 1, 23, 30, 5, 120, tzinfo=UTC)
    ),
    SitemapIndexItem("https://smp.example/sitemap-faq.xml?a=1&b=2", date(2027, 1, 5)),
    SitemapIndexItem("https://smp.example/sitemap-directory.xml", None),
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/London"])
def test_the_index_xml_is_djangos_element_for_element(settings, zone):
    settings.TIME_ZONE = zone
    by_django = render_to_string("sitemap_index.xml", {"sitemaps": INDEX})
    by_jinja = render_to_string("sitemaps/index.xml", {"sitemaps": INDEX})
    assert _elements(by_jinja) == _elements(by_django)
    when = (
        "2027-07-02T00:30:05.000120+01:00"
        if zone == "Europe/London"
        else "2027-07-01T23:30:05.000120+00:00"
    )
    assert f"<lastmod>{when}</lastmod>" in by_jinja
    assert "sitemap-faq.xml?a=1&amp;b=2" in by_jinja


@pytest.mark.django_db
def test_the_index_counts_the_listed_clinics_and_their_cities(client):
    listed = ClinicFactory.create_batch(3, city__country="FR")
    ClinicFactory(status="pending")  # not listed: neither it nor its city counts
    figures = clinic_sitemaps._listed_figures()
    assert figures["clinics"] == 3
    assert figures["cities"] == len({clinic.city_id for clinic in listed})
    assert figures["latest"] == max(clinic.updated_at for clinic in listed)


@pytest.mark.django_db
def test_a_sitemap_page_lists_clinics_as_before(client):
    clinic = ClinicFactory(city__country="FR", city__name="Lyon", city__slug="lyon")
    xml = full_sitemap(client)
    assert f"<loc>http://testserver{clinic.get_absolute_url()}</loc>" in xml
    page = client.get("/sitemap-clinics.xml")
    assert page["Content-Type"].startswith("application/xml")
    assert page["X-Robots-Tag"] == "noindex, noodp, noarchive"


@pytest.mark.django_db
def test_a_sitemap_page_reads_its_addresses_in_one_query_however_many(
    client, django_assert_num_queries
):
    clinics = ClinicFactory.create_batch(6)
    with django_assert_num_queries(1):  # its page of addresses, never counted first
        page = client.get("/sitemap-clinics.xml")
    for clinic in clinics:
        assert f"<loc>http://testserver{clinic.get_absolute_url()}</loc>" in page.content.decode()


@pytest.mark.django_db
def test_the_index_asks_each_app_at_most_twice(client, django_assert_max_num_queries):
    ClinicFactory.create_batch(3)
    # Two for the directory's three sections (the cities' stored counts, the newest
    # listed clinic), two for the articles' (the articles with their categories, the
    # FAQ), two for training's (the events, the classes).
    with django_assert_max_num_queries(6):
        index = client.get("/sitemap.xml")
    # Every section, one page each, in each of the four languages, from the same queries.
    assert index.content.decode().count("<sitemap>") == 11 * 4
    assert "<loc>http://testserver/sitemap-clinics-de.xml</loc>" in index.content.decode()
