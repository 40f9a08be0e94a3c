"""Only the client who chose a clinic can review it, once, through an unexpired link; any
other link gets a calm page and no form."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from reviews.invites import send_review_invites
from reviews.links import INVITE_SALT, write_path
from reviews.models import Review, ReviewInvite
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote
from tests.reviews.support import chosen_request, invited, review_data

pytestmark = pytest.mark.django_db


def _assert_gone_page(response, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == 410
    assert heading in html
    assert 'name="rating"' not in html and "<textarea" not in html
    assert 'enctype="multipart/form-data"' not in html
    return html


def test_a_reused_link_shows_no_second_form(client, clinic):
    url = write_path(invited(clinic).pk)
    assert client.post(url, review_data()).status_code == 302
    _assert_gone_page(client.get(url), "You have already reviewed Aire Scalp Studio")
    # Posting to it again makes nothing either.
    again = review_data(text="A second go at the same review, with other words.")
    _assert_gone_page(client.post(url, again), "You have already reviewed")
    assert Review.objects.count() == 1


def test_a_forged_or_edited_link_shows_no_form(client, clinic):
    invite = invited(clinic)
    forged = signing.dumps(invite.pk, salt="someone-else")
    _assert_gone_page(
        client.get(f"{reverse('reviews:write')}?{urlencode({'key': forged})}"), "doesn’t work"
    )
    edited = write_path(invite.pk)[:-3] + "abc"
    _assert_gone_page(client.get(edited), "doesn’t work")
    _assert_gone_page(client.get(reverse("reviews:write")), "doesn’t work")


def test_an_expired_link_shows_no_form(client, clinic, settings):
    settings.REVIEW_LINK_DAYS = 60
    invite = invited(clinic)
    url = write_path(invite.pk)
    with time_machine.travel(timezone.now() + timedelta(days=61)):
        _assert_gone_page(client.get(url), "This invitation has run out")
        _assert_gone_page(client.post(url, review_data()), "This invitation has run out")
    assert not Review.objects.exists()


def test_a_client_who_never_chose_the_clinic_is_never_invited_and_cannot_review(client, clinic):
    other = ClinicFactory(city=clinic.city, name="Birch Dots")
    chosen_request(clinic)  # chose Aire Scalp Studio, not Birch Dots
    make_quote(clinic.city, clinic=other, mode="single", photos=0)  # asked, chose nobody
    send_review_invites(now=timezone.now() + timedelta(days=91))
    send_review_invites(now=timezone.now() + timedelta(days=366))
    # Both invitations (healed, a year on) are for the clinic chosen; none for the other.
    assert set(ReviewInvite.objects.values_list("clinic__name", flat=True)) == {"Aire Scalp Studio"}
    # A link signed for an invitation that doesn't exist (another clinic's id guessed).
    token = signing.dumps(10_000, salt=INVITE_SALT)
    _assert_gone_page(
        client.get(f"{reverse('reviews:write')}?{urlencode({'key': token})}"), "doesn’t work"
    )


def test_a_suspended_clinic_takes_no_review(client, clinic):
    url = write_path(invited(clinic).pk)
    clinic.suspend()
    _assert_gone_page(client.get(url), "is not listed at the moment")


def test_secret_keys_stay_out_of_the_path(client, clinic):
    url = write_path(invited(clinic).pk)
    assert url.startswith("/reviews/write/?key=")
    response = client.get(url)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
