"""Each delivery has one Message-ID, from before its first attempt to its last; a send whose
worker was lost is taken over only after a grace period, and staff see it."""

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import sending
from outbox.tracking import apply_tracking_event
from quotes.models import QuoteDelivery
from tests.quotes.support import make_quote, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(city, clinic):
    quote = make_quote(city, clinic=clinic, mode="single")
    return QuoteDelivery.objects.create(quote=quote, clinic=clinic, to_email=clinic.quote_email)


def test_a_delivery_has_its_message_id_before_any_attempt(delivery, settings):
    settings.DEFAULT_FROM_EMAIL = "SMP Clinic Finder <hello@smp.example>"
    other = QuoteDelivery.objects.create(
        quote=delivery.quote, kind="confirmation", to_email="x@y.z"
    )
    assert delivery.message_id_header.startswith("<") and delivery.message_id_header.endswith(">")
    assert other.message_id_header != delivery.message_id_header
    assert delivery.attempts == 0


def test_every_attempt_carries_the_same_message_id(delivery, monkeypatch, settings):
    settings.OUTBOX_SEND_MAX_ATTEMPTS = 3
    sent_headers = []
    real_send = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        sent_headers.append(message.message()["Message-ID"])
        if len(sent_headers) < 3:
            raise ConnectionError("ESP timed out")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    while send(delivery) is not None:
        pass
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 3
    assert sent_headers == [delivery.message_id_header] * 3
    assert mail.outbox[0].message()["Message-ID"] == delivery.message_id_header


def _lost(delivery, *, expired_seconds_ago: float) -> None:
    """As a worker killed mid-send leaves it: claimed, attempted once, lease run out."""
    QuoteDelivery.objects.filter(pk=delivery.pk).update(
        status="sending",
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=expired_seconds_ago),
    )


def test_a_lost_send_waits_the_grace_period_then_goes_again_flagged(delivery, settings):
    settings.OUTBOX_SEND_TAKEOVER_GRACE_SECONDS = 600
    _lost(delivery, expired_seconds_ago=60)
    assert not QuoteDelivery.objects.stuck().exists()  # within the grace: left alone
    assert send(delivery) is None and mail.outbox == []
    _lost(delivery, expired_seconds_ago=601)
    assert list(QuoteDelivery.objects.stuck()) == [delivery]
    send(delivery)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.retaken_at is not None
    assert mail.outbox[0].message()["Message-ID"] == delivery.message_id_header


def test_the_webhook_saying_it_went_out_saves_the_second_send(delivery, settings):
    """The ESP reports the Message-ID it was given: the row is sent, not sent again."""
    settings.OUTBOX_SEND_TAKEOVER_GRACE_SECONDS = 0
    _lost(delivery, expired_seconds_ago=5)
    event = AnymailTrackingEvent(
        event_type="queued",
        timestamp=timezone.now(),
        message_id=delivery.message_id_header.strip("<>"),
        metadata={},
    )
    assert apply_tracking_event(event)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.lease_until is None
    assert send(delivery) is None and mail.outbox == []


def test_staff_see_which_emails_may_have_been_sent_twice(admin_client, delivery, city, clinic):
    _lost(delivery, expired_seconds_ago=10_000)
    send(delivery)
    fine = QuoteDelivery.objects.create(quote=delivery.quote, kind="confirmation", to_email="c@d.e")
    send(fine)
    listing = admin_client.get(reverse("admin:quotes_quotedelivery_changelist"))
    assert listing.content.decode().count("May have been sent twice (same Message-ID") == 1
    only = (
        admin_client.get(reverse("admin:quotes_quotedelivery_changelist") + "?sent_twice=maybe")
        .context["cl"]
        .result_list
    )
    assert list(only) == [delivery]
    quote_page = admin_client.get(
        reverse("admin:quotes_quoterequest_change", args=[delivery.quote.pk])
    )
    assert "May have been sent twice" in quote_page.content.decode()
    assert sending.outgoing_models()  # every table shares the admin base
