"""A clinic's reviews in its account: published ones with the clinic's reply, replying
under moderation, nothing of a review staff have not published, nobody else's."""

import pytest

from reviews.models import ClinicReply, Review
from tests.factories import ClinicFactory
from tests.reviews.support import invited, published_review

from .support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

REVIEWS = "/clinic-account/reviews/"


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink")


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    return client


def test_a_published_review_is_answered_from_the_account_and_waits_for_staff(owner, client, clinic):
    review = published_review(clinic, email="sam@client.example")
    page = owner.get(REVIEWS).content.decode()
    assert "A sample review long enough" in page and "Your public reply" in page
    response = owner.post(
        f"{REVIEWS}{review.pk}/reply/", {"text": "Thank you, Sam: it was a pleasure."}
    )
    assert response.status_code == 302
    reply = ClinicReply.objects.get(review=review)
    assert reply.status == "pending"
    page = owner.get(REVIEWS).content.decode()
    assert "Your reply is waiting for our staff’s check" in page
    # Not on the profile before staff publish it; one reply per review.
    assert "it was a pleasure" not in client.get(clinic.get_absolute_url()).content.decode()
    owner.post(f"{REVIEWS}{review.pk}/reply/", {"text": "A second reply, longer than ten."})
    assert ClinicReply.objects.filter(review=review).count() == 1


def test_a_review_waiting_for_moderation_is_counted_not_shown(owner, clinic):
    invite = invited(clinic)
    Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=1,
        result_rating=1,
        communication_rating=1,
        value_rating=1,
        text="Something staff have not read yet, with a phone number 0113 496 0000.",
        display_name="Sam",
    )
    page = owner.get(REVIEWS).content.decode()
    assert "One review is waiting for our staff’s check" in page
    assert "0113 496 0000" not in page


def test_another_clinics_review_cannot_be_answered(owner):
    other = ClinicFactory(name="Birch Dots")
    theirs = published_review(other, email="kim@client.example")
    assert (
        owner.post(f"{REVIEWS}{theirs.pk}/reply/", {"text": "Not ours to answer."}).status_code
        == 404
    )
    assert not ClinicReply.objects.exists()
    assert "Birch" not in owner.get(REVIEWS).content.decode()


def test_a_reply_too_short_or_6_mb_long_gets_a_message(owner, clinic):
    review = published_review(clinic, email="sam@client.example")
    short = owner.post(f"{REVIEWS}{review.pk}/reply/", {"text": "Thanks"})
    assert short.status_code == 400 and b"at least 10 characters" in short.content
    huge = owner.post(f"{REVIEWS}{review.pk}/reply/", {"text": "x" * 6_000_000})
    assert huge.status_code == 400 and b"Nothing was saved." in huge.content
    assert not ClinicReply.objects.exists()


def test_an_artist_member_reads_reviews_but_the_owner_replies(client, clinic):
    review = published_review(clinic, email="sam@client.example")
    member_of(clinic, "ben@alder.example", role="artist")
    sign_in(client, "ben@alder.example")
    page = client.get(REVIEWS).content.decode()
    assert "A sample review long enough" in page and "Your clinic’s owner can reply" in page
    assert (
        client.post(f"{REVIEWS}{review.pk}/reply/", {"text": "Thanks a lot, Sam!"}).status_code
        == 403
    )
