from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from quotes import pipeline
from quotes.links import PHOTO_SALT, photo_path
from quotes.models import QuotePhoto
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(city, clinic):
    quote = make_quote(city, clinic=clinic, mode="single")
    photo = quote.photos.get()
    pipeline.sanitise_photo(photo)
    return photo


def test_a_signed_link_streams_the_sanitised_photo_privately(client, photo):
    response = client.get(photo_path(photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    body = b"".join(response.streaming_content)
    assert body[:2] == b"\xff\xd8" and b"PhoneMaker" not in body


def test_an_expired_link_is_refused(client, photo, settings):
    settings.QUOTE_PHOTO_LINK_MAX_AGE = 3600
    path = photo_path(photo.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "token",
    ["nonsense", signing.dumps(1, salt="another-purpose"), "1", ""],
)
def test_a_tampered_or_foreign_token_is_refused(client, photo, token):
    assert client.get(f"/quote/photo/{token}x/").status_code == 404


def test_a_link_cannot_be_edited_to_reach_another_photo(client, photo):
    token = photo_path(photo.pk).split("/")[-2]
    value, rest = token.split(":", 1)
    forged = signing.b64_encode(b"99999").decode() + ":" + rest
    assert client.get(f"/quote/photo/{forged}/").status_code == 404
    assert signing.loads(token, salt=PHOTO_SALT) == photo.pk


def test_an_unsanitised_photo_is_never_served(client, city, clinic):
    photo = make_quote(city, clinic=clinic, mode="single").photos.get()
    assert client.get(photo_path(photo.pk)).status_code == 404


def test_a_deleted_photo_link_is_gone(client, photo):
    path = photo_path(photo.pk)
    QuotePhoto.objects.filter(pk=photo.pk).delete()
    assert client.get(path).status_code == 404


def test_photos_are_not_under_the_public_media_url(client, photo, settings):
    assert not str(photo.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{photo.file.name}").status_code == 404
