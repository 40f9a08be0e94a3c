"""An artist on a phone finds a class, filters, opens it and asks for a seat, with and
without JavaScript, in a real Chromium, with axe checking each page."""

import pytest
from playwright.sync_api import expect

from tests.training.factories import EventFactory, InstructorFactory, TrainingClassFactory, teach
from training.models import Enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.FORM_MIN_FILL_SECONDS = 1


@pytest.fixture
def classes():
    event = EventFactory(name="Northern Meeting 2030", venue_name="Hall One")
    colour = TrainingClassFactory(event=event, title="Scalp colour theory", topic="colour-theory")
    teach(colour, InstructorFactory(name="Imogen Hale", bio="A pigment chemist."))
    TrainingClassFactory(
        event=event, title="Hairlines that age well", topic="hairlines", level="foundation"
    )
    TrainingClassFactory(
        event=EventFactory(online_event=True, name="Online evening"),
        title="Pricing for new studios",
        topic="business",
    )
    return colour


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_artist_filters_opens_a_class_and_asks_for_a_seat_on_a_phone(
    browser, live_server, classes, axe_check, javascript
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/training/")
    if javascript:
        axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Training for SMP artists")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator(".class-card")).to_have_count(3)

    page.get_by_label("Topic").select_option(label="Colour theory")
    page.get_by_role("button", name="Show classes").click()
    expect(page.locator(".class-card")).to_have_count(1)
    expect(page.get_by_text("1 class matches your filters")).to_be_visible()
    assert "topic=colour-theory" in page.url

    page.get_by_role("link", name="Scalp colour theory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scalp colour theory")
    expect(page.get_by_text("Imogen Hale")).to_be_visible()
    if javascript:
        axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Ask for a seat").first.click()
    page.get_by_label("Your name").fill("Kim Artist")
    page.get_by_label("Your email address").fill("kim@artist.example")
    page.get_by_label("Your SMP experience").select_option(label="1 to 3 years")
    page.get_by_label("Message to the organiser").fill("Hoping to learn colour mixing.")
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Ask for a seat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your enquiry is on its way"
    )
    if javascript:
        axe_check(page)
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.training_class_id) == ("Kim Artist", classes.pk)
    assert enquiry.emails.count() == 2
    context.close()


def test_a_missing_field_is_shown_and_read_out_with_what_was_typed_kept(
    browser, live_server, classes, axe_check
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + classes.get_absolute_url())
    page.get_by_label("Your name").fill("Kim Artist")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Ask for a seat").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the fields marked below")
    expect(page.get_by_text("Please give your email address.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Kim Artist")
    axe_check(page)
    assert not Enquiry.objects.exists()
    context.close()
