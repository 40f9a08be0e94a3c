"""A clinic is public only when staff approved it AND it has an artist AND a photo the
public may see (`clinics.models.listed_q`): on every page, in the sitemap, in search and
among a city-wide request's recipients. Staff see in admin what a clinic still needs."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from clinics.models import City, Clinic
from quotes.models import QuoteRequest
from tests.factories import ArtistFactory, CityFactory, ClinicFactory, ClinicPhotoFactory
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds():
    return CityFactory(name="Leeds", slug="leeds")


def _public_everywhere(client, clinic) -> list[bool]:
    """Whether each public way in finds the clinic: profile, city page, country page's
    count, sitemap, search, a city-wide request."""
    city = City.objects.get(pk=clinic.city_id)
    city_page = client.get(city.get_absolute_url())
    search = client.get(reverse("clinics:search"), {"q": clinic.name}).content.decode()
    request = QuoteRequest(city=city, mode=QuoteRequest.Mode.CITY)
    return [
        client.get(clinic.get_absolute_url()).status_code == 200,
        city_page.status_code == 200 and clinic.name in city_page.content.decode(),
        city.listed_clinic_count == 1,
        clinic.get_absolute_url() in full_sitemap(client),
        clinic.get_absolute_url() in search,
        clinic in request.recipients(),
    ]


def test_an_approved_clinic_without_an_artist_is_nowhere_until_it_has_one(client, leeds):
    clinic = ClinicFactory(city=leeds, name="Bare Studio", listing=False)
    ClinicPhotoFactory(clinic=clinic, stage="studio")
    clinic.refresh_from_db()
    assert clinic.status == Clinic.Status.APPROVED and clinic.listing_gaps() == ["needs an artist"]
    assert _public_everywhere(client, clinic) == [False] * 6

    ArtistFactory(clinic=clinic)  # stored on the clinic's row by the artist's save
    assert _public_everywhere(client, clinic) == [True] * 6

    clinic.artists.get().delete()
    assert _public_everywhere(client, clinic) == [False] * 6


def test_an_approved_clinic_without_a_public_photo_is_nowhere_until_staff_publish_one(
    client, admin_client, leeds
):
    clinic = ClinicFactory(city=leeds, name="Photo Less", listing=False)
    ArtistFactory(clinic=clinic)
    waiting = ClinicPhotoFactory(clinic=clinic, stage="studio", consent_confirmed_at=None)
    assert _public_everywhere(client, clinic) == [False] * 6
    changelist = admin_client.get(reverse("admin:clinics_clinic_changelist")).content.decode()
    assert "Approved, not listed yet: needs a consented public photo." in changelist

    admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "confirm_consent", "_selected_action": [waiting.pk]},
    )
    assert _public_everywhere(client, clinic) == [True] * 6
    admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "withdraw_consent", "_selected_action": [waiting.pk]},
    )
    assert _public_everywhere(client, clinic) == [False] * 6


def test_staff_see_on_a_clinics_page_what_it_still_needs(admin_client):
    bare = ClinicFactory(listing=False)
    page = admin_client.get(reverse("admin:clinics_clinic_change", args=[bare.pk]))
    assert (
        "Approved, not listed yet: needs an artist; needs a consented public photo."
        in page.content.decode()
    )
    listed = ClinicFactory()
    page = admin_client.get(reverse("admin:clinics_clinic_change", args=[listed.pk]))
    assert "Listed." in page.content.decode()


def test_the_clinic_list_in_admin_reads_what_each_clinic_needs_from_its_row(
    admin_client, django_assert_max_num_queries
):
    url = reverse("admin:clinics_clinic_changelist")
    ClinicFactory.create_batch(2, listing=False)
    admin_client.get(url)
    with django_assert_max_num_queries(40) as few:
        admin_client.get(url)
    ClinicFactory.create_batch(10, listing=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = admin_client.get(url).content.decode()
    assert html.count("needs an artist; needs a consented public photo") == 12


def test_the_migration_stores_what_existing_clinics_have(leeds):
    listed = ClinicFactory(city=leeds)
    bare = ClinicFactory(city=leeds, listing=False)
    Clinic.objects.update(has_artist=False, has_public_photo=False)
    City.objects.update(listed_clinic_count=0)
    migration = importlib.import_module(
        "clinics.migrations.0022_clinic_has_artist_has_public_photo"
    )
    migration.store_listing_needs(apps, None)
    assert list(Clinic.objects.listed()) == [listed]
    assert Clinic.objects.get(pk=bare.pk).listing_gaps() == [
        "needs an artist",
        "needs a consented public photo",
    ]
    assert City.objects.get(pk=leeds.pk).listed_clinic_count == 1
