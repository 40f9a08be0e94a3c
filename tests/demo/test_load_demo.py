"""`load_demo` from an empty database, run twice: the one test that loads the whole sample
data itself (other modules that only read it share one load: `demo_data`, tests/conftest.py).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from clinics.models import Artist, City, Clinic, ClinicPhoto

# The whole gazetteer takes about 20 s to load: this test brings a few places of its own
# (tests/clinics/test_search_table.py links every demo city to the real one).
DEMO = ("load_demo", "--skip-gazetteer")


@pytest.mark.slow
@pytest.mark.django_db
def test_load_demo_creates_marked_sample_data_and_is_idempotent(client):
    from places.gazetteer import load
    from tests.places.test_gazetteer import LEEDS, NEW_YORK, YORK

    load(records=[LEEDS, YORK, NEW_YORK])
    out = StringIO()
    call_command(*DEMO, stdout=out)
    first = (
        City.objects.count(),
        Clinic.objects.count(),
        Artist.objects.count(),
        ClinicPhoto.objects.count(),
    )
    call_command(*DEMO, stdout=StringIO())
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

    # The demo cities are linked to their places.
    assert City.objects.get(name="Leeds").place_id == LEEDS["geonameid"]
    assert City.objects.get(name="New York").place_id == NEW_YORK["geonameid"]
    # Every sample clinic has the data its card shows.
    clinic = Clinic.objects.listed().for_cards().first()
    assert clinic.cover is not None and clinic.cover["width"] == 400
    assert clinic.languages.filter(code="en").exists() and clinic.opening_hours

    # It also loads the articles (tests/demo/test_load_articles.py: the articles alone).
    assert "Sample articles ready: 9 articles in 3 categories, 14 FAQ entries." in out.getvalue()
    assert Article.objects.count() == 9
