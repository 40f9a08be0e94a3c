import json
import re

import pytest
from django.urls import reverse

from clinics.models import Clinic
from tests.factories import (
    ArtistFactory,
    CityFactory,
    ClinicFactory,
    ClinicPhotoFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def _city_url(city):
    return reverse("clinics:city", args=[city.country_slug, city.slug])


def test_home_shows_search_featured_cities_and_quote_call(client):
    clinic = ClinicFactory(city__name="Manchester")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert "Manchester" in html and clinic.city.get_absolute_url() in html
    assert "Get a quote" in html


def test_countries_page_counts_only_approved_clinics(client):
    city = CityFactory(country="DE", name="Berlin", slug="berlin")
    ClinicFactory.create_batch(3, city=city)
    ClinicFactory(city=city, status=Clinic.Status.PENDING)
    response = client.get(reverse("clinics:countries"))
    assert response.status_code == 200
    assert "Germany" in response.content.decode()
    assert [row["clinic_count"] for row in response.context["countries"]] == [3]


def test_country_page_lists_cities_with_clinics(client):
    berlin = CityFactory(country="DE", name="Berlin", slug="berlin")
    CityFactory(country="DE", name="Empty Town", slug="empty-town")
    ClinicFactory(city=berlin)
    response = client.get(reverse("clinics:country", args=["germany"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Berlin" in html and "Empty Town" not in html


def test_a_country_with_many_cities_is_paginated_biggest_first(client, settings):
    settings.CITIES_PER_PAGE = 2
    for n, size in enumerate([1, 3, 2]):
        ClinicFactory.create_batch(size, city=CityFactory(country="DE", name=f"Stadt {n}"))
    first = client.get(reverse("clinics:country", args=["germany"]))
    assert [c.name for c in first.context["page"]] == ["Stadt 1", "Stadt 2"]
    assert "6 approved clinics in 3 cities, the largest first" in first.content.decode()
    second = client.get(reverse("clinics:country", args=["germany"]), {"page": 2})
    assert [c.name for c in second.context["page"]] == ["Stadt 0"]
    assert client.get(reverse("clinics:country", args=["germany"]), {"page": 3}).status_code == 404


@pytest.mark.parametrize("slug", ["atlantis", "france"])
def test_unknown_or_empty_country_is_404(client, slug):
    assert client.get(reverse("clinics:country", args=[slug])).status_code == 404


def test_city_page_lists_approved_clinics_only(client):
    city = CityFactory()
    shown = ClinicFactory(city=city, name="Shown Clinic")
    ClinicFactory(city=city, name="Pending Clinic", status=Clinic.Status.PENDING)
    ClinicFactory(city=city, name="Suspended Clinic", status=Clinic.Status.SUSPENDED)
    html = client.get(_city_url(city)).content.decode()
    assert shown.name in html
    assert "Pending Clinic" not in html and "Suspended Clinic" not in html


def test_city_page_is_paginated(client, settings):
    settings.CLINICS_PER_PAGE = 5
    city = CityFactory()
    ClinicFactory.create_batch(12, city=city)
    first = client.get(_city_url(city))
    assert len(first.context["page"]) == 5
    assert "Page 1 of 3" in first.content.decode()
    last = client.get(_city_url(city) + "?page=3")
    assert len(last.context["page"]) == 2


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "9" * 40, "1e9"])
def test_city_page_out_of_range_is_404(client, settings, page):
    settings.CLINICS_PER_PAGE = 5
    city = CityFactory()
    ClinicFactory.create_batch(12, city=city)
    assert client.get(_city_url(city), {"page": page}).status_code == 404


def test_unknown_city_is_404_with_a_friendly_page(client):
    response = client.get(reverse("clinics:city", args=["united-kingdom", "nowhere"]))
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_clinic_profile_shows_everything_a_client_needs(client):
    service = ServiceFactory(name="Scar camouflage", slug="scar-camouflage")
    clinic = ClinicFactory(
        address="12 Market Street", phone="+44 161 496 0000", website="https://ink.example"
    )
    clinic.services.add(service)
    ArtistFactory(clinic=clinic, name="Ada Brennan", since_year=2014)
    ClinicPhotoFactory(clinic=clinic, alt_text="Crown before treatment")
    response = client.get(clinic.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        clinic.name,
        "Scar camouflage",
        "Ada Brennan",
        "Doing SMP since 2014",
        'alt="Crown before treatment"',
        "12 Market Street",
        "+44 161 496 0000",
        "https://ink.example",
        "£1,200–£2,200",
        "Approved clinic",
        "listing reviewed",
        'id="quote"',
    ]:
        assert text in html, text
    assert clinic.quote_email not in html


def test_clinic_profile_has_valid_json_ld_and_seo_tags(client):
    clinic = ClinicFactory(latitude=53.48, longitude=-2.24)
    html = client.get(clinic.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "HealthAndBeautyBusiness"
    assert data["geo"]["latitude"] == 53.48
    assert f'<link rel="canonical" href="http://testserver{clinic.get_absolute_url()}">' in html
    assert '<meta property="og:title"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


@pytest.mark.parametrize("status", [Clinic.Status.PENDING, Clinic.Status.SUSPENDED])
def test_unapproved_clinic_profile_is_404(client, status):
    clinic = ClinicFactory(status=status)
    assert client.get(clinic.get_absolute_url()).status_code == 404


def test_pages_have_unique_titles(client):
    clinic = ClinicFactory()
    urls = [
        "/",
        reverse("clinics:countries"),
        reverse("clinics:country", args=[clinic.city.country_slug]),
        clinic.city.get_absolute_url(),
        clinic.get_absolute_url(),
    ]
    titles = [
        re.search(r"<title>(.*?)</title>", client.get(u).content.decode()).group(1) for u in urls
    ]
    assert len(set(titles)) == len(titles)


def _fill_city(city, count):
    services = [ServiceFactory(slug=f"s{i}", name=f"S{i}") for i in range(3)]
    for clinic in ClinicFactory.create_batch(count, city=city):
        clinic.services.set(services)
        ArtistFactory.create_batch(2, clinic=clinic)


# The city page's counts, with and without filters: tests/clinics/test_city_filters.py.


@pytest.mark.parametrize("count", [10, 100])
def test_listing_pages_query_counts_are_fixed(client, django_assert_max_num_queries, count):
    city = CityFactory()
    _fill_city(city, count)
    for _ in range(count // 10):
        _fill_city(CityFactory(country="DE"), 2)
    checks = [
        ("/", 3),  # featured cities, latest articles, next training classes
        (reverse("clinics:countries"), 2),
        (reverse("clinics:country", args=["germany"]), 3),
        # Search: the place look-ups (alias, names, listed cities), then the page's cards,
        # their number read with them, each with its services and languages
        # (clinics/cards.py).
        (reverse("clinics:search") + "?q=clinic", 4),
        (reverse("clinics:near-me") + f"?city={city.pk}", 4),
    ]
    for url, bound in checks:
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("photos", [1, 30])
def test_clinic_profile_query_count_is_fixed(client, django_assert_num_queries, photos):
    clinic = ClinicFactory()
    clinic.services.set([ServiceFactory(slug=f"s{i}", name=f"S{i}") for i in range(5)])
    ArtistFactory.create_batch(3, clinic=clinic)
    ClinicPhotoFactory.create_batch(photos, clinic=clinic)
    # The clinic found by its address with its city, services, languages and artists
    # (JSON lists in its row) in one query, then its public photos (its credentials and
    # closures are on its row); then the teaching section (no reviews yet: that block
    # reads the stored count).
    with django_assert_num_queries(3):
        assert client.get(clinic.get_absolute_url()).status_code == 200


def test_a_region_that_repeats_the_city_name_is_not_said_twice(client):
    berlin = CityFactory(name="Berlin", slug="berlin", country="DE", region="Berlin")
    ClinicFactory(city=berlin)
    html = client.get(berlin.get_absolute_url()).content.decode()
    assert "1 approved clinic in Berlin, Germany." in html  # not "Berlin, Berlin"
    country = client.get(reverse("clinics:country", args=["germany"])).content.decode()
    assert "Berlin · " not in country


def test_a_profile_address_is_the_one_its_url_pattern_gives(client):
    """Clinic.get_absolute_url adds the slug to its city's address rather than reversing
    the profile's own pattern: the two must agree."""
    clinic = ClinicFactory(slug="fine-point")
    city = clinic.city
    assert clinic.get_absolute_url() == reverse(
        "clinics:clinic", args=[city.country_slug, city.slug, "fine-point"]
    )
    assert client.get(clinic.get_absolute_url()).status_code == 200
