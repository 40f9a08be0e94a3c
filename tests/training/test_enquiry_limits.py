"""Seat enquiries under a flood: limits per client and per address, one enquiry per form
token, and a confirmation that never quotes what was typed.

Seen on main: no limit at all, and one form token made an enquiry (and two emails) for
every address posted with it.
"""

import pytest
from django.core import mail
from django.urls import reverse

from tests.quotes.support import form_token
from tests.training.factories import EventFactory, TrainingClassFactory
from training.models import Enquiry

pytestmark = pytest.mark.django_db
SPAM = "Cheap pills http://spam.example/0"
ORGANISER = "organiser@training.example"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TRAINING_ENQUIRY_RATE_LIMIT = "5/h"
    settings.FORM_ADDRESS_RATE_LIMIT = "5/d"


@pytest.fixture
def training_class():
    return TrainingClassFactory(
        title="Scalp colour theory",
        event=EventFactory(name="Meeting 2030", organiser_email=ORGANISER),
        seats=10,
    )


def _url(training_class) -> str:
    return reverse("training:enquire", args=[training_class.event.slug, training_class.slug])


def _data(**overrides) -> dict:
    data = {
        "name": "Kim Artist",
        "email": "kim@artist.example",
        "clinic_name": "",
        "experience": "1-3",
        "message": "I would love to learn colour theory.",
        "form_token": form_token(),
        "leave_blank": "",
    }
    data.update(overrides)
    return data


def _post(client, training_class, capture, data, **extra):
    with capture(execute=True):
        return client.post(_url(training_class), data, **extra)


def _to(address: str) -> int:
    return sum(m.to == [address] for m in mail.outbox)


def test_one_form_token_makes_one_enquiry_whatever_the_address(
    client, training_class, django_capture_on_commit_callbacks
):
    token = form_token()
    capture = django_capture_on_commit_callbacks
    first = _post(client, training_class, capture, _data(form_token=token))
    for n in range(15):
        again = _post(
            client,
            training_class,
            capture,
            _data(form_token=token, name=SPAM, email=f"victim{n}@stranger.example"),
        )
        assert again["Location"] == first["Location"]
    assert Enquiry.objects.count() == 1
    assert (_to(ORGANISER), _to("kim@artist.example"), len(mail.outbox)) == (1, 1, 2)


def test_past_the_client_limit_an_enquiry_is_kept_and_held_and_nobody_is_emailed(
    client, training_class, django_capture_on_commit_callbacks
):
    for n in range(7):
        response = _post(
            client,
            training_class,
            django_capture_on_commit_callbacks,
            _data(name=SPAM, email=f"victim{n}@stranger.example"),
        )
    assert Enquiry.objects.count() == 7
    held = Enquiry.objects.exclude(held_reason="")
    assert [e.held_reason for e in held] == ["many messages from one connection"] * 2
    assert _to(ORGANISER) == 5 and len(mail.outbox) == 10
    # The person is told it waits for a check, not that it is on its way.
    page = client.get(response["Location"]).content.decode()
    assert "Thank you, we have your enquiry" in page and "not sent yet" in page
    assert "is on its way" not in page


def test_past_the_address_limit_from_any_connection_the_enquiry_is_held(
    client, training_class, django_capture_on_commit_callbacks
):
    for n in range(7):
        _post(
            client,
            training_class,
            django_capture_on_commit_callbacks,
            _data(email="victim@stranger.example"),
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    assert _to("victim@stranger.example") == 5
    assert Enquiry.objects.filter(held_reason="many messages to one address").count() == 2


def test_staff_send_a_held_enquiry_once(
    client, admin_client, training_class, django_capture_on_commit_callbacks, settings
):
    settings.TRAINING_ENQUIRY_RATE_LIMIT = "1/h"
    capture = django_capture_on_commit_callbacks
    _post(client, training_class, capture, _data(email="first@artist.example"))
    _post(client, training_class, capture, _data(email="second@artist.example"))
    held = Enquiry.objects.get(held_reason="many messages from one connection")
    assert _to("second@artist.example") == 0
    changelist = reverse("admin:training_enquiry_changelist")
    action = {"action": "send_held", "_selected_action": [e.pk for e in Enquiry.objects.all()]}
    with capture(execute=True):
        admin_client.post(changelist, action)
        page = admin_client.post(changelist, action, follow=True)  # a second click
    assert "None of them was held: nothing sent." in page.content.decode()
    held.refresh_from_db()
    assert held.held_reason == ""
    assert (_to("second@artist.example"), _to(ORGANISER)) == (1, 2)


def test_the_confirmation_never_quotes_what_was_typed(
    client, training_class, django_capture_on_commit_callbacks
):
    _post(
        client,
        training_class,
        django_capture_on_commit_callbacks,
        _data(name=SPAM, message=SPAM, clinic_name=SPAM, email="victim@stranger.example"),
    )
    (confirmation,) = [m for m in mail.outbox if m.to == ["victim@stranger.example"]]
    opening = confirmation.body.split("\n\n")[0]
    html_opening = confirmation.alternatives[0][0].split("We have sent")[0]
    for text in (confirmation.subject, opening, html_opening):
        assert "spam.example" not in text and "Cheap pills" not in text
    assert opening == "Hello,"
