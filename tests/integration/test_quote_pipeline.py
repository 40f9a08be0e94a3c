"""The quote pipeline end to end with a real Redis and real Celery worker processes,
and the faults it must survive. Each ends with exactly one email per artist and one
confirmation to the client."""

import os
import signal
from collections import Counter

import pytest
from django.urls import reverse

from quotes.links import thanks_path
from quotes.models import QuoteDelivery, QuoteRequest
from tests import images
from tests.factories import CityFactory, ClinicFactory
from tests.integration.conftest import assert_redis_bounded, broker_idle, sent_emails, wait_for
from tests.quotes.support import form_token, upload

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
CLIENT = "sam@client.example"
# Generous on purpose: the machine is shared and may be busy. A healthy run takes seconds;
# only a lost or duplicated email makes these tests fail, never a slow machine.
PATIENCE = 300


@pytest.fixture
def leeds():
    city = CityFactory(name="Leeds", slug="leeds")
    clinics = [
        ClinicFactory(city=city, name=f"Leeds Clinic {n}", quote_email=f"artist{n}@clinics.example")
        for n in range(3)
    ]
    ClinicFactory(city=city, status="pending", quote_email="pending@clinics.example")
    return city, clinics


def _post_quote(client, city, clinic=None, remote_addr="127.0.0.1"):
    data = {
        "name": "Sam Client",
        "email": CLIENT,
        "city": str(city.pk),
        "mode": "single" if clinic else "city",
        "message": "Crown thinning.",
        "consent": "on",
        "form_token": form_token(),
        "photos": [
            upload("crown.jpg", images.jpeg(exif=images.exif_with_gps_and_orientation(6))),
            upload("side.png", images.png()),
        ],
    }
    if clinic:
        data["clinic"] = str(clinic.pk)
    return client.post(reverse("quotes:request"), data, REMOTE_ADDR=remote_addr)


def _recipients(outbox_dir) -> Counter:
    return Counter(message["To"] for message in sent_emails(outbox_dir))


def pipeline_done(redis_server) -> bool:
    """Nothing left that could send an email: every request handled, every delivery
    recorded as sent (a task finds nothing to claim in a sent row), and no task queued
    or running (one taken over from a lost worker would still be running)."""
    unfinished = QuoteRequest.objects.filter(status__in=["received", "processing"]).exists()
    statuses = set(QuoteDelivery.objects.values_list("status", flat=True))
    return not unfinished and statuses <= {"sent"} and broker_idle(redis_server.url)


def _expect_exactly(outbox_dir, redis_server, expected: Counter):
    """Wait for the expected emails, then until nothing is left that could send another,
    and check that no duplicate came meanwhile."""
    wait_for(
        lambda: _recipients(outbox_dir) == expected, PATIENCE, message=f"emails {dict(expected)}"
    )
    wait_for(lambda: pipeline_done(redis_server), PATIENCE, message="the pipeline to finish")
    assert _recipients(outbox_dir) == expected


def _every_artist_and_the_client(clinics) -> Counter:
    return Counter([c.quote_email for c in clinics] + [CLIENT])


def test_a_city_request_reaches_each_artist_once_through_redis_and_a_worker(
    client, worker, outbox_dir, leeds, redis_server
):
    city, clinics = leeds
    worker()
    response = _post_quote(client, city)
    assert response.status_code == 302
    _expect_exactly(outbox_dir, redis_server, _every_artist_and_the_client(clinics))

    quote = QuoteRequest.objects.get()
    assert quote.status == "dispatched"
    assert set(quote.deliveries.values_list("status", flat=True)) == {"sent"}
    assert all(photo.sanitised and photo.format == "JPEG" for photo in quote.photos.all())
    artist_mail = next(m for m in sent_emails(outbox_dir) if m["To"] == clinics[0].quote_email)
    # Replies reach the client through the conversation's relay address (#29).
    assert artist_mail["Reply-To"].startswith("reply+")
    texts = [part.get_payload(decode=True) or b"" for part in artist_mail.walk()]
    assert CLIENT.encode() not in b"".join(texts) and b"Crown thinning." in b"".join(texts)
    assert quote.reference in artist_mail["Subject"]


def test_redis_down_at_submit_still_thanks_the_client_and_delivers_later(
    client, worker, outbox_dir, leeds, redis_server, redis_waits, settings
):
    city, clinics = leeds
    worker()
    redis_server.stop()  # the rate limit's cache and the broker with it
    response = _post_quote(client, city)
    assert response.status_code == 302
    assert_redis_bounded(settings, redis_waits, "the request")
    quote = QuoteRequest.objects.get()
    assert response["Location"] == thanks_path(quote.pk)
    assert quote.reference in client.get(response["Location"]).content.decode()
    assert quote.status == "received"

    redis_server.start()  # back, and empty
    _expect_exactly(outbox_dir, redis_server, _every_artist_and_the_client(clinics))


def test_a_hung_redis_does_not_hold_the_client(
    client, worker, outbox_dir, leeds, redis_server, redis_waits, settings
):
    city, clinics = leeds
    worker()
    redis_server.pause()
    try:
        response = _post_quote(client, city)
        assert_redis_bounded(settings, redis_waits, "the request")
        redis_waits.clear()
        thanks = client.get(response["Location"])
        assert_redis_bounded(settings, redis_waits, "the thanks page")
    finally:
        redis_server.resume()
    assert response.status_code == 302
    assert QuoteRequest.objects.get().reference in thanks.content.decode()
    _expect_exactly(outbox_dir, redis_server, _every_artist_and_the_client(clinics))


def test_a_worker_killed_mid_send_leaves_exactly_one_email_per_recipient(
    client, worker, outbox_dir, leeds, redis_server, tmp_path
):
    city, clinics = leeds
    gate = tmp_path / "send-gate"  # sends wait here, before writing, until it exists
    running = worker(TEST_SEND_GATE=gate)
    response = _post_quote(client, city, clinic=clinics[1])
    assert response.status_code == 302
    wait_for(
        lambda: QuoteDelivery.objects.filter(status="sending").exists(),
        PATIENCE,
        interval=0.05,
        message="a send to be under way",
    )
    for pid in running.children():
        os.kill(pid, signal.SIGKILL)
    assert sent_emails(outbox_dir) == []  # killed before anything went out
    gate.touch()  # the sends taken over from the killed process may go through
    _expect_exactly(outbox_dir, redis_server, Counter([clinics[1].quote_email, CLIENT]))
    assert "WorkerLostError" in running.log.read_text()


def test_redis_flushed_with_work_queued_is_recovered_from_the_database(
    client, worker, outbox_dir, leeds, redis_server
):
    city, clinics = leeds
    response = _post_quote(client, city)  # queued, no worker yet
    assert response.status_code == 302
    redis_server.flush()  # as if Redis restarted with nothing on disk
    worker()
    _expect_exactly(outbox_dir, redis_server, _every_artist_and_the_client(clinics))
    assert QuoteDelivery.objects.filter(status="sent").count() == 4
