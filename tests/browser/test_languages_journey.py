"""Issue 28, done when: the whole client journey in German, Spanish and French on a phone,
in Chromium: home, search, city, profile, the quote with a photo, the confirmation email,
the comparison page, choosing, the review invitation and the review. Every page passes axe,
and no page or email of it shows an interface sentence left in English.

The words the test looks for are the catalogue's own (gettext in the page's language), so
the test reads each page as its reader would, whatever the translation says.
"""

import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from quotes.models import QuoteReply, QuoteRequest
from reviews.invites import send_review_invites
from reviews.models import Review
from tests import images
from tests.factories import ArtistFactory, CityFactory, ClinicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["de", "es", "fr"]
CLIENT_EMAIL = "lea@client.example"
# Interface sentences shorter than this many words could also be a name or a clinic's own
# words (sample descriptions are English): the check reads sentences, not single words.
MIN_WORDS = 3
CONSENT = (
    "I agree that my details and photos are sent to the artists I chose, "
    "only so they can reply with a quote."
)
OWN_EXPERIENCE = "This is my own experience as a client, and I have no other link to the clinic."


def _(language: str, message: str, context: str | None = None, **values) -> str:
    with translation.override(language):
        text = pgettext(context, message) if context else gettext(message)
    return text % values if values else text


@cache
def english_sentences(language: str) -> tuple[str, ...]:
    """Every English interface sentence the language's catalogue translates differently: if
    one shows on a page or in an email in that language, it was left in English."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalogue = read_po(po)
    sentences = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            # The text around placeholders and tags, each part a sentence of its own.
            for part in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{\{.*?\}\}", msgid):
                part = part.strip(" .,:;()·–-\n")
                if len(part.split()) >= MIN_WORDS and all(part not in s for s in strings):
                    sentences.add(part)
    return tuple(sorted(sentences, key=len, reverse=True))


def assert_no_english(text: str, language: str, where: str) -> None:
    left = [sentence for sentence in english_sentences(language) if sentence in text]
    assert not left, f"{where} ({language}) shows English: {left[:5]}"


def check_page(page, language: str, axe_check, where: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_english(page.locator("body").inner_text(), language, where)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{where} scrolls"
    axe_check(page)


@pytest.fixture
def munich():
    city = CityFactory(
        name="München", slug="munchen", country="DE", latitude=48.1351, longitude=11.582
    )
    clinics = [
        ClinicFactory(city=city, name=name, currency="EUR", quote_email=f"{slug}@clinics.example")
        for name, slug in [("Isar Hairline", "isar"), ("Au Dots", "au"), ("Giesing SMP", "giesing")]
    ]
    ArtistFactory(clinic=clinics[0], name="Lena Vogel")
    return clinics


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "krone.jpg"
    path.write_bytes(images.photo_jpeg(7))
    return path


def _emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _email_text(message) -> str:
    return f"{message.subject}\n{message.body}"


def _link(message, language: str, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/{language}{re.escape(path)}[^\s\"<]*)", message.body)
    assert match, f"no /{language}{path} link in: {message.body}"
    return match.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_whole_client_journey_in_the_visitors_language(
    page, live_server, settings, munich, photo, axe_check, language
):
    settings.FORM_MIN_FILL_SECONDS = 0  # a person takes seconds; the test need not wait
    isar = munich[0]
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(f"{live_server.url}/{language}/")
    check_page(page, language, axe_check, "home")

    page.get_by_label(_(language, "City or clinic name")).fill("München")
    page.get_by_role("button", name=_(language, "Search"), exact=True).click()
    check_page(page, language, axe_check, "search")

    page.get_by_role("link", name="München").first.click()
    expect(page.locator(".clinic-card")).to_have_count(3)
    check_page(page, language, axe_check, "city")

    page.get_by_role("link", name="Isar Hairline").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Isar Hairline")
    assert page.url.startswith(f"{live_server.url}/{language}/")
    check_page(page, language, axe_check, "profile")

    # The quote, from the profile: every artist in the city, with a photo.
    page.get_by_label(_(language, "Your name")).fill("Lea Client")
    page.get_by_label(_(language, "Your email address")).fill(CLIENT_EMAIL)
    page.get_by_label(_(language, "Every approved artist in %(city)s", city="München")).check()
    page.get_by_label(_(language, "Photos of your hair loss")).set_input_files([photo])
    page.get_by_label(_(language, CONSENT)).check()
    page.get_by_role("button", name=_(language, "Send my request")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _(language, "Thank you, your request is on its way"), timeout=20000
    )
    check_page(page, language, axe_check, "thanks")

    quote = QuoteRequest.objects.get()
    assert quote.language == language and quote.photos.count() == 1
    [confirmation] = _emails_to(CLIENT_EMAIL)
    assert_no_english(_email_text(confirmation), language, "the confirmation email")
    for clinic in munich:  # each artist in its own language: English by default
        [request] = _emails_to(clinic.quote_email)
        assert f"/{language}/" not in request.body

    # Two artists answer; the client opens the comparison page from the email.
    for clinic, price in [(munich[0], 1400), (munich[1], 1900)]:
        delivery = quote.deliveries.get(kind="artist", clinic=clinic)
        QuoteReply.objects.save_answer(
            delivery,
            {
                "declined": False,
                "price_min": price,
                "price_max": price,
                "price_type": "fixed",
                "includes": "",
                "message": "",
            },
            changed_by="the artist's reply link",
        )
    page.goto(live_server.url + _link(confirmation, language, "/quote/compare/"))
    check_page(page, language, axe_check, "comparison")

    choose = _(language, "Choose %(clinic)s…", clinic="Isar Hairline")
    page.get_by_role("link", name=choose).click()
    check_page(page, language, axe_check, "choose step")
    page.get_by_role(
        "button", name=_(language, "Yes, choose %(clinic)s", clinic="Isar Hairline")
    ).click()
    expect(page.get_by_role("status").first).to_be_visible()
    check_page(page, language, axe_check, "chosen")
    quote.refresh_from_db()
    assert quote.deliveries.get(kind="artist", clinic=isar).reply.chosen_at is not None

    # Months later: the invitation to review, in the request's language, and the review.
    mail.outbox.clear()
    send_review_invites(now=timezone.now() + timedelta(days=90))
    [invitation] = _emails_to(CLIENT_EMAIL)
    assert_no_english(_email_text(invitation), language, "the review invitation")
    page.goto(live_server.url + _link(invitation, language, "/reviews/"))
    check_page(page, language, axe_check, "review form")
    for group, choice in [
        ("Overall", "4 stars: good"),
        ("The result", "5 stars: excellent"),
        ("Communication", "4 stars: good"),
        ("Value for money", "3 stars: all right"),
    ]:
        page.get_by_role("group", name=_(language, group)).get_by_label(_(language, choice)).check()
    page.get_by_label(_(language, "Yes, it matched the quote")).check()
    page.get_by_label(_(language, "Your review"), exact=True).fill(
        "Natürliche Haarlinie, und die Künstlerin hat sich Zeit für jede Sitzung genommen."
    )
    page.get_by_label(_(language, OWN_EXPERIENCE)).check()
    page.get_by_role("button", name=_(language, "Send my review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _(language, "Your review of %(name)s", name="Isar Hairline")
    )
    check_page(page, language, axe_check, "review sent")
    assert Review.objects.get().status == "pending"
