"""What a profile and a card show: published reviews only, each client once, the count
always beside the average, the price-match share from five answers, in fixed queries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reviews.invites import send_review_invites
from reviews.models import Review, ReviewInvite
from tests.factories import ClinicFactory
from tests.reviews.support import invited, published_review

pytestmark = pytest.mark.django_db


def _clients(clinic, ratings, **kwargs):
    return [
        published_review(
            clinic, rating=rating, name=f"Client{n} Person", email=f"c{n}@client.example", **kwargs
        )
        for n, rating in enumerate(ratings)
    ]


def test_the_average_and_count_come_from_published_reviews_only(client, clinic):
    _clients(clinic, [5, 4])
    pending = invited(clinic, email="p@client.example")
    Review.objects.create(
        invite=pending,
        clinic=clinic,
        rating=1,
        result_rating=1,
        communication_rating=1,
        value_rating=1,
        text="Not yet moderated, so never counted anywhere on the site.",
        display_name="P.",
    )
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert '<strong class="reviews__score">4.5</strong> out of 5 ·' in html
    assert "2 reviews" in html and "Not yet moderated" not in html
    card = client.get(clinic.city.get_absolute_url()).content.decode()
    assert "4.5 out of 5 · 2 reviews" in card


def test_a_clients_year_on_review_replaces_their_first_in_the_figures(client, clinic):
    first = published_review(clinic, rating=5)
    mail.outbox.clear()
    send_review_invites(now=timezone.now() + timedelta(days=366))
    follow_up = ReviewInvite.objects.get(stage="held_up")
    later = Review.objects.create(
        invite=follow_up,
        clinic=clinic,
        rating=3,
        result_rating=3,
        communication_rating=3,
        value_rating=3,
        text="A year on the pigment has faded a little at the temples.",
        display_name="Sam",
    )
    assert later.publish(None)
    clinic.refresh_from_db()
    assert (clinic.rating_count, clinic.rating_average) == (1, 3.0)
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "A year on: how it has held up" in html and "faded a little" in html
    assert "Their review once healed (5 out of 5)" in html
    first.refresh_from_db()
    assert not first.counts_in_rating and later.__class__.objects.get(pk=later.pk).counts_in_rating


def test_the_price_match_share_shows_once_five_clients_answered(client, clinic):
    _clients(clinic, [5, 5, 4, 4], price_match="yes")
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Price matched the quote" not in html
    published_review(clinic, rating=3, email="x@client.example", price_match="higher")
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert (
        "Price matched the quote for <strong>80%</strong> of clients (4 of the 5 who said)" in html
    )


def test_the_distribution_counts_each_star(client, clinic):
    _clients(clinic, [5, 5, 1])
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert '<th scope="row">5 stars</th>' in html
    assert "2 (67%)" in html and "1 (33%)" in html


def test_a_suspended_clinics_reviews_are_nowhere(client, clinic):
    _clients(clinic, [2])
    clinic.suspend()
    assert client.get(clinic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize("consented", [False, True])
def test_the_profile_query_count_is_fixed(client, django_assert_num_queries, count, consented):
    clinic = ClinicFactory()
    reviews = _clients(clinic, [4] * count)
    if consented:
        Review.objects.filter(pk=reviews[-1].pk).update(photo_consent_at=timezone.now())
    # The clinic with its services, languages and artists, then its photos (credentials,
    # closures and review figures are on its row); teaching; and the reviews block:
    # newest reviews with replies, then their photos when a client agreed to show some.
    with django_assert_num_queries(5 if consented else 4):
        assert client.get(clinic.get_absolute_url()).status_code == 200


def test_the_city_page_sorts_and_filters_by_rating(client, city):
    low = ClinicFactory(city=city, name="Alpha Low")
    high = ClinicFactory(city=city, name="Zulu High")
    ClinicFactory(city=city, name="Middle Unrated")
    _clients(low, [3])
    published_review(high, rating=5, email="h@client.example")
    url = city.get_absolute_url()
    html = client.get(url + "?sort=rating").content.decode()
    assert html.index("Zulu High") < html.index("Alpha Low") < html.index("Middle Unrated")
    html = client.get(url + "?rating=4").content.decode()
    assert "Zulu High" in html and "Alpha Low" not in html and "Middle Unrated" not in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert client.get(url + "?sort=nonsense").status_code == 200
    assert reverse("clinics:city", args=["united-kingdom", city.slug]) in url


def test_the_stored_figures_follow_each_review_published_and_withdrawn(client, clinic):
    """The stars, sub-ratings and price match are stored on the clinic's row with its
    rating (Clinic.review_figures): what a visitor reads changes with each review."""
    first = published_review(clinic, rating=5, name="Ana One", email="a@client.example")
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Result: <strong>5.0</strong> out of 5" in html
    assert "<td>1 (100%)</td>" in html

    second = published_review(clinic, rating=2, name="Ben Two", email="b@client.example")
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Result: <strong>3.5</strong> out of 5" in html
    assert html.count("<td>1 (50%)</td>") == 2

    second.withdraw()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Result: <strong>5.0</strong> out of 5" in html
    first.withdraw()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Result:" not in html
    clinic.refresh_from_db()
    assert clinic.review_figures == {}
