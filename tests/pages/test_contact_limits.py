"""/contact/ under a flood: the site must not become a way to email strangers.

Seen on main: one form token posted 16 times with 16 addresses made 16 messages and 32
emails, each receipt opening with the attacker's text, and past the rate limit the
receipts still went.
"""

import pytest
from django.core import mail
from django.urls import reverse

from pages.models import ContactMessage
from tests.quotes.support import form_token

pytestmark = pytest.mark.django_db
URL = reverse("pages:contact")
SPAM = "Cheap pills http://spam.example/0"


@pytest.fixture(autouse=True)
def _staff(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    settings.CONTACT_EMAILS = []
    settings.CONTACT_RATE_LIMIT = "5/h"
    settings.FORM_ADDRESS_RATE_LIMIT = "5/d"


def _data(**overrides):
    data = {
        "name": "Robin Asker",
        "email": "robin@client.example",
        "topic": "other",
        "reference": "",
        "message": "Do you list clinics in Leeds?",
        "leave_blank": "",
        "form_token": form_token(),
    }
    data.update(overrides)
    return data


def _post(client, capture, data, **extra):
    with capture(execute=True):  # the emails go out on commit
        return client.post(URL, data, **extra)


def _receipts() -> list[str]:
    return [m.to[0] for m in mail.outbox if m.to != ["staff@smp.example"]]


def test_one_form_token_makes_one_message_whatever_the_address(
    client, django_capture_on_commit_callbacks
):
    token = form_token()
    first = _post(client, django_capture_on_commit_callbacks, _data(form_token=token))
    for n in range(15):
        again = _post(
            client,
            django_capture_on_commit_callbacks,
            _data(form_token=token, name=SPAM, email=f"victim{n}@stranger.example"),
        )
        assert again["Location"] == first["Location"]  # answered as the first post was
    assert ContactMessage.objects.count() == 1
    assert len(mail.outbox) == 2  # one notice to staff, one receipt to the sender
    assert _receipts() == ["robin@client.example"]


def test_past_the_client_limit_messages_reach_staff_but_no_receipt_goes_out(
    client, django_capture_on_commit_callbacks
):
    for n in range(8):
        response = _post(
            client,
            django_capture_on_commit_callbacks,
            _data(name=SPAM, email=f"victim{n}@stranger.example"),
        )
    assert ContactMessage.objects.count() == 8  # nothing a person typed is lost
    assert len(_receipts()) == 5
    last = ContactMessage.objects.order_by("-pk").first()
    assert last.check_reason == "many messages from one connection"
    # Staff hear of each; the sender is told no receipt was sent, not promised one.
    assert sum(m.to == ["staff@smp.example"] for m in mail.outbox) == 8
    page = client.get(response["Location"]).content.decode()
    assert "We have not emailed you a receipt this time" in page
    assert "We have emailed you a receipt" not in page


def test_past_the_address_limit_no_receipt_goes_to_it_from_any_connection(
    client, django_capture_on_commit_callbacks
):
    for n in range(7):  # a different client each time, one address
        _post(
            client,
            django_capture_on_commit_callbacks,
            _data(email="victim@stranger.example"),
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    assert ContactMessage.objects.count() == 7
    assert _receipts() == ["victim@stranger.example"] * 5
    last = ContactMessage.objects.order_by("-pk").first()
    assert last.check_reason == "many messages to one address"


def test_an_ipv6_client_s_whole_64_counts_as_one_client(client, django_capture_on_commit_callbacks):
    for n in range(7):
        _post(
            client,
            django_capture_on_commit_callbacks,
            _data(email=f"victim{n}@stranger.example"),
            REMOTE_ADDR=f"2001:db8:1:2::{n + 1}",
        )
    assert len(_receipts()) == 5


def test_the_receipt_never_quotes_what_was_typed(client, django_capture_on_commit_callbacks):
    _post(
        client,
        django_capture_on_commit_callbacks,
        _data(name=SPAM, message=f"{SPAM} {SPAM}", email="victim@stranger.example"),
    )
    (receipt,) = [m for m in mail.outbox if m.to == ["victim@stranger.example"]]
    html = receipt.alternatives[0][0]
    for text in (receipt.subject, receipt.body, html):
        assert "spam.example" not in text and "Cheap pills" not in text
    assert receipt.body.startswith("Hello,")
