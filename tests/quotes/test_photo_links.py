"""A client's photos open only through signed links, for the artist they were sent to
while that artist needs them, or for signed-in staff."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from clinics.models import Clinic
from quotes import pipeline
from quotes.links import PHOTO_SALT, photo_path
from quotes.models import QuotePhoto, QuoteReply
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(city, clinic):
    """A city request to two clinics, dispatched: (quote, its photo, clinic's delivery)."""
    ClinicFactory(city=city, name="Other Studio", quote_email="other@clinics.example")
    quote = make_quote(city, mode="city")
    pipeline.process_quote(quote.pk)
    return quote, quote.photos.get(), quote.deliveries.get(kind="artist", clinic=clinic)


@pytest.fixture
def link(sent):
    quote, photo, delivery = sent
    return photo_path(photo.pk, delivery.pk)


def test_a_signed_link_streams_the_sanitised_photo_privately(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    body = b"".join(response.streaming_content)
    assert body[:2] == b"\xff\xd8" and b"PhoneMaker" not in body


def test_an_expired_link_is_refused(client, link, settings):
    settings.QUOTE_PHOTO_LINK_DAYS = 1
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        response = client.get(link)
    assert response.status_code == 404


# Named ids: a signed token carries the time it was made, and every pytest-xdist worker
# must collect the same test names.
@pytest.mark.parametrize(
    "token",
    ["nonsense", signing.dumps([1, 1], salt="another-purpose"), "1", ""],
    ids=["nonsense", "another-purpose", "a-number", "empty"],
)
def test_a_tampered_or_foreign_token_is_refused(client, link, token):
    assert client.get(f"/quote/photo/{token}x/").status_code == 404


def test_a_link_cannot_be_edited_to_reach_another_photo(client, link, sent):
    token = link.split("/")[-2]
    value, rest = token.split(":", 1)
    forged = signing.b64_encode(b"[99999,1]").decode() + ":" + rest
    assert client.get(f"/quote/photo/{forged}/").status_code == 404
    assert signing.loads(token, salt=PHOTO_SALT) == [sent[1].pk, sent[2].pk]


def test_a_link_for_one_request_opens_no_photo_of_another(client, sent, city):
    other = make_quote(city, mode="city")
    pipeline.process_quote(other.pk)
    photo = other.photos.get()
    assert client.get(photo_path(photo.pk, sent[2].pk)).status_code == 404


def test_an_unsanitised_photo_is_never_served(client, sent, city, clinic):
    photo = make_quote(city, clinic=clinic, mode="single").photos.get()
    assert client.get(photo_path(photo.pk, sent[2].pk)).status_code == 404


def test_a_deleted_photo_link_is_gone(client, link, sent):
    QuotePhoto.objects.filter(pk=sent[1].pk).delete()
    assert client.get(link).status_code == 404


def test_photos_are_not_under_the_public_media_url(client, sent, settings):
    photo = sent[1]
    assert not str(photo.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{photo.file.name}").status_code == 404


def test_a_link_stops_working_when_the_client_closes_the_request(client, link, sent):
    sent[0].close()
    assert client.get(link).status_code == 404


def test_only_the_chosen_artist_keeps_the_photos(client, sent, clinic):
    quote, photo, mine = sent
    theirs = quote.deliveries.exclude(pk=mine.pk).get(kind="artist")
    for delivery in (mine, theirs):
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1, price_max=2)
    quote.choose(QuoteReply.objects.get(delivery=theirs))
    assert client.get(photo_path(photo.pk, mine.pk)).status_code == 404
    assert client.get(photo_path(photo.pk, theirs.pk)).status_code == 200


def test_a_suspended_clinic_loses_the_photos_at_once(client, link, clinic):
    Clinic.objects.get(pk=clinic.pk).suspend()
    assert client.get(link).status_code == 404


def test_a_staff_link_opens_only_for_signed_in_staff(client, admin_client, sent):
    staff_link = photo_path(sent[1].pk, None)
    assert client.get(staff_link).status_code == 404
    assert admin_client.get(staff_link).status_code == 200
