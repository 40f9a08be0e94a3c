"""The ESP's tracking webhook (anymail), exercised with Postmark's payloads over basic auth."""

import base64
import importlib
import json

import pytest
from django.urls import clear_url_caches
from django.utils import timezone

from quotes.models import QuoteDelivery
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db
SECRET = "tracker:s3cret-webhook"
URL = "/anymail/postmark/tracking/"


@pytest.fixture(autouse=True)
def webhook_urls(settings):
    """The webhook is mounted only when a secret is configured: reload the URLs with one."""
    import smp_site.urls

    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    importlib.reload(smp_site.urls)
    clear_url_caches()
    yield
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    importlib.reload(smp_site.urls)
    clear_url_caches()


@pytest.fixture
def delivery(city, clinic):
    quote = make_quote(city, clinic=clinic, mode="single")
    return QuoteDelivery.objects.create(
        quote=quote,
        clinic=clinic,
        to_email=clinic.quote_email,
        status=QuoteDelivery.Status.SENT,
        sent_at=timezone.now(),
        esp_message_id="pm-123",
    )


def _auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _event(record_type, delivery, **extra):
    payload = {
        "RecordType": record_type,
        "MessageID": delivery.esp_message_id,
        "Recipient": delivery.to_email,
        "Metadata": {"outbox": "quotes.quotedelivery", "id": str(delivery.pk)},
        "DeliveredAt": "2026-11-25T10:00:00Z",
        "BouncedAt": "2026-11-25T11:00:00Z",
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": delivery.to_email,
        "Description": "The address does not exist.",
        "Details": "smtp;550 5.1.1 user unknown",
        "ID": 42,
    }
    payload.update(extra)
    return json.dumps(payload)


def _post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_delivered_event_marks_the_delivery_delivered(client, delivery):
    response = _post(client, _event("Delivery", delivery), **_auth())
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.event_at is not None


def test_a_bounce_is_recorded_for_staff(client, delivery):
    _post(client, _event("Bounce", delivery), **_auth())
    delivery.refresh_from_db()
    assert delivery.status == "bounced"
    assert "does not exist" in delivery.last_error


@pytest.mark.parametrize("headers", [{}, _auth("tracker:wrong")])
def test_a_request_without_the_secret_is_refused(client, delivery, headers):
    response = _post(client, _event("Bounce", delivery), **headers)
    assert response.status_code == 400
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_a_replayed_event_changes_nothing(client, delivery):
    _post(client, _event("Delivery", delivery), **_auth())
    delivery.refresh_from_db()
    first = delivery.event_at
    assert _post(client, _event("Delivery", delivery), **_auth()).status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.event_at) == ("delivered", first)


def test_status_never_goes_backwards(client, delivery):
    _post(client, _event("Bounce", delivery), **_auth())
    _post(client, _event("Delivery", delivery), **_auth())
    delivery.refresh_from_db()
    assert delivery.status == "bounced"


def test_an_event_for_an_unknown_message_is_accepted_and_ignored(client, delivery):
    body = _event("Delivery", delivery, MessageID="unknown", Metadata={})
    assert _post(client, body, **_auth()).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_without_a_secret_the_webhook_is_not_mounted(client, settings, delivery):
    import smp_site.urls

    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    importlib.reload(smp_site.urls)
    clear_url_caches()
    assert _post(client, _event("Delivery", delivery)).status_code == 404
