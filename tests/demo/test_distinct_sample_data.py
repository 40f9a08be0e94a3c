"""The sample directory reads like many businesses: no two clinics or artists share a name,
a summary, a description, a bio or a portrait, the gallery says it is drawn, and every
address of the sitemap answers.

The sample data is loaded once for the module (`demo_data`, tests/conftest.py)."""

import re

import pytest
from django.core.management import call_command

from clinics.models import Artist, Clinic, ClinicPhoto
from tests.sitemaps import full_sitemap

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data"), pytest.mark.slow]


def test_every_sample_clinic_and_artist_is_its_own(client):
    clinics = list(Clinic.objects.all())
    for field in ("name", "summary", "description"):
        values = [getattr(clinic, field) for clinic in clinics]
        assert len(set(values)) == len(values), f"two clinics share a {field}"
    assert all(clinic.is_sample for clinic in clinics)
    artists = list(Artist.objects.all())
    for field in ("name", "bio", "portrait"):
        values = [str(getattr(artist, field)) for artist in artists]
        assert len(set(values)) == len(values), f"two artists share a {field}"
    assert all(artist.bio.startswith(artist.name.split()[0]) for artist in artists)


def test_gallery_pictures_are_labelled_as_illustrations(client):
    assert all(p.alt_text.startswith("Illustration:") for p in ClinicPhoto.objects.all())
    clinic = Clinic.objects.listed().first()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "drawn illustrations of SMP stages, not photos of real clients" in html
    assert "Before · work by" in html and "· illustration</figcaption>" in html
    assert "Healed, 8 months after the last session · work by" in html
    assert "The studio · illustration" in html


def test_an_older_loaders_clinics_go_and_a_rerun_changes_nothing():
    stale = Clinic.objects.create(
        name="Old Demo Name",
        slug="old-demo-name",
        city=Clinic.objects.first().city,
        is_sample=True,
        status="approved",
    )
    before = sorted(Clinic.objects.exclude(pk=stale.pk).values_list("pk", "summary"))
    call_command("load_demo", skip_gazetteer=True)
    assert not Clinic.objects.filter(pk=stale.pk).exists()
    assert sorted(Clinic.objects.values_list("pk", "summary")) == before


def test_a_sample_profile_says_it_is_sample_once(client):
    clinic = Clinic.objects.filter(status="approved").first()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert html.count("Sample listing:") == 2  # the listing, and its drawn gallery
    assert "Sample listing. " not in html


def test_every_url_in_the_sitemap_answers_with_the_demo_data(client):
    body = full_sitemap(client)
    paths = [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>(.*?)</loc>", body)]
    assert len(paths) > 100
    for path in paths:
        assert client.get(path).status_code == 200, path
