"""A clinic's request inbox: every request to it, answered from there, and nobody
else's, whatever id is typed into the address."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import ClinicMember
from quotes import pipeline
from quotes.links import compare_path, reply_path
from quotes.models import QuoteDelivery, QuoteReply, QuoteReplyRevision
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote
from tools.management.commands.bench_pipeline import sent_requests

from .support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

INBOX = "/clinic-account/requests/"


@pytest.fixture
def city():
    return CityFactory(name="Leeds", slug="leeds")


@pytest.fixture
def alder(city):
    return ClinicFactory(city=city, name="Alder Ink", quote_email="alder@clinics.example")


@pytest.fixture
def birch(city):
    return ClinicFactory(city=city, name="Birch Dots", quote_email="birch@clinics.example")


@pytest.fixture
def sent(alder, birch, city):
    """A request to every artist in the city, dispatched."""
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    mail.outbox.clear()
    quote.refresh_from_db()
    return quote


ANSWER = {
    "price_min": "1500",
    "price_max": "1500",
    "price_type": "fixed",
    "sessions": "3",
    "includes": "Three sessions",
    "message": "Happy to help.",
}


def test_a_city_request_is_answered_from_the_inbox_and_the_client_sees_it(
    client, alder, birch, sent
):
    member_of(alder, "ana@alder.example")
    sign_in(client, "ana@alder.example")

    inbox = client.get(INBOX).content.decode()
    delivery = sent.deliveries.get(kind="artist", clinic=alder)
    assert f'href="/clinic-account/requests/{delivery.pk}/"' in inbox
    assert "New" in inbox and "asked every artist in the city" in inbox

    page = client.get(f"{INBOX}{delivery.pk}/").content.decode()
    # The client's first name and photos, as the emailed link shows them while it is
    # open (their full name, address and phone once they choose this clinic: #29).
    assert "Sam" in page and "/quote/photo/" in page
    assert "Sam Client" not in page and "sam@client.example" not in page
    assert "All requests" in page

    saved = client.post(f"{INBOX}{delivery.pk}/", ANSWER)
    assert saved.status_code == 302 and saved["Location"] == f"{INBOX}{delivery.pk}/?saved=1"
    reply = QuoteReply.objects.get(delivery=delivery)
    assert reply.price_min == 1500
    revision = QuoteReplyRevision.objects.get(reply=reply)
    assert revision.changed_by == "Alder Ink (signed in as ana@alder.example)"
    assert "Answered" in client.get(INBOX).content.decode()

    # The client's comparison page shows the price.
    compare = client.get(compare_path(sent.pk)).content.decode()
    assert "£1,500" in compare and "Alder Ink" in compare

    # The emailed reply link, opened signed in, leads to the same screen in the inbox.
    link = client.get(reply_path(delivery.pk))
    assert link.status_code == 302 and link["Location"] == f"{INBOX}{delivery.pk}/"
    # Signed out (or another clinic's member), the link works as before, on its own.
    client.post("/clinic-account/sign-out/")
    page = client.get(reply_path(delivery.pk))
    assert page.status_code == 200 and b"Messages with Sam" in page.content
    assert b"All requests" not in page.content


def test_another_clinics_request_is_not_found_whatever_the_id(client, alder, birch, sent):
    member_of(alder, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    theirs = sent.deliveries.get(kind="artist", clinic=birch)
    confirmation = sent.deliveries.get(kind="confirmation")
    for delivery in (theirs, confirmation):
        assert client.get(f"{INBOX}{delivery.pk}/").status_code == 404
        assert client.post(f"{INBOX}{delivery.pk}/", ANSWER).status_code == 404
    assert not QuoteReply.objects.exists()
    assert b"Birch" not in client.get(INBOX).content
    # Birch's emailed link, opened by Alder's member, is Birch's page, not a way in.
    page = client.get(reply_path(theirs.pk))
    assert page.status_code == 200 and b"All requests" not in page.content


def test_each_state_is_named(client, city, alder, birch):
    member_of(alder, "ana@alder.example")
    quotes = []
    for _ in range(6):
        quote = make_quote(city, photos=0)
        pipeline.process_quote(quote.pk)
        quote.refresh_from_db()
        quotes.append(quote)
    new, answered, chosen, lost, closed, erased = quotes

    def answer(quote, clinic, **extra):
        delivery = quote.deliveries.get(kind="artist", clinic=clinic)
        return QuoteReply.objects.save_answer(
            delivery,
            {**ANSWER, "declined": False, "price_min": 900, "price_max": 900, **extra},
            changed_by="test",
        )

    answer(answered, alder)
    chosen.choose(answer(chosen, alder))
    lost.choose(answer(lost, birch))
    closed.close()
    erased.erase()
    old = make_quote(city, photos=0)
    pipeline.process_quote(old.pk)
    QuoteDelivery.objects.filter(quote=old).update(created_at=timezone.now() - timedelta(days=40))

    sign_in(client, "ana@alder.example")
    page = client.get(INBOX).content.decode()
    expected = {
        new: "New",
        answered: "Answered",
        chosen: "Chosen: you",
        lost: "Another clinic chosen",
        closed: "Closed by the client",
        erased: "Withdrawn by the client",
        old: "Expired without an answer",
    }
    for quote, label in expected.items():
        delivery = quote.deliveries.get(kind="artist", clinic=alder)
        row = page.split(f'href="{INBOX}{delivery.pk}/"', 1)[1].split("</li>", 1)[0]
        assert f'<span class="inbox-list__state">{label}</span>' in row, (label, row)
    # Newest first (the old one was sent 40 days ago).
    newest_first = [
        page.index(f'href="{INBOX}{q.deliveries.get(kind="artist", clinic=alder).pk}/"')
        for q in (erased, closed, lost, chosen, answered, new, old)
    ]
    assert newest_first == sorted(newest_first)


@pytest.mark.parametrize("count", [1, 200])
def test_the_inbox_makes_the_same_queries_for_1_and_200_requests(
    client, alder, count, django_assert_num_queries
):
    member_of(alder, "ana@alder.example")
    sent_requests(alder, count)
    sign_in(client, "ana@alder.example")
    client.get(INBOX)  # the session's first read of the page
    # The session (read, and saved again: SESSION_SAVE_EVERY_REQUEST, in a savepoint),
    # the user, whether it has an authenticator, the membership with its clinic, the
    # 90 days' figures, the count and the page's rows.
    with django_assert_num_queries(10):
        page = client.get(INBOX).content.decode()
    assert page.count('class="inbox-list__item') == min(count, 50)


def test_an_artist_member_answers_too(client, alder, sent):
    member_of(alder, "artist@alder.example", role=ClinicMember.Role.ARTIST)
    sign_in(client, "artist@alder.example")
    delivery = sent.deliveries.get(kind="artist", clinic=alder)
    assert client.post(f"{INBOX}{delivery.pk}/", ANSWER).status_code == 302


def test_a_request_opened_before_signing_in_opens_after_it(client, alder, sent):
    member_of(alder, "ana@alder.example")
    delivery = sent.deliveries.get(kind="artist", clinic=alder)
    assert client.get(f"{INBOX}{delivery.pk}/")["Location"] == "/clinic-account/sign-in/"
    client.post("/clinic-account/sign-in/", {"email": "ana@alder.example"})
    from .support import last_link

    response = client.post(last_link("ana@alder.example"))
    assert response["Location"] == f"{INBOX}{delivery.pk}/"


def test_the_request_email_links_the_same_request_in_the_account(city, alder):
    quote = make_quote(city, photos=0)
    pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.get(kind="artist", clinic=alder)
    email = next(m for m in mail.outbox if m.to == ["alder@clinics.example"])
    assert f"http://testserver{INBOX}{delivery.pk}/" in email.body
    assert f'href="http://testserver{INBOX}{delivery.pk}/"' in email.alternatives[0][0]


def test_the_inbox_shows_the_last_90_days_and_why_the_profile_has_no_figure_yet(
    client, alder, birch, sent
):
    member_of(alder, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    delivery = sent.deliveries.get(kind="artist", clinic=alder)
    client.post(f"{INBOX}{delivery.pk}/", ANSWER)
    page = " ".join(client.get(INBOX).content.decode().split())
    assert "<dt>Requests received</dt> <dd> 1 </dd>" in page
    assert "<dt>Answered</dt> <dd> 1 </dd>" in page
    assert "<dt>Clients who chose you</dt> <dd> 0 </dd>" in page
    assert "once you have had 5 requests in 90 days" in page
    type(alder).objects.filter(pk=alder.pk).update(reply_rate=0.8, median_reply_hours=3.5)
    page = " ".join(client.get(INBOX).content.decode().split())
    assert "80% answered, a first reply in 3.5 hours (the median)" in page
