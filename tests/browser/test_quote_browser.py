"""A client asks for a quote in a real Chromium: previews, progress, thanks page, refusals."""

import pytest
from playwright.sync_api import expect

from quotes.models import QuoteRequest
from tests import images
from tests.factories import CityFactory, ClinicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.FORM_MIN_FILL_SECONDS = 1


@pytest.fixture
def clinic():
    city = CityFactory(name="Leeds", slug="leeds")
    ClinicFactory(city=city, name="Second Leeds Studio")
    return ClinicFactory(city=city, name="Aire Scalp Studio", quote_email="aire@clinics.example")


@pytest.fixture
def photos(tmp_path):
    crown = tmp_path / "crown.jpg"
    crown.write_bytes(images.padded(images.jpeg(size=(1200, 900)), 600_000))
    side = tmp_path / "side.png"
    side.write_bytes(images.png(size=(900, 700)))
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    heic = tmp_path / "IMG_0042.HEIC"
    heic.write_bytes(images.heic())
    gif = tmp_path / "party.gif"
    gif.write_bytes(images.gif())
    return {"crown": crown, "side": side, "text": text, "heic": heic, "gif": gif}


def _fill(page):
    page.get_by_label("Your name").fill("Sam Client")
    page.get_by_label("Your email address").fill("sam@client.example")
    page.get_by_label("Anything the artist should know").fill("Thin crown, want a soft hairline.")
    page.get_by_label("I agree that my details").check()


def test_a_client_sends_two_photos_and_lands_on_the_thanks_page(
    page, live_server, clinic, photos, axe_check
):
    page.goto(live_server.url + clinic.get_absolute_url())
    axe_check(page)
    _fill(page)
    page.get_by_label(f"Only {clinic.name}").check()
    page.get_by_label("Photos of your hair loss").set_input_files([photos["crown"], photos["side"]])
    previews = page.locator(".photo-previews__item img")
    expect(previews).to_have_count(2)
    expect(previews.first).to_have_attribute("alt", "Preview of crown.jpg")

    # A slow phone connection, so the progress bar has time to show.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 250_000},
    )
    page.wait_for_timeout(1000)  # the minimum fill time
    page.get_by_role("button", name="Send my request").click()
    progress = page.locator("[data-quote-progress]")
    expect(progress).to_be_visible()
    expect(page.locator("#quote-progress")).not_to_have_attribute("value", "0", timeout=20000)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request is on its way", timeout=20000
    )
    quote = QuoteRequest.objects.get()
    assert quote.reference in page.content()
    assert (quote.mode, quote.clinic_id, quote.photos.count()) == ("single", clinic.pk, 2)
    axe_check(page)


def test_a_refused_file_shows_its_message_and_keeps_what_was_typed(
    page, live_server, clinic, photos
):
    page.goto(live_server.url + clinic.get_absolute_url())
    _fill(page)
    field = page.get_by_label("Photos of your hair loss")
    field.set_input_files([photos["crown"], photos["gif"]])
    errors = page.locator("[data-quote-photo-errors]")
    expect(errors).to_contain_text("“party.gif” is not a photo we can use.")
    page.get_by_role("button", name="Send my request").click()
    expect(errors).to_contain_text("party.gif")
    assert QuoteRequest.objects.count() == 0
    expect(page.get_by_label("Your name")).to_have_value("Sam Client")


def test_the_server_refusal_reads_the_same_and_keeps_the_fields_without_javascript(
    browser, live_server, clinic, photos
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + clinic.get_absolute_url())
    _fill(page)
    page.get_by_label("Photos of your hair loss").set_input_files([photos["text"]])
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".field-error").first).to_contain_text(
        "“notes.txt” is not a photo we can use."
    )
    expect(page.get_by_label("Your name")).to_have_value("Sam Client")
    expect(page.get_by_label("Anything the artist should know")).to_have_value(
        "Thin crown, want a soft hairline."
    )
    assert QuoteRequest.objects.count() == 0
    context.close()


def test_an_iphone_photo_is_accepted_with_a_caption_instead_of_a_preview(
    page, live_server, clinic, photos
):
    page.goto(live_server.url + clinic.get_absolute_url())
    _fill(page)
    page.get_by_label("Photos of your hair loss").set_input_files([photos["heic"]])
    expect(page.locator(".photo-previews__item")).to_contain_text("IMG_0042.HEIC")
    expect(page.locator(".photo-previews__item img")).to_have_count(0)
    expect(page.locator("[data-quote-photo-errors] li")).to_have_count(0)
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your request is on its way", timeout=20000
    )
    assert QuoteRequest.objects.get().photos.count() == 1
