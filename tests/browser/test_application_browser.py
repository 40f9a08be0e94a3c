"""A clinic applies to be listed from a phone, in a real Chromium, with no help from JavaScript."""

import pytest
from playwright.sync_api import expect

from applications.models import ClinicApplication
from clinics.models import Clinic
from tests import images
from tests.factories import CityFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _application_settings(settings):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "0"
    settings.FORM_MIN_FILL_SECONDS = 1


@pytest.fixture
def photos(tmp_path):
    hairline = tmp_path / "hairline.jpg"
    hairline.write_bytes(images.jpeg(size=(1200, 900)))
    crown = tmp_path / "crown.png"
    crown.write_bytes(images.png(size=(900, 700)))
    return [hairline, crown]


def test_a_clinic_applies_on_a_phone_and_lands_on_the_thanks_page(
    page, live_server, photos, axe_check
):
    CityFactory(name="Leeds", slug="leeds")
    ServiceFactory(name="Scar camouflage", slug="scar-camouflage")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="List your clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("List your clinic")
    axe_check(page)

    page.get_by_label("Clinic name").fill("Kirkstall Scalp Studio")
    page.get_by_label("City", exact=True).select_option(label="Leeds")
    page.get_by_label("Street address").fill("1 Abbey Road, Leeds")
    page.get_by_label("Clinic phone").fill("0113 496 0000")
    page.get_by_label("Scar camouflage").check()
    page.get_by_label("Full treatment price from").fill("1200")
    page.get_by_label("Full treatment price to").fill("2000")
    page.get_by_label("About your clinic").fill("Natural hairlines for men and women.")
    page.get_by_label("Portfolio photos").set_input_files(photos)
    page.get_by_label("Describe the photos in a few words").fill("Hairline after three sessions")
    page.get_by_label("Artist 1: name").fill("Kim Owner")
    page.get_by_label("Artist 1: short bio").fill("Ten years of hairlines.")
    page.get_by_label("Months between the last session and the photos").fill("8")
    page.get_by_label("Each client shown in these photos agreed").check()
    page.get_by_label("Your name").fill("Kim Owner")
    page.get_by_label("Your email address").fill("kim@kirkstall.example")
    page.get_by_label("Email for quote requests").fill("quotes@kirkstall.example")
    page.get_by_label("I agree to the listing terms").check()
    page.wait_for_timeout(1000)  # the minimum fill time
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you for your application", timeout=20000
    )
    axe_check(page)
    application = ClinicApplication.objects.select_related("clinic").get()
    assert application.clinic.status == Clinic.Status.PENDING
    assert application.uploads.count() == 2 and application.clinic.artists.count() == 1


def test_a_refused_photo_is_explained_on_the_page(page, live_server, tmp_path, axe_check):
    CityFactory(name="Leeds", slug="leeds")
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(images.gif())
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/list-your-clinic/")
    page.get_by_label("Portfolio photos").set_input_files([fake])
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("“fake.jpg” is not really a JPG, PNG or HEIC image.")).to_be_visible()
    axe_check(page)
    assert not Clinic.objects.exists()
