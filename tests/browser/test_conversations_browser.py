"""Issue #29 on a phone: a client asks three artists in a city; one artist asks a
question from its inbox; the client gets one email and answers it from a mail client
(the test posts the ESP's signed inbound payload for that reply); the artist reads the
answer in its inbox. Neither artist sees the client's address or phone in any page or
email, until the client chooses that artist: then it does."""

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from quotes import pipeline
from quotes.links import compare_path
from quotes.models import QuoteReply
from tests.conversations import conftest as conversations
from tests.conversations.support import (
    CLIENT,
    INBOUND_URL,
    PHONE,
    everything_sent_to,
    reply_payload,
    signed,
)
from tests.factories import CityFactory, ClinicFactory
from tests.members.support import last_link, member_of
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

inbound_webhook = conversations.inbound_webhook

PHONE_SIZE = {"width": 375, "height": 740}
ARTISTS = {
    "Aire Ink": "aire@clinics.example",
    "Briggate SMP": "briggate@clinics.example",
    "Calls Studio": "calls@clinics.example",
}


def test_a_question_an_answer_by_email_and_the_choice_on_a_phone(
    page, browser, live_server, axe_check, eager_celery, inbound_webhook
):
    city = CityFactory(name="Leeds", slug="leeds")
    clinics = {
        name: ClinicFactory(city=city, name=name, quote_email=address)
        for name, address in ARTISTS.items()
    }
    quote = make_quote(city, mode="city", phone=PHONE)
    pipeline.process_quote(quote.pk)
    assert {m.to[0] for m in mail.outbox} == {*ARTISTS.values(), CLIENT}
    member_of(clinics["Aire Ink"], "ana@aire.example")
    seen_by_artist: list[str] = []

    # The artist signs in on its phone and asks a question from its inbox.
    page.set_viewport_size(PHONE_SIZE)
    page.goto(live_server.url + "/clinic-account/sign-in/")
    page.get_by_label("Your email address").fill("ana@aire.example")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.goto(live_server.url + last_link("ana@aire.example"))
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/clinic-account/requests/")
    seen_by_artist.append(page.content())
    aire = quote.deliveries.get(kind="artist", clinic=clinics["Aire Ink"])
    page.locator(f'a[href="/clinic-account/requests/{aire.pk}/"]').first.click()
    seen_by_artist.append(page.content())
    page.get_by_role("link", name="Write to Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Sam")
    axe_check(page)
    page.get_by_label("Your message").fill("Could you send a photo of the crown in daylight?")
    mail.outbox.clear()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").first).to_contain_text("Sent.")
    seen_by_artist.append(page.content())

    # The client gets one email, and answers it from a mail client.
    (question,) = [m for m in mail.outbox if m.to == [CLIENT]]
    assert "Could you send a photo of the crown in daylight?" in question.body
    (relay_address,) = question.reply_to
    answer = (
        "Yes: I will take one tomorrow morning.\n\n-- \nSam\n\n"
        "On Mon, Aire Ink wrote:\n> Could you send a photo?"
    )
    posted = Client().post(INBOUND_URL, signed(reply_payload(relay_address, CLIENT, answer)))
    assert posted.status_code == 200

    # The artist reads the answer in its inbox, without the quoted email or signature.
    page.reload()
    expect(page.get_by_text("Yes: I will take one tomorrow morning.")).to_be_visible()
    assert "Could you send a photo?</p>" not in page.content()
    seen_by_artist.append(page.content())
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for html in seen_by_artist:
        assert CLIENT not in html and PHONE not in html and "Sam Client" not in html
    for address in ARTISTS.values():
        text = everything_sent_to(address)
        assert CLIENT not in text and PHONE not in text

    # The client chooses Aire Ink on their phone; the artist then sees the details.
    for delivery in quote.deliveries.filter(kind="artist"):
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1200, price_max=1600)
    client_phone = browser.new_context(viewport=PHONE_SIZE).new_page()
    client_phone.goto(live_server.url + compare_path(quote.pk))
    client_phone.get_by_role("link", name="Choose Aire Ink…").click()
    expect(client_phone.get_by_text("Until now they knew you by your first name.")).to_be_visible()
    client_phone.get_by_role("button", name="Yes, choose Aire Ink").click()
    page.reload()
    expect(page.get_by_text(CLIENT)).to_be_visible()
    expect(page.get_by_text(PHONE)).to_be_visible()
    for other in ("briggate@clinics.example", "calls@clinics.example"):
        assert CLIENT not in everything_sent_to(other)
