"""The quote emails through anymail's Postmark backend, against a local server that
answers like Postmark's API (POST /email)."""

import re
from contextlib import nullcontext

import pytest
from anymail.exceptions import AnymailNotSupportedWarning
from django.core.mail import get_connection

from quotes import pipeline
from quotes.models import QuoteDelivery
from smp_site.email_config import ESP_BACKENDS, esp_settings
from tests.factories import ClinicFactory
from tests.production.esp_stub import PostmarkStub
from tests.quotes.support import make_quote, send

SERVER_TOKEN = "test-postmark-server-token"


@pytest.fixture
def postmark(settings):
    with PostmarkStub() as stub:
        backend, anymail = esp_settings("postmark", api_key=SERVER_TOKEN, api_url=stub.url)
        settings.EMAIL_BACKEND = backend
        settings.ANYMAIL = {**settings.ANYMAIL, **anymail}
        settings.DEFAULT_FROM_EMAIL = "SMP Clinic Finder <hello@smp.example>"
        yield stub


@pytest.fixture
def clinic():
    return ClinicFactory(name="Aire Scalp Studio", quote_email="aire@clinics.example")


@pytest.mark.django_db
def test_a_quote_goes_out_through_the_esp_with_recipients_reply_to_and_content(
    postmark, clinic, eager_celery, django_capture_on_commit_callbacks
):
    quote = make_quote(clinic.city, clinic=clinic, mode="single", phone="07700 900123")

    with django_capture_on_commit_callbacks(execute=True):  # the sends are enqueued on commit
        pipeline.process_quote(quote.pk)

    emails = {email["To"]: email for email in postmark.emails()}
    assert sorted(emails) == ["aire@clinics.example", "sam@client.example"]
    assert all(
        call["headers"]["X-Postmark-Server-Token"] == SERVER_TOKEN for call in postmark.calls
    )

    artist = emails["aire@clinics.example"]
    assert artist["From"] == "SMP Clinic Finder <hello@smp.example>"
    # A reply reaches the client through the conversation's relay address; the client's
    # own address and phone reach the artist only once chosen (#29).
    assert re.fullmatch(r"reply\+[0-9a-f]{30}@smp\.example", artist["ReplyTo"])
    assert "Sam" in artist["TextBody"] and "Sam Client" not in artist["TextBody"]
    assert "Thinning at the crown for five years." in artist["TextBody"]
    assert "Thinning at the crown for five years." in artist["HtmlBody"]
    assert "http://testserver/quote/photo/" in artist["TextBody"]
    for private in ("07700 900123", "sam@client.example"):
        assert private not in artist["TextBody"] + artist["HtmlBody"]

    confirmation = emails["sam@client.example"]
    assert "ReplyTo" not in confirmation
    assert "Aire Scalp Studio" in confirmation["TextBody"]

    deliveries = {d.to_email: d for d in QuoteDelivery.objects.filter(quote=quote)}
    for delivery in deliveries.values():
        assert delivery.status == QuoteDelivery.Status.SENT
        assert delivery.esp_message_id.startswith("pm-")
        assert delivery.sent_at is not None
    assert artist["Metadata"] == {
        "outbox": "quotes.quotedelivery",
        "id": str(deliveries["aire@clinics.example"].pk),
    }
    message_ids = {d.esp_message_id for d in deliveries.values()}
    assert len(message_ids) == 2  # each delivery keeps its own message's id


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param((500, {"ErrorCode": 500, "Message": "Internal server error"}), id="http-500"),
        pytest.param(
            (422, {"ErrorCode": 405, "Message": "Not allowed to send: out of credits"}),
            id="error-code",
        ),
    ],
)
@pytest.mark.django_db
def test_an_esp_error_leaves_the_delivery_pending_for_a_retry(postmark, clinic, answer):
    quote = make_quote(clinic.city, clinic=clinic, mode="single", phone="07700 900123")
    delivery = QuoteDelivery.objects.create(quote=quote, clinic=clinic, to_email=clinic.quote_email)
    postmark.answers.append(answer)

    retry_in = send(delivery)

    delivery.refresh_from_db()
    assert retry_in is not None
    assert delivery.status == QuoteDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert "AnymailRequestsAPIError" in delivery.last_error
    assert answer[1]["Message"] in delivery.last_error
    assert delivery.esp_message_id == ""

    # The retry goes through, once.
    assert send(delivery) is None
    delivery.refresh_from_db()
    assert delivery.status == QuoteDelivery.Status.SENT
    assert delivery.attempts == 2 and delivery.last_error == ""
    assert delivery.esp_message_id.startswith("pm-")
    assert len(postmark.emails()) == 2
    assert send(delivery) is None
    assert len(postmark.emails()) == 2


@pytest.mark.django_db
def test_an_inactive_recipient_fails_for_good_where_staff_see_it(postmark, clinic):
    """Postmark's 406 (a recipient that bounced before) cannot be fixed by retrying."""
    quote = make_quote(clinic.city, clinic=clinic, mode="single", phone="07700 900123")
    delivery = QuoteDelivery.objects.create(quote=quote, clinic=clinic, to_email=clinic.quote_email)
    postmark.answers.append(
        (
            422,
            {
                "ErrorCode": 406,
                "Message": "You tried to send to recipient(s) that have been marked as inactive."
                " Found inactive addresses: aire@clinics.example. Inactive recipients are ones"
                " that have generated a hard bounce, a spam complaint, or a manual suppression.",
            },
        )
    )

    assert send(delivery) is None
    delivery.refresh_from_db()
    assert delivery.status == QuoteDelivery.Status.FAILED
    assert "AnymailRecipientsRefused" in delivery.last_error


@pytest.mark.parametrize("esp", sorted(ESP_BACKENDS))
def test_every_supported_esp_builds_a_working_backend(esp, settings, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")  # Amazon SES: boto3 finds the rest
    backend, anymail = esp_settings(
        esp,
        api_key="dummy-key",
        api_url="http://127.0.0.1:9/v3/",
        sender_domain="mg.smp.example",
        webhook_signing_key="dummy-signing-key",
    )
    settings.ANYMAIL = {**settings.ANYMAIL, **anymail}
    # anymail 14 warns that its SendGrid support is no longer official.
    with pytest.warns(AnymailNotSupportedWarning) if esp == "sendgrid" else nullcontext():
        connection = get_connection(backend)
    assert connection.__class__.__module__ == f"anymail.backends.{esp}"
    if esp != "amazon_ses":
        assert connection.api_url == "http://127.0.0.1:9/v3/"
