"""/contact/: a message reaches staff once, through the outbox, with the same spam rules."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from pages.models import ContactMessage
from tests.quotes.support import form_token

pytestmark = pytest.mark.django_db
URL = reverse("pages:contact")


@pytest.fixture(autouse=True)
def _staff(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    settings.CONTACT_EMAILS = []
    settings.CONTACT_RATE_LIMIT = "0"


def _data(**overrides):
    data = {
        "name": "Robin Asker",
        "email": "robin@client.example",
        "topic": "quote",
        "reference": "Q-ABCDE-FGHJK",
        "message": "I typed the wrong phone number in my request.",
        "leave_blank": "",
        "form_token": form_token(),
    }
    data.update(overrides)
    return data


def test_a_message_reaches_staff_once_with_reply_to_the_sender_and_a_receipt(
    client, django_capture_on_commit_callbacks
):
    data = _data()
    with django_capture_on_commit_callbacks(execute=True):  # the emails go out on commit
        assert client.post(URL, data)["Location"] == reverse("pages:contact-sent")
        client.post(URL, data)  # posted twice: one message
    assert ContactMessage.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["robin@client.example", "staff@smp.example"]
    staff = next(m for m in mail.outbox if m.to == ["staff@smp.example"])
    assert staff.reply_to == ["robin@client.example"]
    assert "Q-ABCDE-FGHJK" in staff.subject and "wrong phone number" in staff.body
    assert (
        "Thank you, we have your message"
        in client.get(reverse("pages:contact-sent")).content.decode()
    )


def test_a_link_from_a_thanks_page_fills_in_the_reference(client):
    html = client.get(URL + "?reference=Q-ABCDE-FGHJK").content.decode()
    assert 'value="Q-ABCDE-FGHJK"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reference", "not-a-ref", "That isn’t a quote reference"),
        ("email", '"x,evil@attacker.example"@example.org', "Enter an email address like name@"),
        ("message", "x" * 2001, "at most 2000 characters"),
        ("message", "Hello\x00there", "Null characters are not allowed."),
        ("name", "Robin\x07", "invisible control characters"),
        ("message", "", "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(client, field, value, message):
    response = client.post(URL, _data(**{field: value}))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not ContactMessage.objects.exists() and mail.outbox == []


def test_a_bot_gets_the_calm_page_and_a_doubtful_person_reaches_staff_marked(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, _data(leave_blank="Buy followers now"))
    assert not ContactMessage.objects.exists() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # the emails go out on commit
        client.post(URL, _data(form_token=form_token(age=0.5)))
    message = ContactMessage.objects.get()
    assert message.check_reason == "sent very fast"
    staff = next(m for m in mail.outbox if m.to == ["staff@smp.example"])
    assert "[check: sent very fast]" in staff.subject
