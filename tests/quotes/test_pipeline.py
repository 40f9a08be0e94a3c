import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clinics.models import Clinic
from outbox import sending
from quotes import pipeline
from quotes.models import QuoteDelivery, QuotePhoto, QuoteRequest
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote, nothing_enqueued, send, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs the next steps the pipeline enqueues with transaction.on_commit at the end of
    the block, as the commit of a real transaction would (tasks are eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def leeds_clinics(city):
    return {
        "a": ClinicFactory(city=city, name="A Clinic", quote_email="a@clinics.example"),
        "b": ClinicFactory(city=city, name="B Clinic", quote_email="b@clinics.example"),
        "pending": ClinicFactory(
            city=city, status=Clinic.Status.PENDING, quote_email="p@clinics.example"
        ),
        "suspended": ClinicFactory(
            city=city, status=Clinic.Status.SUSPENDED, quote_email="s@clinics.example"
        ),
        "no_quotes": ClinicFactory(
            city=city, accepts_quotes=False, quote_email="n@clinics.example"
        ),
        "elsewhere": ClinicFactory(city=CityFactory(), quote_email="e@clinics.example"),
    }


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_single_mode_reaches_exactly_the_one_clinic(city, leeds_clinics, commit):
    quote = make_quote(city, clinic=leeds_clinics["b"], mode="single")
    with commit():
        pipeline.process_quote(quote.pk)
    assert _recipients() == ["b@clinics.example", "sam@client.example"]
    artist = next(m for m in mail.outbox if m.to == ["b@clinics.example"])
    # A reply reaches the client through the conversation's relay address (#29).
    (relay_address,) = artist.reply_to
    assert relay_address.startswith("reply+") and "sam@client.example" not in relay_address


def test_city_mode_reaches_every_approved_clinic_taking_quotes_and_no_other(
    city, leeds_clinics, commit
):
    quote = make_quote(city, mode="city")
    with commit():
        pipeline.process_quote(quote.pk)
    assert _recipients() == ["a@clinics.example", "b@clinics.example", "sam@client.example"]
    quote.refresh_from_db()
    assert quote.status == "dispatched" and quote.dispatched_at
    assert set(quote.deliveries.values_list("status", flat=True)) == {"sent"}


def test_the_artist_email_carries_the_request_and_signed_photo_links(city, leeds_clinics, commit):
    quote = make_quote(
        city, clinic=leeds_clinics["a"], mode="single", photos=2, phone="0113 496 0000"
    )
    with commit():
        pipeline.process_quote(quote.pk)
    artist = next(m for m in mail.outbox if m.to == ["a@clinics.example"])
    # The client by first name: their address and phone only once they choose (#29).
    assert quote.reference in artist.subject and "Sam" in artist.subject
    for text in ["Sam", "Leeds", "Thinning at the crown for five years."]:
        assert text in artist.body
    for text in ["Sam Client", "sam@client.example", "0113 496 0000"]:
        assert text not in artist.subject + artist.body + artist.alternatives[0][0]
    html = artist.alternatives[0][0]
    assert html.count("http://testserver/quote/photo/") == 2
    assert artist.body.count("http://testserver/quote/photo/") == 2


def test_the_artist_email_links_the_client_s_photos_and_embeds_none(city, leeds_clinics, commit):
    """A mail provider's proxy fetches every image of an HTML email, whoever opens it: the
    client's photos are links the artist opens, never images in the email."""
    quote = make_quote(city, clinic=leeds_clinics["a"], mode="single", photos=2)
    with commit():
        pipeline.process_quote(quote.pk)
    artist = next(m for m in mail.outbox if m.to == ["a@clinics.example"])
    html = artist.alternatives[0][0]
    image_sources = re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", html)
    assert image_sources and not [src for src in image_sources if "/quote/photo/" in src]
    links = re.findall(r'<a href="(http://testserver/quote/photo/[^"]+)">([^<]+)</a>', html)
    assert [text for _url, text in links] == ["Client photo 1", "Client photo 2"]


def test_the_confirmation_names_the_artists(city, leeds_clinics, commit):
    with commit():
        pipeline.process_quote(make_quote(city).pk)
    confirmation = next(m for m in mail.outbox if m.to == ["sam@client.example"])
    assert "A Clinic" in confirmation.body and "B Clinic" in confirmation.body
    assert "these 2 artists" in confirmation.body
    assert confirmation.reply_to == []


def test_with_no_artist_taking_quotes_the_client_is_told_honestly(leeds_clinics, commit):
    empty_city = CityFactory(name="Quietville")
    quote = make_quote(empty_city)
    with commit():
        pipeline.process_quote(quote.pk)
    assert _recipients() == ["sam@client.example"]
    body = mail.outbox[0].body
    assert "no artist in Quietville is taking requests online" in body
    assert "so nobody has received it" in body and "find artists in towns near" in body
    assert "our team will" not in body  # no promise nobody keeps
    assert QuoteRequest.objects.get(pk=quote.pk).status == "dispatched"


def test_photos_are_sanitised_before_any_artist_sees_them(city, leeds_clinics, private_dir):
    quote = make_quote(city, photos=2)
    originals = {p.file.name for p in quote.photos.all()}
    pipeline.process_quote(quote.pk)
    photos = list(quote.photos.all())
    assert all(p.sanitised for p in photos)
    assert not originals & {p.file.name for p in photos}
    assert len(stored_files(private_dir)) == 2  # the originals are gone
    for photo in photos:
        with photo.file.open("rb") as handle:
            data = handle.read()
        assert b"PhoneMaker" not in data


def test_running_the_dispatch_twice_sends_nothing_twice(city, leeds_clinics, commit):
    quote = make_quote(city)
    with commit():
        pipeline.process_quote(quote.pk)
    with commit():
        pipeline.process_quote(quote.pk)
    QuoteRequest.objects.filter(pk=quote.pk).update(status="received")  # as if redelivered late
    with commit():
        pipeline.process_quote(quote.pk)
    assert len(mail.outbox) == 3
    assert quote.deliveries.count() == 3


def test_running_a_send_twice_sends_once(city, leeds_clinics):
    quote = make_quote(city)
    with pytest.MonkeyPatch.context() as patch:
        nothing_enqueued(patch)
        pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.filter(kind="artist").first()
    send(delivery)
    send(delivery)
    assert len(mail.outbox) == 1


def test_a_delivery_claimed_by_a_live_worker_is_left_alone(city, leeds_clinics):
    quote = make_quote(city)
    with pytest.MonkeyPatch.context() as patch:
        nothing_enqueued(patch)
        pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.filter(kind="artist").first()
    QuoteDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", lease_until=timezone.now() + timedelta(minutes=5)
    )
    send(delivery)
    assert mail.outbox == []
    # Once the lease has run out (its worker died), the delivery can be claimed again.
    QuoteDelivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(1))
    send(delivery)
    assert len(mail.outbox) == 1


class FlakyBackend:
    """An ESP that fails the first `failures` sends."""

    failures = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            from anymail.exceptions import AnymailAPIError

            raise AnymailAPIError("ESP answered 503")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_esp(settings):
    settings.EMAIL_BACKEND = "tests.quotes.test_pipeline.FlakyBackend"
    FlakyBackend.calls = 0
    return FlakyBackend


def test_an_esp_error_is_retried_with_backoff_then_sent(city, leeds_clinics, flaky_esp, settings):
    settings.OUTBOX_SEND_BACKOFF_SECONDS = 30
    flaky_esp.failures = 1
    quote = make_quote(city, clinic=leeds_clinics["a"], mode="single")
    with pytest.MonkeyPatch.context() as patch:
        nothing_enqueued(patch)
        pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.get(kind="artist")
    before = timezone.now()
    assert send(delivery) == 30  # retry in 30 s
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "ESP answered 503" in delivery.last_error
    assert delivery.next_attempt_at >= before + timedelta(seconds=29)
    assert send(delivery) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_backoff_grows_and_is_capped(settings):
    settings.OUTBOX_SEND_BACKOFF_SECONDS = 30
    assert [sending.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert sending.backoff_seconds(30) == settings.OUTBOX_SEND_BACKOFF_MAX_SECONDS


def test_after_the_last_try_a_delivery_is_failed(city, leeds_clinics, flaky_esp, settings, commit):
    settings.OUTBOX_SEND_MAX_ATTEMPTS = 3
    flaky_esp.failures = 99
    quote = make_quote(city, clinic=leeds_clinics["a"], mode="single")
    with commit():
        pipeline.process_quote(quote.pk)  # eager tasks: the retries run at once
    delivery = quote.deliveries.get(kind="artist")
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "ESP answered 503" in delivery.last_error
    assert mail.outbox == []


def test_the_sweeper_enqueues_what_is_overdue_and_nothing_else(
    city, leeds_clinics, settings, commit
):
    settings.SWEEP_AFTER_SECONDS = 60
    old = timezone.now() - timedelta(minutes=5)
    stuck = make_quote(city)
    QuoteRequest.objects.filter(pk=stuck.pk).update(created_at=old)
    fresh = make_quote(city)
    with commit():
        assert pipeline.sweep_requests() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == "dispatched" and fresh.status == "received"
    assert len(mail.outbox) == 3


def test_the_sweeper_takes_over_abandoned_sends(city, leeds_clinics):
    quote = make_quote(city, clinic=leeds_clinics["a"], mode="single")
    with pytest.MonkeyPatch.context() as patch:
        nothing_enqueued(patch)
        pipeline.process_quote(quote.pk)
    past = timezone.now() - timedelta(minutes=10)
    quote.deliveries.update(status="sending", lease_until=past)
    assert sending.sweep() == 2
    assert len(mail.outbox) == 2


def test_resend_sends_a_failed_delivery_to_the_corrected_address(city, leeds_clinics):
    quote = make_quote(city, clinic=leeds_clinics["a"], mode="single")
    pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.get(kind="artist")
    delivery.status = "failed"
    delivery.save()
    Clinic.objects.filter(pk=leeds_clinics["a"].pk).update(quote_email="new@clinics.example")
    mail.outbox.clear()
    assert sending.resend(QuoteDelivery.objects.all()) == 1
    send(delivery)
    assert _recipients() == ["new@clinics.example"]


def test_deleting_a_request_deletes_its_photo_files(
    city, leeds_clinics, private_dir, django_capture_on_commit_callbacks
):
    quote = make_quote(city, photos=3)
    assert len(stored_files(private_dir)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        quote.delete()
    assert stored_files(private_dir) == []


def test_photos_past_retention_are_purged(
    city, leeds_clinics, private_dir, settings, django_capture_on_commit_callbacks
):
    settings.QUOTE_PHOTO_RETENTION_DAYS = 180
    old = make_quote(city, photos=2)
    new = make_quote(city, photos=1)
    QuotePhoto.objects.filter(quote=old).update(created_at=timezone.now() - timedelta(days=181))
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.purge_expired_photos() == 2
    assert not QuotePhoto.objects.filter(quote=old).exists()
    assert QuotePhoto.objects.filter(quote=new).count() == 1
    assert len(stored_files(private_dir)) == 1


def test_an_enqueue_failure_never_reaches_the_caller(monkeypatch, city):
    from celery import current_app

    from outbox import queue

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(current_app.tasks["quotes.tasks.process_quote"], "apply_async", broken)
    assert queue.enqueue("quotes.tasks.process_quote", 1) is False
