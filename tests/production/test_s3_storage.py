"""S3 mode against a real S3 HTTP server: public images, private quote photos."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from quotes import pipeline
from quotes.links import photo_path
from tests.factories import (
    ArtistFactory,
    CityFactory,
    ClinicFactory,
    ClinicPhotoFactory,
    jpeg_bytes,
)
from tests.production.conftest import PRIVATE_BUCKET, PUBLIC_BUCKET, http_get
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _unsigned(url: str) -> str:
    return url.split("?", 1)[0]


def test_a_clinic_image_is_stored_in_the_public_bucket_at_a_plain_public_url(use_s3, s3_server):
    use_s3()
    photo = ClinicPhotoFactory()
    url = photo.image.url
    assert url.startswith(f"{s3_server.endpoint_url}/{PUBLIC_BUCKET}/clinics/")
    assert "?" not in url  # no signature, no expiry: the same URL every time
    status, body = http_get(url)
    assert status == 200
    assert body[:2] == b"\xff\xd8"


def test_an_artist_portrait_is_public_too(use_s3):
    use_s3()
    artist = ArtistFactory()
    artist.portrait.save("me.jpg", ContentFile(jpeg_bytes()))
    assert http_get(artist.portrait.url)[0] == 200


def test_public_files_are_never_overwritten(use_s3):
    use_s3()
    storage = storages["default"]
    first = storage.save("clinics/same-name.jpg", ContentFile(b"one"))
    second = storage.save("clinics/same-name.jpg", ContentFile(b"two"))
    assert first != second
    assert storage.open(first).read() == b"one"


def test_a_quote_photo_is_private_and_reachable_only_by_a_short_sigv4_link(use_s3, settings):
    use_s3()
    photo = make_quote(CityFactory()).photos.get()
    storage = photo.file.storage
    assert storage.bucket_name == PRIVATE_BUCKET

    presigned = storage.url(photo.file.name)
    params = _query(presigned)
    assert params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert params["X-Amz-Expires"] == str(settings.PRIVATE_FILE_URL_EXPIRY) == "120"
    assert "X-Amz-Signature" in params

    status, body = http_get(presigned)
    assert status == 200 and body[:2] == b"\xff\xd8"
    assert http_get(_unsigned(presigned))[0] == 403


def test_the_default_expiry_is_five_minutes(s3_server):
    from smp_site.storage_config import S3Settings, s3_storages
    from tests.production.conftest import s3_config

    config = s3_config(s3_server)
    del config["private_file_url_expiry"]
    assert s3_storages(S3Settings(**config))["private"]["OPTIONS"]["querystring_expire"] == 300


def test_the_photo_view_redirects_to_a_presigned_url(use_s3, client, settings):
    use_s3()
    photo = make_quote(CityFactory()).photos.get()
    pipeline.sanitise_photo(photo)

    client.force_login(User.objects.create_superuser("staff", "staff@smp.example", "pw"))
    response = client.get(photo_path(photo.pk, None))

    assert response.status_code == 302
    location = response["Location"]
    assert f"/{PRIVATE_BUCKET}/{photo.file.name}?" in location
    assert _query(location)["X-Amz-Expires"] == str(settings.PRIVATE_FILE_URL_EXPIRY)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    status, body = http_get(location)
    assert status == 200 and body[:2] == b"\xff\xd8"


def test_sanitising_works_on_s3_and_leaves_no_original_behind(use_s3):
    use_s3()
    photo = make_quote(CityFactory(), orientation=6).photos.get()
    storage = photo.file.storage
    original = photo.file.name
    with storage.open(original) as stored:
        assert Image.open(stored).getexif()  # GPS, make, model, orientation

    pipeline.sanitise_photo(photo)

    photo.refresh_from_db()
    assert photo.sanitised and photo.file.name != original
    assert not storage.exists(original)
    with storage.open(photo.file.name) as stored:
        image = Image.open(stored)
        assert image.format == "JPEG" and not image.getexif()
        assert image.size == (600, 800)  # turned upright from EXIF orientation 6
    assert http_get(_unsigned(storage.url(photo.file.name)))[0] == 403


def test_the_whole_quote_pipeline_runs_on_s3(use_s3, eager_celery, mailoutbox):
    use_s3()
    clinic = ClinicFactory(quote_email="artist@clinics.example")
    quote = make_quote(clinic.city, clinic=clinic, mode="single", photos=2)
    pipeline.process_quote(quote.pk)
    assert quote.photos.filter(sanitised=True).count() == 2
    assert quote.deliveries.count() == 2


def test_a_separate_browser_endpoint_signs_urls_for_the_host_browsers_use(use_s3, s3_server):
    """docker-compose: the site reaches MinIO as minio:9000, browsers as localhost:9000."""
    browser_endpoint = f"http://localhost:{s3_server.port}"
    use_s3(browser_endpoint_url=browser_endpoint)
    photo = make_quote(CityFactory()).photos.get()
    presigned = photo.file.storage.url(photo.file.name)
    assert presigned.startswith(f"{browser_endpoint}/{PRIVATE_BUCKET}/")
    assert _query(presigned)["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert http_get(presigned)[0] == 200

    public = ClinicPhotoFactory().image.url
    assert public.startswith(f"{browser_endpoint}/{PUBLIC_BUCKET}/")
    assert http_get(public)[0] == 200


def test_a_custom_domain_names_public_images(use_s3):
    use_s3(custom_domain="media.smp.example")
    url = ClinicPhotoFactory().image.url
    assert url.startswith("https://media.smp.example/clinics/")


def test_healthz_checks_both_buckets(use_s3, client):
    use_s3()
    response = client.get("/healthz/")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["media_storage"] == "ok"
    assert checks["private_storage"] == "ok"


def test_healthz_names_a_missing_bucket(use_s3, client, settings):
    use_s3(private_bucket="no-such-bucket")
    response = client.get("/healthz/")
    assert response.status_code == 200  # pages are served without it: reported, not fatal
    checks = response.json()["checks"]
    assert checks["private_storage"].startswith("error")
    assert checks["media_storage"] == "ok"
    settings.HEALTHZ_FATAL = ["storage"]
    assert client.get("/healthz/").status_code == 503


def test_local_mode_checks_the_private_folder_not_a_bucket(client):
    """On one machine the private folder is written to (and its disk's free space read);
    there is no bucket to list."""
    checks = client.get("/healthz/").json()["checks"]
    assert "media_storage" not in checks
    assert checks["private_storage"] == "ok"


def test_a_clinic_page_shows_its_gallery_from_the_public_bucket(use_s3, client, s3_server):
    use_s3()
    photo = ClinicPhotoFactory()
    response = client.get(photo.clinic.get_absolute_url())
    assert response.status_code == 200
    assert photo.image.url in response.content.decode()
    assert http_get(photo.image.url)[0] == 200
