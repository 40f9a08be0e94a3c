"""Artists reply through private links; the client compares, chooses, closes or erases."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from quotes import pipeline
from quotes.links import (
    compare_path,
    delivery_id_from,
    quote_id_from,
    reply_path,
    thanks_path,
)
from quotes.models import QuoteDelivery, QuoteReply, QuoteReplyRevision, QuoteRequest
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote, stored_files

# The emails are enqueued with transaction.on_commit: they run as the writes commit
# (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]


@pytest.fixture
def three(city):
    return [
        ClinicFactory(city=city, name=name, quote_email=f"{slug}@clinics.example", currency="GBP")
        for name, slug in [("Alder Ink", "alder"), ("Birch Dots", "birch"), ("Cedar SMP", "cedar")]
    ]


@pytest.fixture
def sent(three, city):
    """A `city` request to three clinics, dispatched; the outbox emptied."""
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    mail.outbox.clear()
    return quote


def _delivery(quote, clinic):
    return quote.deliveries.get(kind="artist", clinic=clinic)


def _answer(client, quote, clinic, **fields):
    data = {
        "price_min": "1200",
        "price_max": "1800",
        "price_type": "estimate",
        "sessions": "3",
        "deposit": "200",
        "includes": "Three sessions and a touch-up within a year",
        "available_from": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "message": "Happy to help.",
    }
    data.update(fields)
    return client.post(reply_path(_delivery(quote, clinic).pk), data)


def _send_batches():
    past = timezone.now() + timedelta(minutes=16)
    return pipeline.notify_reply_batches(now=past)


def test_the_artist_email_carries_a_reply_link_and_the_confirmation_a_comparison_link(three, city):
    quote = make_quote(city)
    pipeline.process_quote(quote.pk)
    artist = next(m for m in mail.outbox if m.to == [three[0].quote_email])
    link = re.search(r"http://testserver(/quote/reply/\S+/)", artist.body).group(1)
    assert delivery_id_from(link.split("/")[-2]) == _delivery(quote, three[0]).pk
    confirmation = next(m for m in mail.outbox if m.to == [quote.email])
    link = re.search(r"http://testserver(/quote/compare/\S+/)", confirmation.body).group(1)
    assert quote_id_from(link.split("/")[-2]) == quote.pk


def test_the_whole_loop(client, sent, three):
    alder, birch, cedar = three
    assert _answer(client, sent, birch, price_min="900", price_max="1500").status_code == 302
    assert _answer(client, sent, alder).status_code == 302
    assert (
        client.post(
            reply_path(_delivery(sent, cedar).pk),
            {"declined": "on", "message": "We only do scars."},
        ).status_code
        == 302
    )

    # Replies inside one window reach the client as one email.
    assert pipeline.notify_reply_batches() == 0  # too soon
    assert _send_batches() == 1
    assert _send_batches() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [sent.email]
    assert "2 artists have sent a price" in mail.outbox[0].body
    link = re.search(r"http://testserver(/quote/compare/\S+/)", mail.outbox[0].body).group(1)

    page = client.get(link)
    html = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert "noindex" in page["X-Robots-Tag"] and page["Referrer-Policy"] == "same-origin"
    # Sorted by price: Birch (900) before Alder (1200); then the decline.
    order = [html.index(name) for name in ["Birch Dots", "Alder Ink", "Cedar SMP"]]
    assert order == sorted(order)
    assert "£900–£1,500" in html and "Not a fit for this artist: We only do scars." in html
    assert alder.get_absolute_url() in html

    chosen = QuoteReply.objects.get(delivery__clinic=alder)
    token = link.split("/")[-2]
    choose = reverse("quotes:decide-choose", args=[token, chosen.pk])
    mail.outbox.clear()
    # The page only links to a confirmation; the confirmation says who will be emailed.
    assert choose in html
    confirm = client.get(choose).content.decode()
    assert "We email <strong>Alder Ink</strong> that you chose them" in confirm
    assert "Birch Dots, Cedar SMP" in confirm and mail.outbox == []
    client.post(choose)
    client.post(choose)  # twice: one email each
    assert sorted(m.to[0] for m in mail.outbox) == [alder.quote_email, sent.email]
    to_alder = next(m for m in mail.outbox if m.to == [alder.quote_email])
    assert to_alder.reply_to == [sent.email]
    to_client = next(m for m in mail.outbox if m.to == [sent.email])
    assert alder.quote_email in to_client.body and "£1,200–£1,800" in to_client.body
    page = client.get(link).content.decode()
    assert "Your artist: Alder Ink" in page and alder.quote_email in page

    close = reverse("quotes:decide", args=[token, "close"])
    mail.outbox.clear()
    confirm = client.get(close).content.decode()
    assert "<strong>Birch Dots</strong>, <strong>Cedar SMP</strong>" in confirm
    assert "<strong>Alder Ink</strong>, whom you chose, isn’t emailed" in confirm
    assert mail.outbox == []
    client.post(close)
    client.post(close)
    assert sorted(m.to[0] for m in mail.outbox) == [birch.quote_email, cedar.quote_email]


def test_the_comparison_lists_who_has_not_replied_yet(client, sent, three):
    _answer(client, sent, three[0])
    html = client.get(compare_path(sent.pk)).content.decode()
    assert html.count("No reply yet") == 2


def test_the_comparison_says_how_soon_each_artist_replied(client, sent, three):
    alder, birch, _ = three
    _answer(client, sent, alder)
    _answer(client, sent, birch)
    late = QuoteReply.objects.select_related("delivery").get(delivery__clinic=birch)
    QuoteReply.objects.filter(pk=late.pk).update(
        created_at=late.delivery.sent_at + timedelta(hours=3, minutes=5)
    )
    html = client.get(compare_path(sent.pk)).content.decode()
    assert "Replied within a minute of your request" in html
    assert "Replied 3\xa0hours, 5\xa0minutes after your request" in html
    assert "Replied 0" not in html


def test_the_comparison_shows_each_artists_rating_from_published_reviews(client, sent, three):
    from clinics.models import Clinic

    alder, birch, _ = three
    Clinic.objects.filter(pk=alder.pk).update(rating_count=3, rating_average=4.67)
    _answer(client, sent, alder)
    _answer(client, sent, birch)
    html = client.get(compare_path(sent.pk)).content.decode()
    assert "4.7 out of 5 · 3 reviews" in html
    assert html.count("out of 5 ·") == 1  # an unrated artist shows no rating


def test_a_reply_can_change_until_the_client_chooses_and_each_change_is_kept(client, sent, three):
    alder, birch, _ = three
    _answer(client, sent, alder, price_min="1000", price_max="1400")
    # The client (or a link scanner) opening the comparison page changes nothing.
    client.get(compare_path(sent.pk))
    _answer(client, sent, alder, price_min="1100", price_max="1400")
    reply = QuoteReply.objects.get()
    assert reply.price_min == 1100
    revisions = list(QuoteReplyRevision.objects.filter(reply=reply))
    assert [r.data["price_min"] for r in revisions] == [1000, 1100]
    assert "Alder Ink" in revisions[0].changed_by
    # The client sees that the answer was changed, and when.
    page = client.get(compare_path(sent.pk)).content.decode()
    assert "Updated by the artist on" in page

    _answer(client, sent, birch, price_min="900", price_max="1000")
    token = compare_path(sent.pk).split("/")[-2]
    client.post(reverse("quotes:decide-choose", args=[token, reply.pk]))
    response = _answer(client, sent, alder, price_min="500", price_max="600")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Client chose Alder Ink" in html and 'name="price_min"' not in html
    birch_page = client.get(reply_path(_delivery(sent, birch).pk)).content.decode()
    assert "The client chose another artist" in birch_page
    assert sent.name not in birch_page and "Thinning at the crown" not in birch_page
    reply.refresh_from_db()
    assert reply.price_min == 1100
    assert QuoteReply.objects.get(delivery__clinic=birch).seen_by_client_at is not None


def test_opening_the_comparison_page_writes_nothing(client, sent, three):
    _answer(client, sent, three[0])
    before = list(QuoteReply.objects.values())
    for method in (client.get, client.head):
        assert method(compare_path(sent.pk)).status_code == 200
    assert list(QuoteReply.objects.values()) == before


def test_a_link_checkers_head_on_the_comparison_link_leaves_the_replies_open_to_change(
    client, sent, three
):
    alder = three[0]
    _answer(client, sent, alder, price_min="1000", price_max="1400")
    assert client.head(compare_path(sent.pk)).status_code == 200
    assert _answer(client, sent, alder, price_min="1100", price_max="1400").status_code == 302
    assert QuoteReply.objects.get().price_min == 1100


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price_min": ""}, "Give a price, or tick “not a fit”."),
        ({"price_min": "2000", "price_max": "1000"}, "must be at least the “from” price"),
        ({"price_type": ""}, "fixed or an estimate"),
        ({"deposit": "5000"}, "deposit can't be more than the price"),
        ({"available_from": "2001-01-01"}, "Choose today or a later date."),
        ({"price_min": "-5"}, "greater than or equal to 0"),
    ],
)
def test_bad_replies_get_clear_messages_and_nothing_is_stored(client, sent, three, fields, message):
    response = _answer(client, sent, three[0], **fields)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not QuoteReply.objects.exists()


def test_a_reply_link_opens_only_its_own_clinics_reply(client, sent, three, city):
    alder, birch, _ = three
    _answer(client, sent, birch, price_min="700", price_max="900")
    page = client.get(reply_path(_delivery(sent, alder).pk)).content.decode()
    assert "700" not in page  # Birch's answer is not on Alder's page
    _answer(client, sent, alder, price_min="1500", price_max="1900")
    assert QuoteReply.objects.get(delivery__clinic=birch).price_min == 700

    other = make_quote(city)
    pipeline.process_quote(other.pk)
    token = reply_path(_delivery(sent, alder).pk).split("/")[-2]
    value, rest = token.split(":", 1)
    forged = signing.b64_encode(str(_delivery(other, alder).pk).encode()).decode() + ":" + rest
    assert client.get(reverse("quotes:reply", args=[forged])).status_code == 410
    # A client link is not a reply link, and the reverse.
    compare_token = compare_path(sent.pk).split("/")[-2]
    assert client.get(reverse("quotes:reply", args=[compare_token])).status_code == 410


@pytest.mark.parametrize("kind", ["reply", "compare"])
def test_tampered_expired_and_erased_links_get_the_calm_page(client, sent, three, kind):
    path = reply_path(_delivery(sent, three[0]).pk) if kind == "reply" else compare_path(sent.pk)
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    for url in [tampered]:
        response = client.get(url)
        assert response.status_code == 410
        assert "no longer works" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert client.get(path).status_code == 410
    sent.erase()
    response = client.get(path)
    assert response.status_code == 410
    if kind == "compare":
        assert "send a new link" in response.content.decode()


def test_erasing_deletes_everything_about_the_client(client, sent, three, private_dir):
    _answer(client, sent, three[0])
    assert stored_files(private_dir)
    token = compare_path(sent.pk).split("/")[-2]
    delete = reverse("quotes:decide", args=[token, "delete"])
    confirm = client.get(delete).content.decode()
    assert "your 1 photo;" in confirm and "the 1 answer artists gave" in confirm
    assert QuoteRequest.objects.get().name == "Sam Client"  # asking changed nothing
    response = client.post(delete)
    assert response["Location"] == reverse("quotes:erased")
    quote = QuoteRequest.objects.get()
    assert quote.status == "erased"
    assert (quote.name, quote.email, quote.phone, quote.message) == ("", "", "", "")
    assert not QuoteReply.objects.exists() and not quote.photos.exists()
    assert not quote.deliveries.filter(clinic__isnull=True).exclude(to_email="").exists()
    assert stored_files(private_dir) == []
    # The artists' links say it was withdrawn, and show nothing of the client.
    page = client.get(reply_path(_delivery(sent, three[0]).pk))
    assert page.status_code == 410 and "withdrew this request" in page.content.decode()
    assert client.get(compare_path(sent.pk)).status_code == 410


def test_a_new_link_goes_only_to_the_requests_own_address(client, sent):
    response = client.post(reverse("quotes:new-link"), {"email": "SAM@client.example"})
    assert response.status_code == 302
    assert (
        "If we have quote requests for that address"
        in client.get(response["Location"]).content.decode()
    )
    assert [m.to for m in mail.outbox] == [[sent.email]]
    link = re.search(r"http://testserver(/quote/compare/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200

    mail.outbox.clear()
    response = client.post(reverse("quotes:new-link"), {"email": "nobody@else.example"})
    assert response.status_code == 302 and mail.outbox == []


def test_private_pages_are_never_cached_even_with_the_page_cache_on(client, sent, settings):
    settings.PAGE_CACHE_ENABLED = True
    for path in [compare_path(sent.pk), reply_path(sent.deliveries.filter(kind="artist")[0].pk)]:
        client.get(path)
        response = client.get(path)
        assert "X-Page-Cache" not in response and "no-store" in response["Cache-Control"]


def test_a_link_signed_for_one_purpose_opens_no_other_page(client, sent, three):
    """Each link opens its own page and no other, even when the number it carries names a
    real object of the other page: a reply link holding the request's own id is not the
    client's page, a client's link holding a delivery's id is not that artist's page."""
    delivery = _delivery(sent, three[0])

    def token(path: str) -> str:
        return path.split("/")[-2]

    assert client.get(compare_path(sent.pk)).status_code == 200
    assert client.get(reply_path(delivery.pk)).status_code == 200
    for url in [
        reverse("quotes:compare", args=[token(reply_path(sent.pk))]),
        reverse("quotes:compare", args=[token(thanks_path(sent.pk))]),
        reverse("quotes:reply", args=[token(compare_path(delivery.pk))]),
        reverse("quotes:reply", args=[token(thanks_path(delivery.pk))]),
    ]:
        response = client.get(url)
        assert response.status_code == 410, url
        assert "no longer works" in response.content.decode()
    assert delivery_id_from(token(reply_path(sent.pk))) == sent.pk
    assert quote_id_from(token(reply_path(sent.pk))) is None


def test_an_artist_who_has_not_answered_in_a_day_is_reminded_once(client, sent, three):
    _answer(client, sent, three[0])  # Alder answered; Birch and Cedar did not
    assert pipeline.send_reminders() == 0  # not a day yet
    later = timezone.now() + timedelta(hours=25)
    assert pipeline.send_reminders(now=later) == 2
    assert pipeline.send_reminders(now=later) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [three[1].quote_email, three[2].quote_email]
    reminder = mail.outbox[0]
    link = re.search(r"http://testserver(/quote/reply/\S+/)", reminder.body).group(1)
    assert client.get(link).status_code == 200


def test_a_reminder_to_one_artist_does_not_stop_the_others_reminders(client, sent, three):
    alder, birch, cedar = three
    later = timezone.now() + timedelta(hours=25)
    # Only Alder's request went out a day ago: Alder is reminded, the others not yet.
    QuoteDelivery.objects.filter(quote=sent, kind="artist").exclude(clinic=alder).update(
        sent_at=timezone.now() + timedelta(hours=2)
    )
    assert pipeline.send_reminders(now=later) == 1
    # A few hours on, Birch and Cedar are due too, although Alder was reminded already.
    assert pipeline.send_reminders(now=later + timedelta(hours=3)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.quote_email for c in three)


def test_after_two_days_without_answers_the_client_may_send_it_to_the_others(city, three):
    alder, birch, cedar = three
    quote = make_quote(city, clinic=alder, mode="single")
    pipeline.process_quote(quote.pk)
    page = compare_path(quote.pk)
    from django.test import Client

    client = Client()
    assert "No artist has answered in two days" not in client.get(page).content.decode()
    QuoteRequest.objects.filter(pk=quote.pk).update(
        dispatched_at=timezone.now() - timedelta(hours=49)
    )
    assert "No artist has answered in two days" in client.get(page).content.decode()
    mail.outbox.clear()
    forward = reverse("quotes:decide", args=[page.split("/")[-2], "forward"])
    confirm = client.get(forward).content.decode()
    assert "<strong>Birch Dots</strong>, <strong>Cedar SMP</strong>" in confirm
    assert mail.outbox == []
    client.post(forward)
    client.post(forward)
    assert sorted(m.to[0] for m in mail.outbox) == [birch.quote_email, cedar.quote_email]
    assert quote.deliveries.filter(kind="artist").count() == 3
    assert "No artist has answered in two days" not in client.get(page).content.decode()


@pytest.mark.parametrize("email", ["", "   ", "not-an-address"])
def test_a_missing_or_odd_address_for_a_new_link_gets_a_clear_message(client, sent, email):
    response = client.post(reverse("quotes:new-link"), {"email": email})
    assert response.status_code == 400
    assert "Please enter the email address you used" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["sam\x00@client.example", "a" * 300 + "@x.example"])
def test_odd_input_on_the_new_link_form_is_a_clear_message_not_a_500(client, sent, email):
    response = client.post(reverse("quotes:new-link"), {"email": email})
    assert response.status_code == 400
    assert "Please enter the email address you used" in response.content.decode()


def test_a_reply_message_is_bounded_on_the_server(client, sent, three):
    response = _answer(client, sent, three[0], message="x" * 2001)
    assert response.status_code == 200 and not QuoteReply.objects.exists()


def test_a_suspended_clinic_can_neither_see_nor_answer(client, sent, three):
    from clinics.models import Clinic

    Clinic.objects.get(pk=three[0].pk).suspend()
    page = client.get(reply_path(_delivery(sent, three[0]).pk)).content.decode()
    assert "listing is suspended" in page
    assert sent.name not in page and 'name="price_min"' not in page
    assert _answer(client, sent, three[0]).status_code == 200
    assert not QuoteReply.objects.exists()


def test_the_artist_page_says_who_else_was_asked(client, sent, three):
    page = client.get(reply_path(_delivery(sent, three[0]).pk)).content.decode()
    assert "asked every approved artist in Leeds" in page
    assert "asked your clinic only" not in page
