import unicodedata

import pytest
from django.urls import reverse

from clinics.models import City, Clinic
from clinics.text import country_code, country_slug, fold
from tests.factories import CityFactory, ClinicFactory


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("München", "munchen"),
        ("MÜNCHEN", "munchen"),
        ("Málaga", "malaga"),
        ("Montréal", "montreal"),
        ("Straße", "strasse"),
        ("  Köln ", "koln"),
        ("  St. ALBANS ", "st. albans"),
    ],
)
def test_fold_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


def test_plain_ascii_text_folds_as_any_other_text():
    # ASCII text takes a short path: it must give what the Unicode path gives.
    every_character = "".join(chr(code) for code in range(128))
    for text in (every_character, "Stratford-upon-Avon", "\tNEW YORK\n", "O'Brien"):
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        general = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
        assert fold(text) == general


def test_country_slugs_round_trip():
    assert country_slug("GB") == "united-kingdom"
    assert country_code("united-kingdom") == "GB"
    assert country_code("atlantis") is None


@pytest.mark.django_db
def test_listed_shows_only_approved_clinics():
    approved = ClinicFactory()
    ClinicFactory(status=Clinic.Status.PENDING)
    ClinicFactory(status=Clinic.Status.SUSPENDED)
    assert list(Clinic.objects.listed()) == [approved]


@pytest.mark.django_db
def test_approve_records_who_and_when(admin_user):
    clinic = ClinicFactory(status=Clinic.Status.PENDING, approved_at=None, reviewed_at=None)
    clinic.approve(admin_user)
    clinic.refresh_from_db()
    assert clinic.status == Clinic.Status.APPROVED
    assert clinic.approved_by == admin_user
    assert clinic.approved_at is not None
    assert clinic.reviewed_at == clinic.approved_at


@pytest.mark.django_db
def test_a_clinic_without_coordinates_takes_its_citys():
    city = CityFactory(latitude=48.1, longitude=11.5)
    clinic = ClinicFactory(city=city, latitude=None, longitude=None)
    assert (clinic.latitude, clinic.longitude) == (48.1, 11.5)


@pytest.mark.django_db
def test_price_range_reads_naturally():
    assert ClinicFactory(price_from=1200, price_to=2500).price_range == "£1,200–£2,500"
    assert ClinicFactory(price_from=900, price_to=None).price_range == "from £900"
    assert ClinicFactory(price_from=None, price_to=None).price_range == ""


@pytest.mark.django_db
def test_search_matches_clinic_or_city_without_accents(client):
    munich = CityFactory(name="München", slug="munchen", country="DE")
    in_munich = ClinicFactory(city=munich, name="Isar Scalp Studio")
    elsewhere = ClinicFactory(name="Ötztal Pigment")
    search = reverse("clinics:search")
    assert list(client.get(search, {"q": "munchen"}).context["page"]) == [in_munich]
    assert list(client.get(search, {"q": "OTZTAL"}).context["page"]) == [elsewhere]


@pytest.mark.django_db
def test_json_ld_describes_a_local_business():
    clinic = ClinicFactory(address="1 High Street", latitude=51.0, longitude=-1.0)
    data = clinic.json_ld("https://example.test/x/")
    assert data["@type"] == "HealthAndBeautyBusiness"
    assert data["address"]["streetAddress"] == "1 High Street"
    assert data["address"]["addressCountry"] == "GB"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 51.0, "longitude": -1.0}
    assert "quote_email" not in str(data) and clinic.quote_email not in str(data)


@pytest.mark.django_db
def test_a_gallery_photo_gets_a_small_thumbnail_that_the_profile_shows(client):
    from django.core.files.base import ContentFile

    from tests.factories import ClinicPhotoFactory, jpeg_bytes

    photo = ClinicPhotoFactory(image=ContentFile(jpeg_bytes(size=(1600, 1200)), name="big.jpg"))
    photo.refresh_from_db()
    assert (photo.thumb_width, photo.thumb_height) == (400, 300)
    assert photo.thumbnail.name.startswith("thumbs/") and photo.thumbnail.size < photo.image.size
    html = client.get(photo.clinic.get_absolute_url()).content.decode()
    assert f'src="{photo.thumbnail.url}"' in html and 'width="400" height="300"' in html
    assert f'href="{photo.image.url}"' in html


@pytest.mark.django_db
def test_each_citys_count_of_approved_clinics_follows_every_change():
    leeds, york = CityFactory(), CityFactory()

    def counts():
        leeds.refresh_from_db()
        york.refresh_from_db()
        return leeds.listed_clinic_count, york.listed_clinic_count

    clinic = ClinicFactory(city=leeds)
    ClinicFactory(city=leeds, status=Clinic.Status.PENDING)
    assert counts() == (1, 0)
    clinic.suspend()
    assert counts() == (0, 0)
    clinic.approve()
    assert counts() == (1, 0)
    clinic = Clinic.objects.get(pk=clinic.pk)
    clinic.city = york
    clinic.save()
    assert counts() == (0, 1)
    clinic.delete()
    assert counts() == (0, 0)


@pytest.mark.django_db
def test_a_citys_country_code_is_its_countrys_code_loaded_or_deferred():
    city = CityFactory(country="DE")
    assert city.country_code == "DE"
    assert City.objects.get(pk=city.pk).country_code == "DE"
    # Not loaded with the row: read from the database, as `country` itself would be.
    assert City.objects.only("pk").get(pk=city.pk).country_code == "DE"
