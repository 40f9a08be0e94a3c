"""Search with a keyboard: the suggestions combobox (ARIA pattern, axe), and the search
form and city filters with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from places.gazetteer import load
from tests.factories import CityFactory, ClinicFactory, ServiceFactory
from tests.places.test_gazetteer import LEEDS, NEW_YORK, YORK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leeds():
    load(records=[LEEDS, YORK, NEW_YORK])
    city = CityFactory(name="Leeds", slug="leeds", latitude=53.8008, longitude=-1.5491)
    women = ServiceFactory(slug="womens-smp", name="Women's SMP")
    scars = ServiceFactory(slug="scar-camouflage", name="Scar camouflage")
    for n in range(4):
        clinic = ClinicFactory(city=city, name=f"Leeds Studio {n}")
        clinic.services.set([women] if n % 2 else [scars])
    return city


def test_the_combobox_works_with_the_keyboard_alone(page, live_server, leeds, axe_check):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="City or clinic name")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("lee")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible(timeout=10_000)
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Leeds")
    expect(page.locator("[data-suggest-status]")).to_contain_text("suggestion")
    axe_check(page)

    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", first_id)

    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scalp micropigmentation clinics in Leeds"
    )


def test_enter_without_a_chosen_suggestion_searches(page, live_server, leeds):
    page.goto(live_server.url + "/search/")
    box = page.get_by_role("combobox", name="City or clinic name")
    box.focus()
    page.keyboard.type("jorvik")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("jorvik")
    expect(page.get_by_text("No clinic in York, United Kingdom yet")).to_be_visible()


def test_search_and_filters_work_without_javascript(browser, live_server, leeds):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        box = page.get_by_label("City or clinic name")
        expect(box).not_to_have_attribute("role", "combobox")  # a plain search field
        box.fill("Leeds")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Leeds").first.click()
        expect(page.locator(".clinic-card")).to_have_count(4)

        page.get_by_label("Women's SMP (2)").check()
        page.get_by_label("Sort by").select_option("price")
        page.get_by_role("button", name="Show clinics").click()
        expect(page).to_have_url(re.compile(r"/leeds/\?service=womens-smp&.*sort=price"))
        expect(page.locator(".clinic-card")).to_have_count(2)
        expect(page.get_by_role("heading", name="2 clinics match your filters")).to_be_visible()
        page.get_by_role("link", name="Clear filters").click()
        expect(page.locator(".clinic-card")).to_have_count(4)
    finally:
        context.close()


def test_a_filtered_city_page_passes_axe(page, live_server, leeds, axe_check):
    page.goto(live_server.url + "/clinics/united-kingdom/leeds/?service=womens-smp&sort=price")
    expect(page.locator(".clinic-card")).to_have_count(2)
    axe_check(page)
