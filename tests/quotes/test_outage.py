"""An email-provider outage or a refused address (issue 26): emails are retried for two
days and sent once when the provider is back; a row that fails for good logs an ERROR,
tells the client which artist their request did not reach, and shows on the admin index
with one button that sends every failed row again."""

import logging
from datetime import timedelta

import pytest
import time_machine
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from quotes import pipeline
from quotes.models import QuoteDelivery
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote, nothing_enqueued, send

pytestmark = pytest.mark.django_db


class Provider(EmailBackend):
    """Django's test outbox behind a provider that is down until `down_until`, and refuses
    the addresses in `refused` (as anymail reports a provider's refusal)."""

    down_until = None
    refused: set[str] = set()

    def send_messages(self, messages):
        if Provider.down_until is not None and timezone.now() < Provider.down_until:
            raise AnymailAPIError("ESP answered 503 Service Unavailable")
        for message in messages:
            if set(message.to) & Provider.refused:
                raise AnymailRecipientsRefused("The ESP refused every recipient")
        return super().send_messages(messages)


@pytest.fixture
def provider(settings):
    settings.EMAIL_BACKEND = "tests.quotes.test_outage.Provider"
    yield Provider
    Provider.down_until, Provider.refused = None, set()


@pytest.fixture
def sending_log():
    """What outbox.sending logs, from a handler on that logger itself (a Celery task's first
    run configures logging again, which takes pytest's own handler off the root logger)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("outbox.sending")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.fixture
def artist(city):
    return ClinicFactory(city=city, name="Aire Scalp Studio", quote_email="aire@clinics.example")


def _deliver_as_the_worker_would(quote) -> None:
    """Each pending row sent at its own next attempt time, as the task's countdown and the
    sweeper would, until none is pending (the clock moved forward, never waited for)."""
    while pending := list(quote.deliveries.filter(status="pending").order_by("next_attempt_at")):
        row = pending[0]
        with time_machine.travel(max(row.next_attempt_at, timezone.now()), tick=False):
            send(row)


def test_emails_outlive_a_provider_outage_of_almost_two_days_and_go_once(
    city, artist, provider, settings
):
    settings.OUTBOX_SEND_BACKOFF_SECONDS = 30  # production's back-off (tests run with none)
    started = timezone.now()
    provider.down_until = started + timedelta(hours=47)
    quote = make_quote(city, clinic=artist, mode="single")
    with pytest.MonkeyPatch.context() as patch:
        nothing_enqueued(patch)
        pipeline.process_quote(quote.pk)
        _deliver_as_the_worker_would(quote)

    assert sorted(m.to[0] for m in mail.outbox) == ["aire@clinics.example", "sam@client.example"]
    rows = quote.deliveries.order_by("kind")
    assert [(row.kind, row.status) for row in rows] == [
        ("artist", "sent"),
        ("confirmation", "sent"),
    ]
    assert all(row.sent_at >= started + timedelta(hours=47) for row in rows)
    assert all(row.attempts < 55 for row in rows)


def test_a_request_that_does_not_reach_its_artist_is_told_to_the_client_once(
    city, artist, provider, sending_log, django_capture_on_commit_callbacks
):
    provider.refused = {"aire@clinics.example"}
    quote = make_quote(city, clinic=artist, mode="single")
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_quote(quote.pk)

    failed = quote.deliveries.get(kind="artist")
    assert failed.status == "failed" and failed.attempts == 1  # a refusal is not retried
    [logged] = [r for r in sending_log if r.levelno >= logging.WARNING]
    assert logged.levelname == "ERROR" and "failed for good" in logged.getMessage()
    assert "aire@clinics.example" not in logged.getMessage()
    [told] = [m for m in mail.outbox if "did not reach" in m.subject]
    assert told.to == ["sam@client.example"]
    assert told.subject == f"Your request {quote.reference} did not reach Aire Scalp Studio"
    assert "their email address did not accept it" in told.body
    assert "You asked only this artist, so nobody has your request yet." in told.body
    assert "http://testserver" + city.get_absolute_url() in told.body

    # Staff send it again and it is refused again: the client is not told twice.
    with django_capture_on_commit_callbacks(execute=True):
        from outbox import sending

        assert sending.resend(QuoteDelivery.objects.filter(pk=failed.pk)) == 1
    assert len([m for m in mail.outbox if "did not reach" in m.subject]) == 1
    assert quote.deliveries.filter(kind=QuoteDelivery.Kind.UNDELIVERED).count() == 1


def test_staff_see_failed_emails_on_the_admin_index_and_send_them_all_again(
    city, artist, provider, admin_client, client, django_capture_on_commit_callbacks
):
    provider.refused = {"aire@clinics.example", "sam@client.example"}
    quote = make_quote(city, clinic=artist, mode="single")
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_quote(quote.pk)
    assert quote.deliveries.filter(status="failed").count() == 3  # artist, confirmation, notice
    assert mail.outbox == []

    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Emails that failed for good (3)" in index
    assert "Send all 3 again" in index
    resend = reverse("outbox-resend-failed")
    assert admin_client.get(resend).status_code == 405  # a GET never sends anything
    assert client.post(resend).status_code == 302  # signed out: to the sign-in page
    assert quote.deliveries.filter(status="failed").count() == 3

    provider.refused = set()  # the addresses fixed at the provider's end
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(resend, follow=True)
    assert "Resending 3 emails." in response.content.decode()
    assert quote.deliveries.exclude(status="sent").count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aire@clinics.example",
        "sam@client.example",
        "sam@client.example",
    ]
    assert (
        "Emails that failed for good"
        not in admin_client.get(reverse("admin:index")).content.decode()
    )
