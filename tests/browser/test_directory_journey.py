"""A visitor finds a clinic: home, search, city, profile; each page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArtistFactory, CityFactory, ClinicFactory, ClinicPhotoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def munich_clinic():
    munich = CityFactory(
        name="München",
        slug="munchen",
        country="DE",
        region="Bayern",
        latitude=48.1351,
        longitude=11.582,
    )
    clinic = ClinicFactory(city=munich, name="Isar Hairline Studio", currency="EUR")
    ArtistFactory(clinic=clinic, name="Lena Vogel")
    ClinicPhotoFactory(clinic=clinic, alt_text="Crown after three sessions")
    ClinicFactory.create_batch(3, city=munich)
    return clinic


def test_a_visitor_searches_and_reaches_a_clinic_profile(
    page, live_server, munich_clinic, axe_check
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("scalp micropigmentation")
    axe_check(page)

    page.get_by_label("City or clinic name").fill("munchen")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("munchen")
    axe_check(page)

    page.get_by_role("link", name="München").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scalp micropigmentation clinics in München"
    )
    expect(page.locator(".clinic-card")).to_have_count(4)
    axe_check(page)

    page.get_by_role("link", name="Isar Hairline Studio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Isar Hairline Studio")
    expect(page.get_by_text("Lena Vogel")).to_be_visible()
    expect(page.get_by_role("img", name="Crown after three sessions")).to_be_visible()
    axe_check(page)


def test_near_me_asks_for_the_location_on_click_and_sorts_by_distance(
    page, live_server, munich_clinic, axe_check
):
    context = page.context
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 48.14, "longitude": 11.58})
    page.goto(live_server.url + "/near-me/")
    axe_check(page)
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinics near your location")
    expect(page.locator(".clinic-card")).to_have_count(4)
    expect(page.locator(".clinic-card__distance").first).to_contain_text("km away")


def test_a_phone_sized_screen_keeps_the_page_usable(page, live_server, munich_clinic, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + munich_clinic.get_absolute_url())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the profile scrolls sideways on a phone"
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    axe_check(page)
