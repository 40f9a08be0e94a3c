"""A city page with many clinics: filters, counts, sorts, pagination, cards, query counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import City, Clinic, Language
from tests.factories import CityFactory, ClinicFactory, ClinicPhotoFactory, ServiceFactory
from tests.html import without_tokens

pytestmark = pytest.mark.django_db

SERVICES = ["mens-smp", "womens-smp", "scar-camouflage", "alopecia"]


def _services():
    return {
        slug: ServiceFactory(slug=slug, name=slug.replace("-", " ").capitalize())
        for slug in SERVICES
    }


def _languages():
    names = {"en": "English", "es": "Spanish", "pl": "Polish"}
    return {
        code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in names.items()
    }


def fill(city: City, count: int) -> list[Clinic]:
    """`count` clinics whose every attribute follows from their number i (see each line)."""
    services, languages = _services(), _languages()
    now = timezone.now()
    clinics = Clinic.objects.bulk_create(
        [
            Clinic(
                name=f"Clinic {i:03d}",
                slug=f"clinic-{i:03d}",
                search_name=f"clinic {i:03d}",
                city=city,
                status=Clinic.Status.APPROVED,
                # Listed (an artist and a public photo, as a bulk import would store them
                # with its rows): these tests are about the filters.
                has_artist=True,
                has_public_photo=True,
                latitude=city.latitude + i * 0.001,
                longitude=city.longitude,
                price_from=1000 + 10 * i,
                price_to=1800 + 10 * i,
                # The last one prices in euros: compared last, and never within a budget.
                currency="EUR" if i == count - 1 else "GBP",
                # Two in three have reply figures: i hours (so within a day for i <= 24).
                median_reply_hours=None if i % 3 == 1 else float(i),
                reply_rate=None if i % 3 == 1 else 1 - i / 200,
                consults_online=i % 2 == 1,
                accepts_quotes=i % 10 != 9,
                approved_at=now - timedelta(days=i),
                reviewed_at=now - timedelta(hours=i),
            )
            for i in range(count)
        ]
    )
    through = Clinic.services.through
    through.objects.bulk_create(
        [through(clinic_id=c.pk, service_id=services["mens-smp"].pk) for c in clinics]
        + [
            through(clinic_id=c.pk, service_id=services[slug].pk)
            for i, c in enumerate(clinics)
            for slug, every in (("womens-smp", 4), ("scar-camouflage", 5), ("alopecia", 3))
            if i % every == 0
        ]
    )
    speaks = Clinic.languages.through
    speaks.objects.bulk_create(
        [speaks(clinic_id=c.pk, language_id=languages["en"].pk) for c in clinics]
        + [
            speaks(clinic_id=c.pk, language_id=languages[code].pk)
            for i, c in enumerate(clinics)
            for code, every in (("es", 2), ("pl", 7))
            if i % every == 0
        ]
    )
    City.objects.filter(pk=city.pk).refresh_listed_counts()
    return clinics


@pytest.fixture
def london():
    return CityFactory(name="London", slug="london", latitude=51.5074, longitude=-0.1278)


@pytest.fixture
def hundred(london):
    fill(london, 100)
    return london


def _get(client, city, data=None):
    return client.get(reverse("clinics:city", args=[city.country_slug, city.slug]), data or {})


def _numbers(response) -> list[int]:
    return [int(c.name.split()[-1]) for c in response.context["page"]]


def _all_numbers(client, city, data) -> list[int]:
    numbers, page = [], 1
    while True:
        response = _get(client, city, {**data, "page": page})
        numbers += _numbers(response)
        if not response.context["page"].has_next():
            return numbers
        page += 1


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        ({"service": "womens-smp"}, lambda i: i % 4 == 0),
        # Several services: a clinic must offer each of them.
        ({"service": ["womens-smp", "scar-camouflage"]}, lambda i: i % 20 == 0),
        ({"language": "pl"}, lambda i: i % 7 == 0),
        # Several languages: a clinic speaking any of them will do.
        ({"language": ["es", "pl"]}, lambda i: i % 2 == 0 or i % 7 == 0),
        ({"budget": "1500"}, lambda i: 1000 + 10 * i <= 1500),
        ({"replies": "day"}, lambda i: i % 3 != 1 and i <= 24),
        ({"consultation": "online"}, lambda i: i % 2 == 1),
        ({"consultation": "in-person"}, lambda i: True),
        (
            {"service": "alopecia", "language": "es", "replies": "day"},
            lambda i: i % 3 == 0 and i % 2 == 0 and i <= 24,
        ),
    ],
)
def test_each_filter_gives_the_right_clinics(client, hundred, params, wanted):
    expected = sorted(i for i in range(100) if wanted(i))
    assert sorted(_all_numbers(client, hundred, params)) == expected
    response = _get(client, hundred, params)
    assert response.context["facets"].total == len(expected)


def test_prices_sort_lowest_first_with_other_currencies_last(client, hundred):
    numbers = _all_numbers(client, hundred, {"sort": "price"})
    assert numbers == list(range(100))
    # The euro-priced clinic (99) is after every pound price, even a higher one.
    assert numbers[-1] == 99


def test_reply_speed_sorts_fastest_first_and_unknown_last(client, hundred):
    order = _all_numbers(client, hundred, {"sort": "replies"})
    known = sorted((i for i in range(100) if i % 3 != 1), key=lambda i: i)
    unknown = sorted(i for i in range(100) if i % 3 == 1)
    assert order == known + unknown


def test_newest_listings_first(client, hundred):
    assert _all_numbers(client, hundred, {"sort": "newest"}) == list(range(100))


def test_distance_from_a_typed_place_or_the_browser(client, hundred):
    # Clinic i sits i metres-ish north of the centre: from the far end, the order reverses.
    far = {"sort": "distance", "lat": "51.6074", "lng": "-0.1278"}
    assert _all_numbers(client, hundred, far) == list(range(99, -1, -1))
    centre = _get(client, hundred, {"sort": "distance"})
    assert _numbers(centre) == list(range(20))
    assert "Distances from the centre of London" in centre.content.decode()


def test_recommended_order_is_documented_and_followed(client, hundred):
    Clinic.objects.refresh_recommended()  # fill() bulk-creates: no save stored the scores
    response = _get(client, hundred)
    assert "Recommended: clinics with more well-rated verified reviews" in (
        response.content.decode()
    )
    order = _all_numbers(client, hundred, {})

    def key(i):
        # No reviews, photos or credentials here: reply speed, then the name, decides.
        hours = None if i % 3 == 1 else i
        within = 0 if hours is not None and hours <= 24 else 1 if hours and hours <= 72 else 2
        return (within, i)

    assert order == sorted(range(100), key=key)


def test_each_option_shows_how_many_clinics_it_would_give(client, hundred):
    response = _get(client, hundred, {"service": "womens-smp"})
    facets = response.context["facets"]
    services = {o.value: o.count for o in facets.services}
    assert services["womens-smp"] == 25
    assert services["scar-camouflage"] == 5  # women's SMP and scar camouflage: i % 20
    languages = {o.value: o.count for o in facets.languages}
    assert languages == {"en": 25, "es": 25, "pl": 4}  # i % 4 and i % 7: 0, 28, 56, 84
    html = response.content.decode()
    assert re.search(r'value="scar-camouflage">\s*Scar camouflage <span[^>]*>\(5\)', html)


def test_budgets_follow_the_citys_prices_in_its_currency(client, hundred):
    facets = _get(client, hundred).context["facets"]
    values = [int(o.value) for o in facets.budgets]
    assert values[0] == 1000 and values[-1] >= 1980
    assert all(o.label.startswith("Up to £") for o in facets.budgets)


def test_pagination_keeps_the_filters(client, hundred):
    response = _get(client, hundred, {"language": "es", "sort": "price"})
    html = response.content.decode()
    assert "Page 1 of 3" in html
    assert 'href="?language=es&amp;sort=price&amp;page=2"' in html
    second = _get(client, hundred, {"language": "es", "sort": "price", "page": "2"})
    assert _numbers(second) == list(range(40, 80, 2))


def test_clear_filters_goes_back_to_the_whole_list(client, hundred):
    html = _get(client, hundred, {"service": "alopecia"}).content.decode()
    assert 'href="/clinics/united-kingdom/london/">Clear filters</a>' in html
    assert 'name="robots" content="noindex, follow"' in html
    assert "Clear filters" not in _get(client, hundred).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "banana"},
        {"budget": "abc"},
        {"budget": "1234"},
        {"budget": "-5"},
        {"service": "no-such-service"},
        {"language": "xx"},
        {"consultation": "telepathy"},
        {"replies": "week"},
        {"units": "parsecs"},
        {"lat": "999", "lng": "0", "sort": "distance"},
        {"from": "x" * 500, "sort": "distance"},
        {"service": ["womens-smp"] * 50},
        {"service": "'; DROP TABLE clinics_clinic; --"},
    ],
)
def test_unknown_or_malformed_parameters_get_the_page_and_a_note(client, hundred, params):
    response = _get(client, hundred, params)
    assert response.status_code == 200
    assert response.context["facets"].total in (100, 25)  # unfiltered, or the one good value
    html = response.content.decode()
    if not {"lat", "from", "service"} & set(params) or "no-such" in str(params):
        assert "Not applied:" in html


def test_a_page_number_past_the_end_is_a_404(client, hundred):
    assert _get(client, hundred, {"service": "womens-smp", "page": "3"}).status_code == 404


def test_no_rating_control_until_reviews_exist(client, hundred):
    html = _get(client, hundred).content.decode()
    assert "rating" not in html.lower()


def test_cards_carry_photo_price_replies_services_and_languages(client, london):
    services, languages = _services(), _languages()
    clinic = ClinicFactory(
        city=london, name="Aldgate Scalp Studio", median_reply_hours=3, reply_rate=0.9
    )
    clinic.services.set([services["womens-smp"]])
    clinic.languages.set([languages["es"], languages["en"]])
    first = ClinicPhotoFactory(clinic=clinic, alt_text="Healed hairline, side view")
    ClinicPhotoFactory(clinic=clinic, alt_text="Studio chair")
    html = _get(client, london).content.decode()
    card = re.search(r'<article class="clinic-card">.*?</article>', html, re.S).group(0)
    # The cover is decorative (the card's title says what it is): the first photo's thumbnail.
    assert re.search(
        rf'<img class="clinic-card__cover" src="[^"]*{re.escape(first.thumbnail.name)}" '
        r'alt="" width="400" height="300"',
        card,
    )
    assert "£1,200–£2,200" in card
    assert "Replies to 90% of requests, usually within 3 hours" in card
    assert "Women" in card and "Speaks English, Spanish" in card


def _cover(client, city) -> str:
    html = _get(client, city).content.decode()
    return re.search(r'<img class="clinic-card__cover" src="([^"]+)"', html).group(1)


def test_a_chosen_cover_photo_wins_while_the_public_may_see_it(client, london):
    clinic = ClinicFactory(city=london)
    first = ClinicPhotoFactory(clinic=clinic, alt_text="First")
    chosen = ClinicPhotoFactory(clinic=clinic, alt_text="Chosen")
    clinic.cover_photo = chosen
    clinic.save()
    assert _cover(client, london).endswith(chosen.thumbnail.name)
    # Consent withdrawn: the chosen photo is no longer public, so neither is the cover.
    chosen.consent_confirmed_at = None
    chosen.save()
    assert _cover(client, london).endswith(first.thumbnail.name)
    chosen.delete()
    assert _cover(client, london).endswith(first.thumbnail.name)


def test_a_photo_moved_to_another_clinic_leaves_the_first_ones_card(client, london):
    clinic, other = ClinicFactory(city=london), ClinicFactory(city=CityFactory())
    photo = ClinicPhotoFactory(clinic=clinic)
    assert _cover(client, london).endswith(photo.thumbnail.name)
    photo.clinic = other
    photo.save()
    assert photo.thumbnail.name not in _get(client, london).content.decode()
    assert photo.thumbnail.name in _get(client, other.city).content.decode()


FILTERED = {"service": ["womens-smp", "alopecia"], "language": "es", "sort": "price"}


# The city; the services and languages (read once: the filters offer them, the cards
# list them); the clinics' facts (their rows with their services and languages as JSON
# lists); then the page's clinics with what their cards show: the same whatever size or
# filters.
CITY_PAGE_QUERIES = 5


@pytest.mark.parametrize("count", [10, 100])
@pytest.mark.parametrize("params", [{}, FILTERED, {"replies": "day", "budget": "1000"}])
def test_city_page_query_count_is_fixed(client, django_assert_num_queries, london, count, params):
    fill(london, count)
    with django_assert_num_queries(CITY_PAGE_QUERIES):
        assert _get(client, london, params).status_code == 200


def test_filtered_pages_are_cached_once_whatever_the_order_of_values(client, settings, hundred):
    settings.PAGE_CACHE_ENABLED = True
    first = _get(client, hundred, {"service": ["womens-smp", "alopecia"]})
    again = _get(client, hundred, {"service": ["alopecia", "womens-smp"], "utm_source": "x"})
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert without_tokens(first.content) == without_tokens(again.content)


def test_the_browsers_position_is_never_cached(client, settings, hundred):
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):
        response = _get(client, hundred, {"sort": "distance", "lat": "51.5", "lng": "-0.1"})
        assert "X-Page-Cache" not in response


def test_more_values_than_a_page_offers_are_answered_but_not_cached(client, settings, hundred):
    settings.PAGE_CACHE_ENABLED = True
    many = {"service": [f"s{n}" for n in range(11)]}
    response = _get(client, hundred, many)
    assert response.status_code == 200 and "X-Page-Cache" not in response
