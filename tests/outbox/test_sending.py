"""A message that cannot be built fails its row at once, with the error recorded; the
transport's errors alone are retried, with the same backoff and attempt limit as before."""

import logging
import smtplib

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.template.base import VariableDoesNotExist
from django.test.utils import CaptureQueriesContext

from outbox import kinds, sending
from pages.models import ContactEmail, ContactMessage

pytestmark = pytest.mark.django_db

CLIENT_NAME = "Robin Asker"
CLIENT_EMAIL = "robin@client.example"


@pytest.fixture
def receipt() -> ContactEmail:
    message = ContactMessage.objects.create(
        name=CLIENT_NAME, email=CLIENT_EMAIL, message="My phone number is wrong.", form_nonce="n1"
    )
    return ContactEmail.objects.create(
        message=message, kind=ContactEmail.Kind.RECEIPT, to_email=CLIENT_EMAIL
    )


@pytest.fixture
def broken_receipt_template(settings):
    """The receipt's HTML template with a tag that does not exist; every other as it is."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"pages/email/contact_receipt_body.html": "Hello {% no_such_tag %}"},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def send(row: ContactEmail) -> float | None:
    return sending.send_email(ContactEmail, row.pk)


def test_a_template_error_fails_the_row_on_the_first_try_with_the_error_recorded(
    receipt, broken_receipt_template, caplog
):
    with caplog.at_level(logging.ERROR, logger="outbox.sending"):
        assert send(receipt) is None  # no retry
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == ("failed", 1)
    assert receipt.last_error.startswith(
        "Could not build the receipt email (pages/email/contact_receipt): TemplateSyntaxError: "
    )
    assert "no_such_tag" in receipt.last_error
    assert mail.outbox == []
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "TemplateSyntaxError" in record.getMessage()
    # A failed row is not claimed again: no second attempt, no email.
    assert send(receipt) is None
    receipt.refresh_from_db()
    assert receipt.attempts == 1 and mail.outbox == []


def test_the_task_tries_a_broken_email_once(
    receipt, broken_receipt_template, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SEND_MAX_ATTEMPTS = 6
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    settings.CONTACT_EMAILS = []
    with django_capture_on_commit_callbacks(execute=True):
        receipt.message.send_emails()  # eager tasks: a retry would run at once, here
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == ("failed", 1)
    staff = ContactEmail.objects.exclude(pk=receipt.pk)
    assert all(row.status == "sent" for row in staff)  # the other kind is unaffected
    assert [m.to for m in mail.outbox] == [[row.to_email] for row in staff]


def test_a_builder_error_fails_the_row_without_the_clients_data(receipt, monkeypatch, caplog):
    def missing(row):
        raise ValueError(f"No clinic for {row.message!r} (reply to {CLIENT_EMAIL})")

    key = ("pages.contactemail", "receipt")
    monkeypatch.setitem(kinds.KINDS, key, kinds.EmailKind(*key, "pages/email/x", missing))
    with caplog.at_level(logging.ERROR, logger="outbox.sending"):
        assert send(receipt) is None
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == ("failed", 1)
    assert receipt.last_error == (
        "Could not build the receipt email (pages/email/x): "
        "ValueError: No clinic for <ContactMessage> (reply to [address])"
    )
    for text in (receipt.last_error, caplog.text):
        assert CLIENT_NAME not in text and CLIENT_EMAIL not in text
    assert mail.outbox == []


def test_an_unregistered_kind_fails_the_row_at_once(receipt):
    ContactEmail.objects.filter(pk=receipt.pk).update(kind="gone")
    assert send(receipt) is None
    receipt.refresh_from_db()
    assert receipt.status == "failed"
    assert receipt.last_error.startswith("Could not build the gone email: LookupError: ")


def test_a_failed_lookup_is_recorded_without_the_context_it_looked_in(receipt):
    error = VariableDoesNotExist(
        "Failed lookup for key [%s] in %r", ("clinic", {"name": CLIENT_NAME})
    )
    text = sending.build_error(receipt, error)
    assert text.endswith("VariableDoesNotExist: Failed lookup for key [clinic]")
    assert CLIENT_NAME not in text


class FlakyTransport(EmailBackend):
    """Django's test outbox behind a transport that fails while `errors` lasts."""

    errors: list[Exception] = []

    def send_messages(self, messages):
        if FlakyTransport.errors:
            raise FlakyTransport.errors.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky_transport(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.FlakyTransport"
    FlakyTransport.errors = []
    yield FlakyTransport
    FlakyTransport.errors = []


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPResponseException(451, b"Try again later"),
        AnymailAPIError("ESP answered 503"),
        ConnectionRefusedError("Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_transport_error_is_retried_with_backoff_then_sent(
    receipt, flaky_transport, settings, error
):
    settings.OUTBOX_SEND_BACKOFF_SECONDS = 30
    flaky_transport.errors = [error, error]
    assert send(receipt) == 30
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == ("pending", 1)
    assert receipt.last_error.startswith(type(error).__name__)
    assert send(receipt) == 60
    assert send(receipt) is None
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts, receipt.last_error) == ("sent", 3, "")
    assert [m.to for m in mail.outbox] == [[CLIENT_EMAIL]]
    assert mail.outbox[0].extra_headers["Message-ID"] == receipt.message_id_header


def test_a_transport_error_on_the_last_attempt_fails_the_row(
    receipt, flaky_transport, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SEND_MAX_ATTEMPTS = 3
    flaky_transport.errors = [smtplib.SMTPServerDisconnected("gone")] * 3
    with django_capture_on_commit_callbacks(execute=True):
        receipt.enqueue()  # eager: the task retries at once, up to the limit
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == ("failed", 3)
    assert receipt.last_error == "SMTPServerDisconnected: gone"


def test_a_send_writes_no_message_id(receipt):
    """Rows made before Message-IDs got theirs in a migration, not on every send."""
    with CaptureQueriesContext(connection) as queries:
        send(receipt)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert updates and not [sql for sql in updates if "message_id_header" in sql]
    receipt.refresh_from_db()
    assert receipt.status == "sent"
