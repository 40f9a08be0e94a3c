"""Every public form, as a person fills it in a real Chromium: every field they can see is
filled in, the form is sent, and what they sent is stored.

The spam trap (templates/includes/spam_fields.html) must be out of a person's reach: not
on screen, not read out by a screen reader, not in the tab order, rendered once. A person
who filled in something they could see, and then got a "thank you" for a message that was
dropped as spam, would be lied to: these tests fill in whatever a person could.
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from applications.models import ClinicApplication
from pages.models import ContactMessage
from quotes.models import QuoteRequest
from reviews.links import write_path
from reviews.models import Review
from tests import images
from tests.factories import CityFactory, ClinicFactory, ServiceFactory
from tests.reviews.support import invited
from tests.training.factories import TrainingClassFactory
from training.models import Enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
TRAP_LABEL = re.compile("Leave this field empty")

# What a person types, by field name; other fields get a value that suits their type.
TYPED = {
    "name": "Kim Lee",
    "contact_name": "Kim Lee",
    "display_name": "Kim L.",
    "email": "kim@people.example",
    "contact_email": "kim@people.example",
    "quote_email": "quotes@studio.example",
    "reference": "Q-AB2CD-EF3GH",
    "clinic_name": "Kirkstall Scalp Studio",
    "clinic_website": "https://studio.example",
    "instagram": "kirkstallsmp",
    "price_from": "1200",
    "price_to": "2000",
    "established_year": "2015",
    "other_city": "Harrogate",
    "opening_hours": "Mo-Fr 10:00-18:00; Sa 10:00-14:00",
}
LONG_TEXT = "A natural hairline and a softer crown, explained clearly at every session."

# True when a person could see and reach the element: on screen (not pushed off it),
# not hidden from screen readers, enabled and not taken out of the tab order. A photo
# picker's file input is see-through on purpose: it covers the drop zone people see; so
# is each star of a review's rating, over the number people see.
_REACHABLE = """el => {
  if (el.disabled || el.closest('[aria-hidden="true"]') || el.tabIndex < 0) return false;
  const opacity = el.type !== "file" && !el.closest(".star-field__option");
  if (!el.checkVisibility({visibilityProperty: true, opacityProperty: opacity})) return false;
  const box = el.getBoundingClientRect();
  return box.width > 1 && box.height > 1 && box.right > 0 && box.bottom > 0;
}"""


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.FORM_MIN_FILL_SECONDS = 0  # a person may be quick; no wait in the test


@pytest.fixture
def photo_files(tmp_path):
    jpeg = tmp_path / "crown.jpg"
    jpeg.write_bytes(images.jpeg(size=(1200, 900)))
    png = tmp_path / "side.png"
    png.write_bytes(images.png(size=(900, 700)))
    return [jpeg, png]


def _fill_everything_a_person_can(form: Locator, photo_files) -> list[str]:
    """Fill in every field of `form` a person can see and reach; the names filled in."""
    filled, radios_done = [], set()
    for field in form.locator("input, textarea, select").all():
        if not field.evaluate(_REACHABLE):
            continue
        name = field.get_attribute("name") or ""
        tag = field.evaluate("el => el.tagName.toLowerCase()")
        kind = (field.get_attribute("type") or "text").lower()
        if tag == "select":
            values = [
                value
                for value in field.locator("option").evaluate_all("os => os.map(o => o.value)")
                if value
            ]
            field.select_option(values[0])
        elif kind == "file":
            field.set_input_files(photo_files)
        elif kind == "checkbox":
            field.check()
        elif kind == "radio":
            if name in radios_done:
                continue
            radios_done.add(name)
            # The best choice of a rating, the first otherwise.
            field.check()
        elif tag == "textarea":
            field.fill(LONG_TEXT)
        elif kind == "email":
            field.fill(TYPED.get(name, f"{name}@people.example"))
        elif kind == "tel":
            field.fill("0113 496 0000")
        elif kind == "number":
            field.fill(TYPED.get(name, "3"))
        elif kind == "url":
            field.fill(TYPED.get(name, "https://studio.example"))
        else:
            field.fill(TYPED.get(name, "Kim Lee"))
        filled.append(name)
    return filled


def _check_the_trap_is_out_of_reach(page: Page, form: Locator) -> None:
    """Rendered once, not visible, not read out, not reachable with the keyboard."""
    traps = form.locator('[name="leave_blank"]')
    expect(traps).to_have_count(1)
    assert not traps.evaluate(_REACHABLE)
    expect(form.get_by_role("textbox", name=TRAP_LABEL)).to_have_count(0)
    duplicates = page.evaluate(
        """() => {
          const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
          return ids.filter((id, i) => ids.indexOf(id) !== i);
        }"""
    )
    assert duplicates == []


def _send(
    page: Page, url: str, button: str, photo_files, before: Callable[[Locator], None] | None = None
) -> list[str]:
    page.set_viewport_size(PHONE)
    page.goto(url)
    form = page.locator("form", has=page.get_by_role("button", name=button))
    _check_the_trap_is_out_of_reach(page, form)
    if before:
        before(form)
    filled = _fill_everything_a_person_can(form, photo_files)
    form.get_by_role("button", name=button).click()
    return filled


def _expect_thanks(page: Page, heading: str) -> None:
    """The thanks page's heading; if the form came back instead, its messages say why."""
    try:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading, timeout=20000)
    except AssertionError:
        errors = page.locator(".form-errors, .field-error").all_inner_texts()
        raise AssertionError(f"not sent: {errors}") from None


def test_the_contact_form_filled_in_full_is_stored(page, live_server, photo_files):
    filled = _send(page, live_server.url + "/contact/", "Send my message", photo_files)
    assert {"name", "email", "reference", "message"} <= set(filled)
    _expect_thanks(page, "Thank you")
    message = ContactMessage.objects.get()
    assert (message.name, message.reference) == ("Kim Lee", "Q-AB2CD-EF3GH")


def test_the_training_enquiry_filled_in_full_is_stored(page, live_server, photo_files):
    training_class = TrainingClassFactory(title="Scalp colour theory")
    filled = _send(
        page, live_server.url + training_class.get_absolute_url(), "Ask for a seat", photo_files
    )
    assert {"name", "email", "clinic_name", "experience", "message"} <= set(filled)
    _expect_thanks(page, "Thank you, your enquiry is on its way")
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.training_class_id) == ("Kim Lee", training_class.pk)
    assert enquiry.emails.count() == 2


def test_the_quote_form_on_a_profile_filled_in_full_is_stored(page, live_server, photo_files):
    clinic = ClinicFactory(name="Aire Scalp Studio", city=CityFactory(name="Leeds", slug="leeds"))
    filled = _send(
        page, live_server.url + clinic.get_absolute_url(), "Send my request", photo_files
    )
    assert {"name", "email", "phone", "message", "photos", "consent"} <= set(filled)
    _expect_thanks(page, "Thank you, your request is on its way")
    quote = QuoteRequest.objects.get()
    assert (quote.name, quote.clinic_id, quote.photos.count()) == ("Kim Lee", clinic.pk, 2)
    assert quote.status != QuoteRequest.Status.SPAM


def test_the_city_quote_form_filled_in_full_is_stored(page, live_server, photo_files):
    city = CityFactory(name="Leeds", slug="leeds")
    ClinicFactory(name="Aire Scalp Studio", city=city)
    filled = _send(page, live_server.url + "/quote/", "Send my request", photo_files)
    assert {"name", "email", "city", "message", "photos", "consent"} <= set(filled)
    _expect_thanks(page, "Thank you, your request is on its way")
    quote = QuoteRequest.objects.get()
    assert (quote.name, quote.city_id, quote.mode) == ("Kim Lee", city.pk, "city")


def test_the_clinic_application_filled_in_full_is_stored(page, live_server, photo_files):
    CityFactory(name="Leeds", slug="leeds")
    ServiceFactory(name="Scar camouflage", slug="scar-camouflage")
    filled = _send(page, live_server.url + "/list-your-clinic/", "Send my application", photo_files)
    assert {"name", "city", "contact_email", "quote_email", "photos", "consent"} <= set(filled)
    _expect_thanks(page, "Thank you for your application")
    application = ClinicApplication.objects.select_related("clinic").get()
    assert (application.contact_name, application.uploads.count()) == ("Kim Lee", 2)
    assert application.clinic.artists.count() == 3  # every artist's name and bio filled in


def test_a_review_filled_in_full_is_stored(page, live_server, photo_files):
    clinic = ClinicFactory(name="Aire Scalp Studio")
    filled = _send(
        page, live_server.url + write_path(invited(clinic).pk), "Send my review", photo_files
    )
    assert {"text", "photos"} <= set(filled)
    _expect_thanks(page, "Your review of Aire Scalp Studio")
    review = Review.objects.get()
    assert (review.clinic_id, review.status) == (clinic.pk, "pending")
