"""The quote form under a flood: one request per form token, and a limit per address on
top of the limits per client, so nobody's address can be fed requests from many
connections."""

import pytest
from django.core import mail
from django.urls import reverse

from quotes.links import quote_id_from_thanks
from quotes.models import QuoteRequest
from tests.quotes.support import form_token, nothing_enqueued

pytestmark = pytest.mark.django_db
URL = reverse("quotes:request")


def _quote_id(response) -> int | None:
    assert response.status_code == 302
    return quote_id_from_thanks(response["Location"].rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.QUOTE_RATE_LIMIT = "5/h"
    settings.FORM_ADDRESS_RATE_LIMIT = "5/d"


def test_one_form_token_makes_one_request_whatever_the_address(client, quote_data):
    token = form_token()
    first = client.post(URL, quote_data(form_token=token))
    for n in range(5):
        again = client.post(URL, quote_data(form_token=token, email=f"victim{n}@stranger.example"))
        assert _quote_id(again) == _quote_id(first)  # the first request's thanks page
    assert QuoteRequest.objects.count() == 1
    assert QuoteRequest.objects.get().email == "sam@client.example"


def test_past_the_address_limit_a_request_is_held_for_staff_from_any_connection(
    client, quote_data, monkeypatch
):
    nothing_enqueued(monkeypatch)  # each request as the form left it, before the worker
    for n in range(7):  # one address, a new connection each time
        response = client.post(
            URL, quote_data(email="victim@stranger.example"), REMOTE_ADDR=f"203.0.113.{n + 1}"
        )
    rows = list(QuoteRequest.objects.order_by("created_at").values_list("status", "hold_reason"))
    assert rows[:5] == [("received", "")] * 5
    assert rows[5:] == [("held", "many requests to one address")] * 2
    last = QuoteRequest.objects.order_by("created_at").last()
    assert last.hold_until is None  # staff release it, never the clock
    html = client.get(response["Location"]).content.decode()
    assert "Several requests named your email address today" in html


def test_the_confirmation_never_opens_with_what_was_typed(
    client, quote_data, eager_celery, django_capture_on_commit_callbacks
):
    spam = "Cheap pills http://spam.example/0"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, quote_data(name=spam, email="victim@stranger.example"))
    (confirmation,) = [m for m in mail.outbox if m.to == ["victim@stranger.example"]]
    opening = confirmation.body.split("\n\n")[0]
    html_opening = confirmation.alternatives[0][0].split("Thank you")[0]
    assert opening == "Hello,"
    for text in (confirmation.subject, opening, html_opening):
        assert "spam.example" not in text and "Cheap pills" not in text
