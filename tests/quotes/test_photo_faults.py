"""A photo is left out only when it cannot be decoded, and the client is told which one;
a storage fault (a full disk, an unreachable bucket) keeps every photo and the request
waiting, and leaves no partial file behind (issue 26)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from quotes import pipeline
from quotes.models import QuoteRequest
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote, stored_files

pytestmark = pytest.mark.django_db

LEFT_OUT = "We could not use your photo 2 of 3: the file could not be read (it may be damaged)"


@pytest.fixture
def artist(city):
    return ClinicFactory(city=city, name="A Clinic", quote_email="a@clinics.example")


def _artist_email():
    return next(m for m in mail.outbox if m.to == ["a@clinics.example"])


def _confirmation():
    return next(m for m in mail.outbox if m.to == ["sam@client.example"])


def test_a_full_disk_keeps_every_photo_and_the_request_is_sent_whole_once_there_is_room(
    city, artist, disk, private_dir, django_capture_on_commit_callbacks
):
    quote = make_quote(city, photos=2)
    originals = sorted(str(path) for path in stored_files(private_dir))
    assert len(originals) == 2

    disk.full = True
    with pytest.raises(OSError, match="No space left on device"):
        pipeline.process_quote(quote.pk)

    # Nothing lost, nothing half-written, nobody emailed: the request waits.
    assert sorted(str(path) for path in stored_files(private_dir)) == originals
    assert quote.photos.count() == 2 and not quote.photos.filter(sanitised=True).exists()
    quote.refresh_from_db()
    assert quote.status == QuoteRequest.Status.PROCESSING and not quote.deliveries.exists()
    assert mail.outbox == []

    # Room again; once the lease runs out the sweeper hands it to a worker.
    disk.full = False
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert pipeline.sweep_requests() == 1

    assert _artist_email().body.count("http://testserver/quote/photo/") == 2
    assert "could not use your photo" not in _confirmation().body
    assert quote.photos.filter(sanitised=True).count() == 2
    assert len(stored_files(private_dir)) == 2  # the sanitised copies, originals gone


def test_a_photo_that_cannot_be_decoded_is_left_out_and_the_client_is_told_which(
    city, artist, private_dir, client, django_capture_on_commit_callbacks
):
    quote = make_quote(city, photos=3)
    damaged = quote.photos.order_by("pk")[1]
    with open(damaged.file.path, "r+b") as handle:  # the file was cut short on the disk
        handle.truncate(400)

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_quote(quote.pk)

    links = _artist_email().body.count("http://testserver/quote/photo/")
    assert links == 2
    confirmation = _confirmation()
    assert LEFT_OUT in confirmation.body
    assert LEFT_OUT in confirmation.alternatives[0][0]
    assert "The artists received your request without it." in confirmation.body
    assert len(stored_files(private_dir)) == 2  # the damaged file is gone too
    compare_url = next(
        line for line in confirmation.body.splitlines() if "/quote/compare/" in line
    ).strip()
    page = client.get(compare_url.removeprefix("http://testserver"))
    assert LEFT_OUT in page.content.decode()


def test_a_request_with_every_photo_readable_says_nothing_of_photos_left_out(
    city, artist, client, django_capture_on_commit_callbacks
):
    quote = make_quote(city, photos=2)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_quote(quote.pk)
    assert "could not use your photo" not in _confirmation().body
