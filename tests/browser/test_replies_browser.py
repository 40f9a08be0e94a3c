"""An artist answers and a client compares, on a phone-sized screen, with axe checks."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from quotes import pipeline
from quotes.links import compare_path, reply_path
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quote(eager_celery):
    city = CityFactory(name="Leeds", slug="leeds")
    for name in ["Alder Ink", "Birch Dots"]:
        ClinicFactory(city=city, name=name, currency="GBP")
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    mail.outbox.clear()
    return quote


def test_an_artist_answers_and_the_client_compares_on_a_phone(page, live_server, quote, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    delivery = quote.deliveries.filter(kind="artist").order_by("clinic__name").first()
    page.goto(live_server.url + reply_path(delivery.pk))
    expect(page.get_by_role("heading", level=1)).to_contain_text(quote.reference)
    expect(page.get_by_role("img", name="Client photo 1")).to_be_visible()
    axe_check(page)
    page.get_by_label("Price from (GBP)").fill("1200")
    page.get_by_label("Price up to (GBP)").fill("1600")
    page.get_by_label("An estimate from the photos").check()
    page.get_by_label("Number of sessions").fill("3")
    page.get_by_label("Message to the client").fill("We can start next month.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("status")).to_contain_text("your answer is saved")
    axe_check(page)

    page.goto(live_server.url + compare_path(quote.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare your quotes")
    expect(page.get_by_role("row", name="Alder Ink")).to_contain_text("£1,200–£1,600")
    expect(page.get_by_role("row", name="Birch Dots")).to_contain_text("No reply yet")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "scrolls sideways"
    page.get_by_role("button", name="Choose Alder Ink").click()
    expect(page.get_by_role("status").first).to_contain_text("We have told the artist")
    assert [m.to for m in mail.outbox] == [[delivery.to_email]]
