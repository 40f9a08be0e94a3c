import re

import pytest

from clinics.models import Clinic
from tests.factories import ClinicFactory
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db


def _locs(client):
    return re.findall(r"<loc>(.*?)</loc>", full_sitemap(client))


def test_sitemap_lists_every_public_page_and_each_answers(client):
    listed = ClinicFactory(city__country="FR", city__name="Lyon", city__slug="lyon")
    ClinicFactory(status=Clinic.Status.PENDING, name="Pending")
    locs = _locs(client)
    paths = [loc.removeprefix("http://testserver") for loc in locs]
    assert "/" in paths
    assert "/clinics/" in paths
    assert "/clinics/france/" in paths
    assert "/clinics/france/lyon/" in paths
    assert listed.get_absolute_url() in paths
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_leaves_out_unapproved_clinics_and_their_empty_cities(client):
    hidden = ClinicFactory(status=Clinic.Status.SUSPENDED, city__slug="ghost-town")
    locs = "\n".join(_locs(client))
    assert hidden.get_absolute_url() not in locs
    assert "ghost-town" not in locs


def test_sitemap_gives_clinic_last_modified_dates(client):
    clinic = ClinicFactory()
    body = full_sitemap(client)
    assert f"<lastmod>{clinic.updated_at.date().isoformat()}</lastmod>" in body


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_sections_are_paginated_so_no_sitemap_grows_huge(client, settings):
    from clinics.sitemaps import ClinicSitemap

    ClinicFactory.create_batch(3)
    ClinicSitemap.limit, saved = 2, ClinicSitemap.limit
    try:
        index = client.get("/sitemap.xml").content.decode()
        assert "sitemap-clinics.xml?p=2" in index
        second = client.get("/sitemap-clinics.xml", {"p": 2}).content.decode()
        assert second.count("<url>") == 1
    finally:
        ClinicSitemap.limit = saved


def test_each_clinic_is_listed_at_its_own_address(client):
    lyon = ClinicFactory(city__country="FR", city__name="Lyon", city__slug="lyon")
    clinics = [lyon, ClinicFactory(city=lyon.city), ClinicFactory(city__name="Leeds")]
    paths = {loc.removeprefix("http://testserver") for loc in _locs(client)}
    assert {clinic.get_absolute_url() for clinic in clinics} <= paths
