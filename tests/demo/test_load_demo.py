import pytest
from django.core.management import call_command

from clinics.models import Artist, City, Clinic, ClinicPhoto
from tests.sitemaps import full_sitemap

# The whole gazetteer takes about 20 s to load: these tests bring a few places of their own
# (tests/clinics/test_search_table.py links every demo city to the real one).
DEMO = ("load_demo", "--skip-gazetteer")


@pytest.mark.django_db
def test_load_demo_creates_marked_sample_data_and_is_idempotent(client):
    call_command(*DEMO)
    first = (
        City.objects.count(),
        Clinic.objects.count(),
        Artist.objects.count(),
        ClinicPhoto.objects.count(),
    )
    call_command(*DEMO)
    assert (
        City.objects.count(),
        Clinic.objects.count(),
        Artist.objects.count(),
        ClinicPhoto.objects.count(),
    ) == first

    assert City.objects.values("country").distinct().count() >= 5
    assert City.objects.count() >= 20
    assert Clinic.objects.count() >= 60
    assert Clinic.objects.exclude(status=Clinic.Status.APPROVED).count() >= 3
    assert not Clinic.objects.filter(is_sample=False).exists()
    for clinic in Clinic.objects.prefetch_related("artists", "photos"):
        assert 1 <= len(clinic.artists.all()) <= 3
        assert clinic.photos.all() and all(p.alt_text for p in clinic.photos.all())
        assert clinic.price_from < clinic.price_to
    assert set(Clinic.objects.values_list("currency", flat=True)) >= {"GBP", "USD", "EUR"}
    # Every approved sample clinic has what a listing needs (an artist, a public photo).
    approved = Clinic.objects.filter(status=Clinic.Status.APPROVED)
    assert approved.count() == Clinic.objects.listed().count() >= 50

    clinic = Clinic.objects.listed().first()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Sample listing" in html
    photo = clinic.photos.first()
    assert client.get(photo.image.url).status_code == 200


@pytest.mark.django_db
def test_every_url_in_the_sitemap_answers_with_the_demo_data(client):
    import re

    call_command(*DEMO)
    body = full_sitemap(client)
    paths = [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>(.*?)</loc>", body)]
    assert len(paths) > 100
    for path in paths:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_load_demo_links_the_demo_cities_to_their_places():
    from places.gazetteer import load
    from tests.places.test_gazetteer import LEEDS, NEW_YORK, YORK

    load(records=[LEEDS, YORK, NEW_YORK])
    call_command(*DEMO)
    assert City.objects.get(name="Leeds").place_id == LEEDS["geonameid"]
    assert City.objects.get(name="New York").place_id == NEW_YORK["geonameid"]
    # Every sample clinic has the data its card shows.
    clinic = Clinic.objects.listed().for_cards().first()
    assert clinic.cover is not None and clinic.cover["width"] == 400
    assert clinic.languages.filter(code="en").exists() and clinic.opening_hours
