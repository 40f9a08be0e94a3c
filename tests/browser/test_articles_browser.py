"""A reader finds an article, jumps through its table of contents, and reads the FAQ."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, CategoryFactory, FaqEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "Scalp micropigmentation places fine dots of pigment in the skin so that the scalp "
    "reads as closely cut hair. The artist varies the size and spacing of the dots. "
)
SECTIONS = ["What it is", "Who it suits", "The sessions", "Aftercare", "Touch-ups"]
BODY = "\n\n".join(f"## {name}\n\n" + "\n\n".join([PARAGRAPH * 3] * 3) for name in SECTIONS)
TABLE = (
    "\n\n| Country | Typical price |\n|---|--:|\n" + "| United Kingdom | about £1,200–£2,200 |\n"
)


@pytest.fixture
def aftercare_article():
    topic = CategoryFactory(name="Your treatment", slug="your-treatment")
    ArticleFactory.create_batch(2, category=topic, with_hero=True)
    return ArticleFactory(
        title="Looking after your scalp",
        category=topic,
        body=BODY + TABLE,
        with_hero=True,
    )


def test_a_reader_opens_an_article_and_follows_its_table_of_contents(
    page, live_server, aftercare_article, axe_check
):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Articles about scalp micropigmentation"
    )
    axe_check(page)

    page.get_by_role("link", name="Looking after your scalp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking after your scalp")
    hero = page.get_by_role("img", name="A drawn scalp covered in fine dots")
    expect(hero).to_be_visible()
    # Wait for the image itself (a busy machine may take a while), then check its size.
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=hero.element_handle()
    )
    assert page.evaluate("(img) => img.naturalWidth", hero.element_handle()) == 1200
    axe_check(page)

    toc = page.get_by_role("navigation", name="On this page")
    expect(toc.get_by_role("link")).to_have_count(len(SECTIONS))
    toc.get_by_role("link", name="Touch-ups").click()
    expect(page).to_have_url(re.compile(r"/articles/[\w-]+/#touch-ups$"))
    heading = page.get_by_role("heading", name="Touch-ups", level=2)
    expect(heading).to_be_in_viewport()
    top = page.evaluate("document.getElementById('touch-ups').getBoundingClientRect().top")
    assert 0 <= top < 120, "the section heading is scrolled to the top of the window"


def test_the_faq_is_grouped_and_accessible(page, live_server, axe_check):
    basics = CategoryFactory(name="Basics", slug="basics", order=1)
    costs = CategoryFactory(name="Costs", slug="costs", order=2)
    FaqEntryFactory(question="Does it hurt?", slug="does-it-hurt", category=basics)
    FaqEntryFactory(question="How long does it last?", slug="how-long", category=basics)
    FaqEntryFactory(
        question="What does it cost?",
        slug="cost",
        category=costs,
        answer="About **£1,200–£2,200** in the UK. See [the guide](/articles/).",
    )
    page.goto(live_server.url + "/faq/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Frequently asked questions")
    expect(page.get_by_role("heading", level=2, name="Basics")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="What does it cost?").click()
    expect(page).to_have_url(re.compile(r"/faq/#cost$"))
    expect(page.get_by_text("£1,200–£2,200")).to_be_in_viewport()


def test_an_article_with_a_table_fits_a_phone_screen(
    page, live_server, aftercare_article, axe_check
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + aftercare_article.get_absolute_url())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the article scrolls sideways on a phone"
    axe_check(page)
