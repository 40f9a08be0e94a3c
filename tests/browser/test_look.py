"""The site's look, checked as a visitor meets it: every main page (and an email) in light
and dark mode passes axe, none scrolls sideways at 320 px, none asks another site for
anything (fonts, icons and images all come from the site), and the gallery lightbox,
the photo picker and the approved mark work from the keyboard."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credentials.models import Credential
from outbox.compose import compose
from quotes.links import compare_path
from quotes.models import QuoteDelivery, QuoteReply
from tests.factories import (
    ArticleFactory,
    ArtistFactory,
    CityFactory,
    ClinicFactory,
    ClinicPhotoFactory,
    FaqEntryFactory,
)
from tests.quotes.support import make_quote, upload
from tests.reviews.support import published_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMES = ["light", "dark"]


@pytest.fixture
def site():
    """One of each page kind, with enough on it to exercise every component."""
    leeds = CityFactory(name="Leeds", slug="leeds", latitude=53.8, longitude=-1.55)
    clinics = [
        ClinicFactory(
            city=leeds, name=name, currency="GBP", price_from=1100, price_to=2300, listing=False
        )
        for name in ["Aire Scalp Studio", "Kirkstall Hairline Clinic", "Headingley SMP Lab"]
    ]
    for clinic in clinics:
        ArtistFactory(clinic=clinic)
        ClinicPhotoFactory(clinic=clinic, stage="healed", alt_text=f"Healed result at {clinic}")
    ClinicPhotoFactory(clinic=clinics[0], stage="before", alt_text="Crown before treatment")
    # The profile's trust components: a checked credential and a published review.
    today = timezone.localdate()
    Credential.objects.create(
        clinic=clinics[0],
        kind=Credential.Kind.INSURANCE,
        issuer="Sample Mutual",
        number="POL-123",
        issued_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=300),
        checked_on=today - timedelta(days=2),
    )
    published_review(clinics[0], rating=5)
    article = ArticleFactory(with_hero=True, hero_alt="Illustration of a dotted scalp")
    FaqEntryFactory.create_batch(3)
    quote = make_quote(leeds, photos=1)
    for clinic, price in zip(clinics, [(1200, 1600), (1500, 1500), None], strict=True):
        delivery = QuoteDelivery.objects.create(
            quote=quote, kind="artist", clinic=clinic, to_email="artist@clinic.example"
        )
        if price:
            QuoteReply.objects.create(
                delivery=delivery,
                currency="GBP",
                price_min=price[0],
                price_max=price[1],
                price_type="estimate",
                sessions=3,
                includes="Three sessions and a touch-up",
            )
    confirmation = QuoteDelivery.objects.create(
        quote=quote, kind="confirmation", to_email=quote.email
    )
    return {
        "home": "/",
        "city": leeds.get_absolute_url(),
        "clinic": clinics[0].get_absolute_url(),
        "quote form": "/quote/",
        "comparison": compare_path(quote.pk),
        "article": article.get_absolute_url(),
        "faq": "/faq/",
        "email": compose(confirmation).alternatives[0][0],
    }


def _hosts_asked(page, live_server) -> set[str]:
    """Start recording the host of every request the page makes."""
    hosts: set[str] = set()
    page.on(
        "request",
        lambda request: (
            hosts.add(urlsplit(request.url).netloc)
            if urlsplit(request.url).scheme in ("http", "https")
            else None
        ),
    )
    return hosts


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_passes_axe_fits_320px_and_asks_no_other_site(
    page, live_server, site, axe_check, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 720})
    hosts = _hosts_asked(page, live_server)
    for name, path in site.items():
        if name == "email":
            continue
        page.goto(live_server.url + path, wait_until="networkidle")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"the {name} page is {width}px wide at 320px ({scheme})"
        axe_check(page)
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        page.set_viewport_size({"width": 1280, "height": 800})  # the desktop layout too
        axe_check(page)
        page.set_viewport_size({"width": 320, "height": 720})
    site_host = urlsplit(live_server.url).netloc
    assert hosts == {site_host}, f"requests left the site: {hosts - {site_host}}"


def test_pages_load_the_sites_own_font_logo_and_icons(page, live_server, site):
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    page.goto(live_server.url + "/", wait_until="networkidle")
    assert fonts and all(url.startswith(live_server.url + "/static/fonts/") for url in fonts)
    assert page.evaluate("document.fonts.check('1em \"Atkinson Hyperlegible Next\"')")
    logo = page.locator(".site-header__mark")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", logo.element_handle())
    for rel in ("icon", "apple-touch-icon", "manifest"):
        href = page.locator(f"link[rel='{rel}']").first.get_attribute("href")
        assert page.request.get(live_server.url + href).ok, rel
    assert page.request.get(live_server.url + "/favicon.ico").ok  # follows the redirect


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_email_passes_axe_and_fits_a_phone_in_both_modes(page, site, axe_check, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 375, "height": 800})
    page.route("**/*", lambda route: route.abort())  # the logo's address is the site's
    page.set_content(site["email"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name="Open your comparison page")).to_be_visible()
    axe_check(page)


def test_the_gallery_lightbox_works_from_the_keyboard(page, live_server, site):
    page.goto(live_server.url + site["clinic"])
    first = page.locator("[data-gallery-item]").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Gallery")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    expect(dialog.get_by_role("img")).to_have_attribute("alt", "Healed result at Aire Scalp Studio")
    expect(dialog).to_contain_text("Picture 1 of 2")
    page.keyboard.press("ArrowRight")
    expect(dialog).to_contain_text("Picture 2 of 2")
    expect(dialog.get_by_role("img")).to_have_attribute("alt", "Crown before treatment")
    page.keyboard.press("Shift+Tab")  # the page behind a modal dialog is inert
    expect(dialog.get_by_role("button", name="Next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_contain_text("Picture 1 of 2")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(first).to_be_focused()


def test_without_javascript_a_gallery_link_still_opens_the_photo(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + site["clinic"])
    href = page.locator("[data-gallery-item]").first.get_attribute("href")
    page.locator("[data-gallery-item]").first.click()
    assert page.url == live_server.url + href
    context.close()


def test_the_photo_picker_is_a_labelled_keyboard_target_that_lists_what_was_chosen(
    page, live_server, site, tmp_path
):
    page.goto(live_server.url + site["quote form"])
    picker = page.get_by_label("Photos of your hair loss")
    expect(picker).to_have_attribute("type", "file")
    assert "1 to 5 photos" in page.evaluate(
        "(el) => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id)?.textContent || '').join(' ')",
        picker.element_handle(),
    )
    picker.focus()
    zone = page.locator("[data-photo-zone]")
    assert zone.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"
    files = []
    for name in ("crown.jpg", "hairline.jpg"):
        path = tmp_path / name
        path.write_bytes(upload(name).read())
        files.append(str(path))
    picker.set_input_files(files)
    expect(page.get_by_role("status").filter(has_text="photos chosen")).to_have_text(
        "2 photos chosen: crown.jpg, hairline.jpg"
    )
    expect(page.locator(".photo-previews__item")).to_have_count(2)


def test_the_approved_mark_explains_itself_on_hover_and_on_focus(page, live_server, site):
    page.goto(live_server.url + site["city"])
    mark = page.locator(".approved-mark").first
    tip = mark.locator("[role=tooltip]")
    expect(tip).to_be_hidden()
    mark.hover()
    expect(tip).to_be_visible()
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(mark).to_have_accessible_description(
        "Our staff checked this clinic’s work, details and services before listing it."
    )


def test_cards_show_a_cover_price_and_services_and_the_whole_card_is_the_link(
    page, live_server, site
):
    page.goto(live_server.url + site["city"])
    card = page.locator(".clinic-card").filter(has_text="Aire Scalp Studio")
    cover = card.locator(".clinic-card__cover")
    expect(cover).to_have_attribute("loading", "lazy")
    assert cover.get_attribute("width") and cover.get_attribute("height")
    expect(card.locator(".clinic-card__price")).to_have_text("Typical price: £1,100–£2,300")
    card.scroll_into_view_if_needed()  # below the filters on a narrow screen
    box = card.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + 20)  # on the cover, away from the title
    expect(page.get_by_role("heading", level=1)).to_have_text("Aire Scalp Studio")
