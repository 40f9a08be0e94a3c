"""Sitemap pages written by code say exactly what Django's template would."""

import re
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string

from smp_site.sitemaps import urlset_xml
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
def test_the_xml_is_the_templates_element_for_element(settings, zone):
    settings.TIME_ZONE = zone
    by_template = render_to_string("sitemap.xml", {"urlset": URLSET})
    assert _elements(urlset_xml(URLSET)) == _elements(by_template)
    day = "2027-07-02" if zone == "Europe/London" else "2027-07-01"
    assert f"<lastmod>{day}</lastmod>" in urlset_xml(URLSET)
    assert "a&amp;b-studio" in urlset_xml(URLSET)


@pytest.mark.django_db
def test_a_sitemap_page_lists_clinics_as_before(client):
    clinic = ClinicFactory(city__country="FR", city__name="Lyon", city__slug="lyon")
    xml = full_sitemap(client)
    assert f"<loc>http://testserver{clinic.get_absolute_url()}</loc>" in xml
    page = client.get("/sitemap-clinics.xml")
    assert page["Content-Type"].startswith("application/xml")
    assert page["X-Robots-Tag"] == "noindex, noodp, noarchive"
