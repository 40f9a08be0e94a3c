"""What a visitor on a 390 px phone meets (issue 25, item 14): the city page's first clinic on
the first screen with the filters folded behind a "Filters" button that works without
JavaScript, the header's links on one line, the home search's placeholder whole, one row per
rating question, whole opening-hours ranges, a city sentence that says what it counts, no
filter that can only show nothing, and city names whole in search tiles. Measured with
bounding boxes, not pixels."""

import pytest
from playwright.sync_api import expect

from clinics.models import Language
from reviews.links import write_path
from tests.factories import ArtistFactory, CityFactory, ClinicFactory, ServiceFactory
from tests.reviews.support import invited
from tests.training.factories import EventFactory, TrainingClassFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A phone-sized page with JavaScript off: everything here must work without it."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def leeds():
    """A city whose filters are as long as a busy city's: many services and languages."""
    city = CityFactory(name="Leeds", slug="leeds", latitude=53.8, longitude=-1.55)
    services = [
        ServiceFactory(slug=slug, name=name)
        for slug, name in [
            ("mens-smp", "Men's SMP (shaved look)"),
            ("hairline", "Hairline design"),
            ("density", "Density for longer hair"),
            ("womens-smp", "Women's SMP"),
            ("scar-camouflage", "Scar camouflage"),
            ("alopecia", "Alopecia coverage"),
            ("touch-up", "Touch-ups and refresh"),
        ]
    ]
    languages = [
        Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("en", "English"), ("pl", "Polish"), ("ur", "Urdu"), ("pa", "Punjabi")]
    ]
    for n, (price, online) in enumerate([(900, True), (1300, False), (1700, False), (2100, True)]):
        clinic = ClinicFactory(
            city=city,
            name=f"Aire Studio {n}",
            price_from=price,
            price_to=price + 900,
            consults_online=online,
        )
        clinic.services.set(services[n : n + 4])
        clinic.languages.set(languages[: n + 1])
        ArtistFactory(clinic=clinic)
    return city


def _lines(page, selector: str) -> list[tuple[str, int]]:
    """Each matching element's text and the number of lines it takes."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((el) => {
            const tops = new Set([...el.getClientRects()].map((r) => Math.round(r.top)));
            const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
            const lines = Math.round(el.getBoundingClientRect().height / lineHeight);
            return [el.textContent.trim(), Math.max(tops.size, lines)];
        })""",
        selector,
    )


def test_the_city_page_shows_its_first_clinic_on_the_first_screen_and_filters_without_js(
    phone, live_server, leeds
):
    phone.goto(live_server.url + leeds.get_absolute_url())
    first_card = phone.locator(".clinic-card").first
    assert first_card.bounding_box()["y"] < PHONE["height"], "the first clinic is below the fold"
    toggle = phone.locator("summary", has_text="Filters")
    expect(toggle).to_be_visible()
    expect(phone.get_by_label("Polish")).to_be_hidden()

    toggle.click()
    expect(phone.get_by_label("Polish")).to_be_visible()
    phone.get_by_label("Polish").check()
    phone.get_by_role("button", name="Show clinics").click()

    assert "language=pl" in phone.url
    expect(phone.get_by_role("heading", name="3 clinics match your filters")).to_be_visible()
    # Open when a filter is applied, so the visitor sees what is.
    expect(phone.get_by_label("Polish")).to_be_visible()
    expect(phone.get_by_label("Polish")).to_be_checked()


def test_the_city_page_with_filters_folded_or_open_passes_axe_and_fits(
    page, live_server, leeds, axe_check
):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(live_server.url + leeds.get_absolute_url())
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Beside the list on a wide screen, the filters show without a click.
    expect(page.get_by_label("Polish")).to_be_visible()
    page.goto(live_server.url + leeds.get_absolute_url() + "?language=pl")
    page.set_viewport_size(PHONE)
    expect(page.get_by_label("Polish")).to_be_visible()
    axe_check(page)


def test_the_city_sentence_counts_the_citys_clinics_in_the_city(phone, live_server):
    berlin = CityFactory(name="Berlin", slug="berlin", country="DE", region="Berlin")
    munich = CityFactory(name="München", slug="munchen", country="DE", region="Bayern")
    ClinicFactory.create_batch(2, city=berlin, currency="EUR")
    ClinicFactory.create_batch(3, city=munich, currency="EUR")
    phone.goto(live_server.url + berlin.get_absolute_url())
    expect(phone.get_by_text("2 approved clinics in Berlin, Germany.")).to_be_visible()
    phone.goto(live_server.url + munich.get_absolute_url())
    expect(phone.get_by_text("3 approved clinics in München, Bavaria, Germany.")).to_be_visible()


@pytest.mark.parametrize("width", [320, 390])
def test_the_phone_header_keeps_every_link_on_one_line(phone, live_server, width):
    phone.set_viewport_size({"width": width, "height": 700})
    phone.goto(live_server.url + "/")
    # Measured in the site's own font: on a busy machine the page can be loaded before it.
    phone.evaluate("document.fonts.ready.then(() => true)")
    tops = phone.evaluate(
        "[...document.querySelectorAll('.site-nav__list a')]"
        ".map((a) => [a.textContent.trim(), Math.round(a.getBoundingClientRect().top)])"
    )
    assert [name for name, _ in tops][-1] == "Training"
    assert len({top for _, top in tops}) == 1, f"the header's links wrap: {tops}"
    assert all(lines == 1 for _, lines in _lines(phone, ".site-nav__list a"))
    # Nothing runs off the side: the page scrolls no further than the screen is wide.
    assert phone.evaluate("document.documentElement.scrollWidth") <= width


def test_the_home_search_placeholder_is_shown_whole(phone, live_server):
    phone.goto(live_server.url + "/")
    box = phone.locator(".hero .search-box input[name=q]")
    placeholder = box.get_attribute("placeholder")
    assert placeholder
    room, needed = box.evaluate(
        """(input) => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = style.font;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return [room, context.measureText(input.placeholder).width];
        }"""
    )
    assert needed <= room, f"“{placeholder}” needs {needed:.0f}px, the box has {room:.0f}px"


def test_the_review_form_asks_each_rating_in_one_row_and_says_optional_once(
    page, live_server, axe_check
):
    invite = invited(ClinicFactory(name="Aire Scalp Studio", currency="GBP"))
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + write_path(invite.pk))
    ratings = page.get_by_role("group", name="Your ratings")
    assert ratings.bounding_box()["height"] < PHONE["height"], "the ratings take two screens"
    for question in ("Overall", "The result", "Communication", "Value for money"):
        group = ratings.get_by_role("group", name=question)
        expect(group.get_by_role("radio")).to_have_count(5)
        tops = {round(group.locator("label").nth(n).bounding_box()["y"]) for n in range(5)}
        assert len(tops) == 1, f"{question}: the five choices take {len(tops)} rows"
    # Each choice keeps its full name for screen readers, and the keyboard moves along a row.
    overall = ratings.get_by_role("group", name="Overall")
    overall.get_by_role("radio", name="1 star: very poor").check()
    page.keyboard.press("ArrowRight")
    expect(overall.get_by_role("radio", name="2 stars: poor")).to_be_checked()
    expect(overall.get_by_role("radio", name="2 stars: poor")).to_be_focused()
    text = page.locator("main").inner_text()
    assert "(optional) (optional)" not in text
    expect(page.get_by_text("What you paid in the end, in GBP (optional)")).to_be_visible()
    axe_check(page)


def test_opening_hours_keep_each_range_on_one_line(phone, live_server):
    clinic = ClinicFactory(opening_hours="Mo-Sa 10:00-13:00,14:00-18:00; Su 11:00-15:00")
    phone.goto(live_server.url + clinic.get_absolute_url())
    ranges = phone.locator(".practical__hours td").evaluate_all(
        r"""(cells) => cells.flatMap((cell) => {
            // Every text node of the cell with its offset, so a range may span several.
            const nodes = [];
            let text = "";
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                nodes.push([walker.currentNode, text.length]);
                text += walker.currentNode.data;
            }
            const at = (offset) => {
                const [node, start] = nodes.filter(([, s]) => s <= offset).pop();
                return [node, offset - start];
            };
            return [...text.matchAll(/\d\d:\d\d–\d\d:\d\d/g)].map((match) => {
                const range = document.createRange();
                range.setStart(...at(match.index));
                range.setEnd(...at(match.index + match[0].length - 1));
                const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                return [match[0], tops.size];
            });
        })"""
    )
    assert len(ranges) == 13  # six days of two ranges, and Sunday
    broken = [text for text, lines in ranges if lines != 1]
    assert not broken, f"ranges broken across lines: {broken}"


def test_no_filter_or_topic_is_offered_that_can_only_show_nothing(phone, live_server, leeds):
    # No clinic in Leeds replies within a day: the option would only show an empty list.
    phone.goto(live_server.url + leeds.get_absolute_url() + "?consultation=online")
    expect(phone.get_by_label("Consultation online (video call) (2)")).to_be_checked()
    expect(phone.get_by_text("Replies within a day")).to_have_count(0)
    # With online consultations chosen, no budget that only offline clinics meet is offered.
    budgets = phone.locator("input[name=budget]").evaluate_all(
        "(inputs) => inputs.map((i) => i.closest('label').textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert all(label == "Any price" or not label.endswith("(0)") for label in budgets), budgets

    event = EventFactory(name="Northern Meeting")
    TrainingClassFactory(event=event, topic="colour-theory", level="advanced")
    TrainingClassFactory(event=event, topic="hairlines", level="advanced")
    phone.goto(live_server.url + "/training/")
    topics = phone.locator("select[name=topic] option").all_inner_texts()
    assert topics == ["All topics", "Colour theory", "Hairlines"]
    assert phone.locator("select[name=level] option").all_inner_texts() == [
        "All levels",
        "Advanced",
    ]
    assert phone.locator("select[name=format] option").all_inner_texts() == [
        "In person and online",
        "In person",
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_search_tile_keeps_the_city_name_whole(page, live_server, width):
    london = CityFactory(name="London", slug="london", country="GB", region="England")
    ClinicFactory.create_batch(2, city=london)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/search/?q=London")
    names = _lines(page, ".city-grid__name")
    assert names and names[0][0] == "London"
    assert all(lines == 1 for _, lines in names), f"city names broken across lines: {names}"
