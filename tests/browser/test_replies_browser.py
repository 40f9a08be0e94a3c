"""An artist answers and changes the answer; a client compares, chooses, closes and deletes,
each through a confirmation step; on a phone-sized screen, with axe checks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from quotes import pipeline
from quotes.links import compare_path, reply_path
from quotes.models import QuoteReply, QuoteRequest
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quote(eager_celery):
    city = CityFactory(name="Leeds", slug="leeds")
    for name in ["Alder Ink", "Birch Dots"]:
        ClinicFactory(city=city, name=name, currency="GBP", phone="0113 496 0101")
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    mail.outbox.clear()
    return quote


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "scrolls sideways"


def test_an_artist_answers_then_changes_the_answer_on_a_phone(page, live_server, quote, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    delivery = quote.deliveries.filter(kind="artist").order_by("clinic__name").first()
    page.goto(live_server.url + reply_path(delivery.pk))
    expect(page.get_by_role("heading", level=1)).to_contain_text(quote.reference)
    expect(page.get_by_role("img", name="Client photo 1")).to_be_visible()
    axe_check(page)
    start = (timezone.localdate() + timedelta(days=20)).isoformat()
    page.get_by_label("Price from (GBP)").fill("1200")
    page.get_by_label("Price up to (GBP)").fill("1600")
    page.get_by_label("An estimate from the photos").check()
    page.get_by_label("Number of sessions").fill("3")
    page.get_by_label("Earliest start date").fill(start)
    page.get_by_label("Message to the client").fill("We can start next month.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("status")).to_contain_text("your answer is saved")
    axe_check(page)

    # The saved answer comes back in the form, the date included, and can be changed.
    expect(page.get_by_label("Earliest start date")).to_have_value(start)
    page.get_by_label("Price up to (GBP)").fill("1500")
    page.get_by_role("button", name="Update my answer").click()
    expect(page.get_by_role("status")).to_contain_text("your answer is saved")
    reply = QuoteReply.objects.get()
    assert (reply.price_max, reply.available_from.isoformat()) == (1500, start)

    page.goto(live_server.url + compare_path(quote.pk))
    row = page.get_by_role("row", name="Alder Ink")
    expect(row).to_contain_text("£1,200–£1,500")
    expect(row).to_contain_text("Updated by the artist on")
    expect(page.get_by_role("row", name="Birch Dots")).to_contain_text("No reply yet")
    axe_check(page)
    _no_sideways_scroll(page)


def test_choosing_closing_and_deleting_each_ask_first(page, live_server, quote, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    alder = quote.deliveries.get(kind="artist", clinic__name="Alder Ink")
    QuoteReply.objects.create(
        delivery=alder, currency="GBP", price_min=1400, price_max=1400, price_type="fixed"
    )
    page.goto(live_server.url + compare_path(quote.pk))

    page.get_by_role("link", name="Choose Alder Ink…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose Alder Ink?")
    expect(page.get_by_text("We email Alder Ink that you chose them")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare your quotes")
    assert mail.outbox == [] and not QuoteReply.objects.filter(chosen_at__isnull=False).exists()

    page.get_by_role("link", name="Choose Alder Ink…").click()
    # Unticked, so that closing below is what tells Birch (test_quote_walk_browser.py
    # covers the box left ticked).
    page.get_by_role("checkbox", name="Tell them politely").uncheck()
    page.get_by_role("button", name="Yes, choose Alder Ink").click()
    expect(page.get_by_role("status").first).to_contain_text("We have told Alder Ink")
    expect(page.get_by_role("heading", name="Your artist: Alder Ink")).to_be_visible()
    expect(page.get_by_role("link", name="0113 496 0101")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alder.to_email, quote.email])
    axe_check(page)

    page.get_by_role("link", name="Close this request…").click()
    expect(page.get_by_text("Birch Dots", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Yes, close my request").click()
    expect(page.get_by_role("status").first).to_contain_text("This request is closed")

    page.get_by_role("link", name="Delete my request and photos…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete your request and everything in it?"
    )
    axe_check(page)
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request is deleted")
    assert QuoteRequest.objects.get().status == "erased"
