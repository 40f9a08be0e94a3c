"""Issue 25, items 11 and 14, in Chromium on a phone-sized screen: choosing tells the other
artists in the same step (a box ticked by default), the client sees their own message and
photos privately, a fixed price is said once, and a reference never wraps at its hyphens,
on pages and in emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outbox.compose import compose
from quotes import pipeline
from quotes.links import compare_path, reply_path, thanks_path
from quotes.models import QuoteDelivery, QuoteReply
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "Thinning at the crown for five years, and a scar behind the left ear."

# From a small phone to a tablet, 2 px at a time.
WIDTHS = range(280, 640, 2)

# Each place the text holds `reference`: how many line boxes it spans (1 = unbroken).
SPLIT_REFERENCES = """(reference) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let at = node.data.indexOf(reference);
    for (; at >= 0; at = node.data.indexOf(reference, at + 1)) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + reference.length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.length) found.push(new Set(rects.map((r) => Math.round(r.top))).size);
    }
  }
  return found;
}"""


@pytest.fixture
def quote():
    """Three Leeds clinics asked; Alder a fixed price, Birch an estimate, Cedar silent."""
    city = CityFactory(name="Leeds", slug="leeds")
    clinics = {
        name: ClinicFactory(city=city, name=name, currency="GBP", phone="0113 496 0101")
        for name in ["Alder Ink", "Birch Dots", "Cedar SMP"]
    }
    quote = make_quote(city, photos=2, message=MESSAGE)
    pipeline.process_quote(quote.pk)
    deliveries = {d.clinic.name: d for d in quote.deliveries.filter(kind="artist")}
    QuoteReply.objects.create(
        delivery=deliveries["Alder Ink"],
        currency="GBP",
        price_min=1500,
        price_max=1500,
        price_type="fixed",
    )
    QuoteReply.objects.create(
        delivery=deliveries["Birch Dots"],
        currency="GBP",
        price_min=1200,
        price_max=1800,
        price_type="estimate",
    )
    quote.clinics = clinics
    mail.outbox.clear()
    return quote


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "scrolls sideways"


@pytest.mark.parametrize("ticked", [True, False], ids=["box-left-ticked", "box-unticked"])
def test_the_choose_step_tells_the_other_artists_unless_the_client_unticks_it(
    page, live_server, quote, axe_check, ticked
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + compare_path(quote.pk))
    page.get_by_role("link", name="Choose Alder Ink…").click()
    box = page.get_by_role("checkbox", name="Tell them politely that you chose another artist")
    expect(box).to_be_checked()  # ticked by default
    expect(page.get_by_role("group", name="The other artists you asked")).to_contain_text(
        "Birch Dots, Cedar SMP"
    )
    expect(page.get_by_text("Untick the box and we email them nothing now")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    assert mail.outbox == []
    if not ticked:
        box.uncheck()
    page.get_by_role("button", name="Yes, choose Alder Ink").click()
    notice = page.get_by_role("status").first
    expect(notice).to_contain_text("We have told Alder Ink you chose them")

    others = {quote.clinics[n].quote_email for n in ["Birch Dots", "Cedar SMP"]}
    told = [m.to[0] for m in mail.outbox if m.to[0] in others]
    if ticked:
        expect(notice).to_contain_text("We have also told the other 2 artists, politely")
        assert sorted(told) == sorted(others)  # each once
        assert all("chose another artist" in m.subject for m in mail.outbox if m.to[0] in others)
    else:
        expect(notice).not_to_contain_text("also told")
        assert told == []
    # Nobody is told the client is still waiting for their price.
    assert pipeline.send_reminders(now=timezone.now() + timedelta(hours=25)) == 0
    assert not QuoteDelivery.objects.filter(kind="reminder").exists()


def test_the_client_sees_their_own_message_and_photos_and_each_price_said_once(
    page, live_server, quote, axe_check
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + compare_path(quote.pk))
    expect(page.get_by_text(MESSAGE)).to_be_visible()
    for number in (1, 2):
        photo = page.get_by_role("img", name=f"Your photo {number}")
        photo.scroll_into_view_if_needed()
        expect(photo).to_be_visible()
        src = photo.get_attribute("src")
        assert src.startswith("/quote/photo/"), src  # a signed private link, not /media/
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
        )
        response = page.request.get(live_server.url + src)
        assert response.ok and "noindex" in response.headers["x-robots-tag"]
        assert "no-store" in response.headers["cache-control"]
    alder = page.get_by_role("row", name="Alder Ink")
    expect(alder).to_contain_text("£1,500, fixed")
    expect(alder).not_to_contain_text("A fixed price")
    expect(page.get_by_role("row", name="Birch Dots")).to_contain_text(
        "An estimate from the photos, confirmed at consultation"
    )
    axe_check(page)
    _no_sideways_scroll(page)


# An email in a frame as wide as a mail client's window, at each of `widths`: for each
# width, how many line boxes each place holding the reference spans. One call for all the
# widths (a frame's width is its document's viewport, media queries included), where a
# page's check resizes the browser's window for each.
SPLIT_REFERENCES_BY_WIDTH = (
    """([reference, widths]) => {
  const frame = document.querySelector("iframe");
  const split = """
    + SPLIT_REFERENCES.replace("document.", "frame.contentDocument.")
    + """;
  return widths.map((width) => {
    frame.style.width = `${width}px`;
    return [width, split(reference)];
  });
}"""
)


def _check_email_widths(page, html: str, reference: str, where: str) -> None:
    """The email's HTML as a mail client shows it, from a small phone to a tablet."""
    page.set_content(
        '<!doctype html><html><body style="margin:0">'
        '<iframe style="border:0;height:4000px"></iframe></body></html>'
    )
    with page.expect_event("framenavigated"):
        page.eval_on_selector("iframe", "(frame, html) => { frame.srcdoc = html; }", html)
    page.wait_for_function(
        "document.querySelector('iframe').contentDocument.readyState === 'complete'"
    )
    seen = False
    for width, spans in page.evaluate(SPLIT_REFERENCES_BY_WIDTH, [reference, list(WIDTHS)]):
        seen = seen or bool(spans)
        assert all(lines == 1 for lines in spans), f"{where}: {reference} wraps at {width}px"
    assert seen, f"{where}: the reference is not shown"


def _check_widths(page, reference: str, where: str) -> None:
    """From a small phone to a tablet, 2 px at a time: the reference is never split."""
    seen = False
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        spans = page.evaluate(SPLIT_REFERENCES, reference)
        seen = seen or bool(spans)
        assert all(lines == 1 for lines in spans), f"{where}: {reference} wraps at {width}px"
    assert seen, f"{where}: the reference is not shown"


def test_a_reference_never_wraps_at_its_hyphens_on_pages_or_in_emails(
    page, live_server, quote, client
):
    alder = quote.deliveries.get(kind="artist", clinic__name="Alder Ink")
    token = compare_path(quote.pk).split("/")[-2]
    reply = QuoteReply.objects.get(delivery=alder)
    pages = {
        "thanks page": thanks_path(quote.pk),
        "comparison page": compare_path(quote.pk),
        "choose step": reverse("quotes:decide-choose", args=[token, reply.pk]),
        "reply page": reply_path(alder.pk),
    }
    for where, path in pages.items():
        page.goto(live_server.url + path)
        _check_widths(page, quote.reference, where)

    # Every email about the request: the artists', the replies, the choice, the others told.
    pipeline.notify_reply_batches(now=timezone.now() + timedelta(minutes=16))
    quote.choose(reply, tell_others=True)
    QuoteDelivery.objects.create(
        quote=quote, kind="reminder", clinic=alder.clinic, to_email=alder.to_email
    )
    # A blank document, as a mail client gives: the site's pages forbid inline styles (CSP),
    # and content set into one of them would keep that rule.
    page.goto("about:blank")
    kinds = set()
    for delivery in quote.deliveries.all():
        _check_email_widths(
            page,
            compose(delivery).alternatives[0][0],
            quote.reference,
            f"the {delivery.kind} email",
        )
        kinds.add(delivery.kind)
    assert {"artist", "confirmation", "replies", "chosen", "chosen_client", "closed"} <= kinds
