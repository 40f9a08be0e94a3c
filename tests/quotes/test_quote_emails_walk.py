"""What the client and the chosen clinic read (issue 25, item 14): prices in the replies
email, the choice restated to the clinic, a fixed price said once, and the client's own
message and photos on their private comparison page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quotes import pipeline
from quotes.links import compare_path
from quotes.models import QuoteReply
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db

MESSAGE = "Thinning at the crown for five years, and a scar behind the left ear."


@pytest.fixture
def three(city):
    return [
        ClinicFactory(city=city, name=name, quote_email=f"{slug}@clinics.example", currency="GBP")
        for name, slug in [("Alder Ink", "alder"), ("Birch Dots", "birch"), ("Cedar SMP", "cedar")]
    ]


@pytest.fixture
def answered(three, city):
    """Alder: an estimate; Birch: a fixed price; Cedar: not a fit. Outbox empty."""
    quote = make_quote(city, photos=2, message=MESSAGE)
    pipeline.process_quote(quote.pk)
    alder, birch, cedar = (quote.deliveries.get(kind="artist", clinic=c) for c in three)
    QuoteReply.objects.create(
        delivery=alder,
        currency="GBP",
        price_min=1200,
        price_max=1800,
        price_type="estimate",
        sessions=3,
        deposit=200,
        includes="Three sessions and a touch-up",
    )
    QuoteReply.objects.create(
        delivery=birch, currency="GBP", price_min=1500, price_max=1500, price_type="fixed"
    )
    QuoteReply.objects.create(delivery=cedar, currency="GBP", declined=True)
    mail.outbox.clear()
    return quote


def _html(message) -> str:
    return message.alternatives[0][0]


def _token(quote) -> str:
    return compare_path(quote.pk).split("/")[-2]


def test_the_new_replies_email_shows_each_price_as_the_clinic_gave_it(answered):
    assert pipeline.notify_reply_batches(now=timezone.now() + timedelta(minutes=16)) == 1
    (email,) = mail.outbox
    estimate = "£1,200–£1,800 (an estimate from the photos, confirmed at consultation)"
    assert f"- Alder Ink: {estimate}" in email.body
    assert "- Birch Dots: £1,500, fixed\n" in email.body
    assert "One artist said it is not a fit: Cedar SMP." in email.body
    # Cheapest first, as on the comparison page.
    assert email.body.index("Alder Ink") < email.body.index("Birch Dots")
    html = _html(email)
    assert (
        '<strong>Alder Ink</strong>: <span style="white-space: nowrap;">£1,200–£1,800</span>'
        " (an estimate from the photos, confirmed at consultation)</li>"
    ) in html
    assert "<strong>Birch Dots</strong>: " in html and "£1,500, fixed</span></li>" in html


def test_the_chosen_clinic_is_told_its_price_and_the_request_without_the_photos(
    client, answered, three
):
    alder = three[0]
    reply = QuoteReply.objects.get(delivery__clinic=alder)
    client.post(reverse("quotes:decide-choose", args=[_token(answered), reply.pk]))
    (email,) = [m for m in mail.outbox if m.to == [alder.quote_email]]
    for text in [
        "Price: £1,200–£1,800 (an estimate from the photos, confirmed at consultation)",
        "Sessions: 3",
        "Deposit: £200",
        "Includes: Three sessions and a touch-up",
        f"Reference: {answered.reference}",
        "City: Leeds",
        MESSAGE,
        "2 photos, on your private page for this request:",
    ]:
        assert text in email.body, text
    html = _html(email)
    assert MESSAGE in html and "£1,200–£1,800" in html
    # Only the site's logo is an image: the client's photos are not in the email...
    assert len(re.findall(r"<img\b", html)) == 1 and "/quote/photo/" not in html
    # ...they stay behind the clinic's own reply link, which shows them.
    link = re.search(r"http://testserver(/quote/reply/\S+/)", email.body).group(1)
    page = client.get(link).content.decode()
    assert page.count("/quote/photo/") >= 2


def test_a_fixed_price_is_said_once(client, answered, three):
    birch = three[1]
    page = client.get(compare_path(answered.pk)).content.decode()
    assert "£1,500, fixed" in page and "A fixed price" not in page
    assert "An estimate from the photos, confirmed at consultation" in page  # the estimate
    reply = QuoteReply.objects.get(delivery__clinic=birch)
    choose = reverse("quotes:decide-choose", args=[_token(answered), reply.pk])
    confirm = client.get(choose).content.decode()
    assert "£1,500, fixed</strong>." in confirm and "fixed price" not in confirm
    client.post(choose)
    (to_client,) = [m for m in mail.outbox if m.to == [answered.email]]
    assert "at £1,500, fixed." in to_client.body and "fixed price" not in to_client.body


def test_the_comparison_page_shows_the_client_their_own_message_and_photos(client, answered):
    page = client.get(compare_path(answered.pk))
    html = page.content.decode()
    assert "noindex" in page["X-Robots-Tag"]
    assert MESSAGE in html
    photos = re.findall(r'<img src="(/quote/photo/[^"]+/)" alt="Your photo (\d)"', html)
    assert [number for _, number in photos] == ["1", "2"]
    # Never a public address (the clinics' own public photos aside: their cards' covers).
    assert not re.findall(r"/media/(?!thumbs/factory-studio)", html)
    for url, _ in photos:
        photo = client.get(url)
        assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
        assert "no-store" in photo["Cache-Control"] and "noindex" in photo["X-Robots-Tag"]
    # Deleting the request takes the photos with it: the links stop working.
    client.post(reverse("quotes:decide", args=[_token(answered), "delete"]))
    assert all(client.get(url).status_code == 404 for url, _ in photos)
