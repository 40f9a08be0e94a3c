"""A new clinic goes public only with an artist and a published photo: an applicant
applies in Chromium with one artist and one real photo, staff approve it on the
application's page without publishing the photo (the city page does not show the clinic),
then publish the photo (it does)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import ClinicApplication
from clinics.models import Clinic
from tests import images
from tests.factories import CityFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long staff password 42"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "0"
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.ADMIN_2FA_REQUIRED = False  # signing in with a code is tested elsewhere


def _apply(page, live_server, photo) -> None:
    page.goto(live_server.url + reverse("applications:apply"))
    page.get_by_label("Clinic name").fill("Kirkstall Scalp Studio")
    page.get_by_label("City", exact=True).select_option(label="Leeds")
    page.get_by_label("Street address").fill("1 Abbey Road, Leeds")
    page.get_by_label("Scar camouflage").check()
    page.get_by_label("About your clinic").fill("Natural hairlines for men and women.")
    page.get_by_label("Artist 1: name").fill("Kim Owner")
    page.get_by_label("Artist 1: short bio").fill("Ten years of hairlines and scar camouflage.")
    page.get_by_label("Portfolio photos").set_input_files([photo])
    page.get_by_label("Describe the photos in a few words").fill("Hairline, healed")
    page.get_by_label("Months between the last session and the photos").fill("8")
    page.get_by_label("Each client shown in these photos agreed").check()
    page.get_by_label("Your name").fill("Kim Owner")
    page.get_by_label("Your email address").fill("kim@kirkstall.example")
    page.get_by_label("Email for quote requests").fill("quotes@kirkstall.example")
    page.get_by_label("I agree to the listing terms").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you for your application", timeout=20000
    )


def _sign_in(staff, live_server) -> None:
    get_user_model().objects.create_superuser("staff", "staff@smp.example", PASSWORD)
    staff.goto(live_server.url + reverse("admin:login"))
    staff.get_by_label("Username").fill("staff")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    expect(staff.get_by_role("heading", name="Site administration")).to_be_visible()


def _city_page_lists_it(visitor, city_url: str) -> bool:
    visitor.goto(city_url)
    return visitor.get_by_role("link", name="Kirkstall Scalp Studio").count() > 0


def test_an_approved_clinic_appears_on_its_city_page_once_its_photo_is_public(
    page, browser, live_server, tmp_path
):
    leeds = CityFactory(name="Leeds", slug="leeds")
    ServiceFactory(name="Scar camouflage", slug="scar-camouflage")
    photo = tmp_path / "healed.jpg"
    photo.write_bytes(images.photo_jpeg(21, size=(1200, 900)))
    city_url = live_server.url + leeds.get_absolute_url()

    _apply(page, live_server, photo)
    application = ClinicApplication.objects.get()
    assert not _city_page_lists_it(page, city_url)

    staff = browser.new_context().new_page()
    _sign_in(staff, live_server)
    staff.goto(
        live_server.url
        + reverse("admin:applications_clinicapplication_change", args=[application.pk])
    )
    expect(staff.get_by_text("Kim Owner, healed 8 months")).to_be_visible()
    expect(staff.get_by_text("No match among the site's photos")).to_be_visible()
    publish = staff.get_by_label("Publish", exact=True)
    expect(publish).to_be_checked()  # consent confirmed, no possible copy
    publish.uncheck()  # not yet: staff approve the clinic first
    staff.get_by_role(
        "button", name="Approve, publish the ticked photos and list the clinic"
    ).click()
    expect(staff.get_by_text("Approved but not listed yet: Kirkstall Scalp Studio")).to_be_visible()
    clinic = Clinic.objects.get()
    assert clinic.status == Clinic.Status.APPROVED
    assert not _city_page_lists_it(page, city_url)  # approved, but no public photo

    staff.goto(live_server.url + reverse("admin:clinics_clinicphoto_changelist"))
    staff.get_by_role("checkbox", name="Kirkstall Scalp Studio").check()
    staff.locator("select[name=action]").select_option(
        label="Confirm the client's consent and publish the selected photos"
    )
    staff.get_by_role("button", name="Go").click()
    expect(staff.get_by_text("Published 1 photo.")).to_be_visible()

    assert _city_page_lists_it(page, city_url)
    page.get_by_role("link", name="Kirkstall Scalp Studio").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirkstall Scalp Studio")
    expect(page.get_by_text("Kim Owner").first).to_be_visible()
