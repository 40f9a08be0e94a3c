import re

import pytest

from clinics.models import Clinic
from tests.factories import CityFactory, ClinicFactory
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


@pytest.mark.parametrize("section", ["clinics", "cities", "countries"])
@pytest.mark.parametrize("clinic_count", [3, 30])
def test_a_sitemap_page_is_one_query_whatever_the_number_of_clinics(
    client, django_assert_num_queries, section, clinic_count
):
    cities = [
        CityFactory(country=country, slug=f"town-{n}") for country in ("GB", "FR") for n in range(4)
    ]
    # Every other clinic in France: each page lists addresses in both countries.
    clinics = [ClinicFactory(city=cities[(n * 5) % len(cities)]) for n in range(clinic_count)]
    with django_assert_num_queries(1):
        page = client.get(f"/sitemap-{section}.xml")
    assert page.status_code == 200
    addresses = {
        "clinics": {clinic.get_absolute_url() for clinic in clinics},
        "cities": {clinic.city.get_absolute_url() for clinic in clinics},
        "countries": {f"/clinics/{clinic.city.country_slug}/" for clinic in clinics},
    }[section]
    listed = {
        loc.removeprefix("http://testserver")
        for loc in re.findall(r"<loc>(.*?)</loc>", page.content.decode())
    }
    assert listed == addresses


def test_a_full_sitemap_page_is_small_enough_for_the_page_cache(client, settings):
    """A page of the clinics' section, full (each address with its alternates in four
    languages, long slugs), stays under the size the page cache keeps, so a crawler
    walking 10,000 profiles is answered from the cache, not by rendering every page."""
    from clinics.sitemaps import ClinicSitemap

    settings.PAGE_CACHE_ENABLED = True
    city = CityFactory(country="GB", name="Newcastle upon Tyne", slug="newcastle-upon-tyne")
    template = ClinicFactory(city=city)
    fields = {f.attname: getattr(template, f.attname) for f in Clinic._meta.concrete_fields}
    Clinic.objects.bulk_create(
        Clinic(**{**fields, "id": None, "slug": f"hairline-and-density-studio-{n:04}"})
        for n in range(ClinicSitemap.limit)
    )
    first = client.get("/sitemap-clinics.xml")
    assert first.content.count(b"<url>") == ClinicSitemap.limit
    assert len(first.content) <= settings.PAGE_CACHE_MAX_BYTES
    assert client.get("/sitemap-clinics.xml")["X-Page-Cache"] == "hit"
