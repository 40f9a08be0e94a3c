"""Choosing an artist (issue 25, item 11): nobody is reminded once the client chose, and the
choose step tells the other artists politely, once, unless the client unticks the box."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quotes import pipeline
from quotes.links import compare_path
from quotes.models import QuoteDelivery, QuoteReply
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote, nothing_enqueued, send

# The emails are enqueued with transaction.on_commit, which runs when the code's own
# transaction ends (tests/conftest.py, `_commits_by_default`).
pytestmark = pytest.mark.django_db


@pytest.fixture
def three(city):
    return [
        ClinicFactory(city=city, name=name, quote_email=f"{slug}@clinics.example", currency="GBP")
        for name, slug in [("Alder Ink", "alder"), ("Birch Dots", "birch"), ("Cedar SMP", "cedar")]
    ]


@pytest.fixture
def sent(three, city):
    """A city request to three clinics, dispatched, Alder's fixed price given; outbox empty."""
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    alder = quote.deliveries.get(kind="artist", clinic=three[0])
    QuoteReply.objects.create(
        delivery=alder, currency="GBP", price_min=1500, price_max=1500, price_type="fixed"
    )
    mail.outbox.clear()
    return quote


def _choose_url(quote):
    reply = QuoteReply.objects.get(delivery__quote=quote)
    token = compare_path(quote.pk).split("/")[-2]
    return reverse("quotes:decide-choose", args=[token, reply.pk])


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_nobody_is_reminded_they_are_awaited_once_the_client_chose(client, sent, three):
    client.post(_choose_url(sent))
    mail.outbox.clear()
    later = timezone.now() + timedelta(hours=25)
    assert pipeline.send_reminders(now=later) == 0
    assert mail.outbox == []
    assert not sent.deliveries.filter(kind="reminder").exists()


def test_a_reminder_made_before_the_choice_is_never_sent_after_it(client, sent, three, monkeypatch):
    nothing_enqueued(monkeypatch)
    assert pipeline.send_reminders(now=timezone.now() + timedelta(hours=25)) == 2
    client.post(_choose_url(sent), {"tell_others": "yes"})
    mail.outbox.clear()
    for reminder in sent.deliveries.filter(kind="reminder"):
        send(reminder)
        reminder.refresh_from_db()
        assert reminder.status == QuoteDelivery.Status.CANCELLED
    assert mail.outbox == []


def test_the_choose_step_offers_to_tell_the_others_ticked_and_says_so(client, sent):
    html = client.get(_choose_url(sent)).content.decode()
    box = re.search(r"<input[^>]*name=\"tell_others\"[^>]*>", html).group(0)
    assert "checked" in box
    assert "Tell them politely that you chose another artist (one email each, sent once)" in html
    assert "Birch Dots, Cedar SMP" in html
    assert "Untick the box and we email them nothing now" in html
    assert mail.outbox == []  # asking writes nothing


def test_choosing_with_the_box_ticked_tells_each_other_artist_once(client, sent, three):
    alder, birch, cedar = three
    choose = _choose_url(sent)
    client.post(choose, {"tell_others": "yes"})
    client.post(choose, {"tell_others": "yes"})  # twice: still one email each
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [alder.quote_email, birch.quote_email, cedar.quote_email, sent.email]
    )
    to_birch = _to(birch.quote_email)[0]
    assert "chose another artist" in to_birch.subject
    assert "has chosen another artist, so they won't need a price from you" in to_birch.body
    assert "Thank you for your time." in to_birch.body  # Birch sent no price
    assert sent.name not in to_birch.body and sent.message not in to_birch.body
    to_client = _to(sent.email)[0]
    assert "We have told the other artists, politely" in to_client.body
    page = client.get(compare_path(sent.pk) + "?done=choose").content.decode()
    assert "We have also told the other 2 artists, politely" in page

    # Closing afterwards tells nobody twice, and its page says so.
    mail.outbox.clear()
    token = compare_path(sent.pk).split("/")[-2]
    close = reverse("quotes:decide", args=[token, "close"])
    confirm = client.get(close).content.decode()
    assert "Birch Dots" not in confirm and "Cedar SMP" not in confirm
    client.post(close)
    assert mail.outbox == []


def test_choosing_with_the_box_unticked_tells_the_others_nothing(client, sent, three):
    alder, birch, cedar = three
    client.post(_choose_url(sent))  # an unticked box is not in the post
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alder.quote_email, sent.email])
    assert not sent.deliveries.filter(kind="closed").exists()
    assert "Close the request on your comparison page to tell them" in _to(sent.email)[0].body
    # Closing later tells them, once.
    mail.outbox.clear()
    token = compare_path(sent.pk).split("/")[-2]
    client.post(reverse("quotes:decide", args=[token, "close"]))
    assert sorted(m.to[0] for m in mail.outbox) == [birch.quote_email, cedar.quote_email]
