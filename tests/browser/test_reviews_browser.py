"""A profile with reviews, checked credentials and a healed gallery, on a phone and a desktop
(axe, no sideways scrolling), and a client writing a review on a phone."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from credentials.models import Credential
from reviews.links import write_path
from reviews.models import ClinicReply, Review
from tests import images
from tests.factories import ArtistFactory, ClinicFactory, ClinicPhotoFactory
from tests.quotes.support import upload
from tests.reviews.support import invited, published_review, review_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed_clinic():
    clinic = ClinicFactory(name="Aire Scalp Studio", quote_email="aire@clinics.example")
    artist = ArtistFactory(clinic=clinic, name="Sam Lee")
    ClinicPhotoFactory(
        clinic=clinic, stage="healed", months_healed=9, artist=artist, alt_text="Healed crown"
    )
    Credential.objects.create(
        clinic=clinic,
        kind="insurance",
        issuer="Sample Mutual",
        expires_on=timezone.localdate() + timedelta(days=300),
    )
    # A review with a healed photo, written as a client would, then published and replied to.
    invite = invited(clinic, name="Robin Client", email="robin@client.example")
    photo = upload("healed.jpg", images.photo_jpeg(31))
    Client().post(write_path(invite.pk), review_data(photos=[photo], photo_consent="on"))
    review = Review.objects.get()
    review.publish(None)
    reply = ClinicReply.objects.create(review=review, text="Thank you, Robin: see you in a year.")
    reply.publish(None)
    for n, rating in enumerate([5, 3, 4, 5]):
        published_review(clinic, rating=rating, name=f"Alex{n} Client", email=f"a{n}@c.example")
    return clinic


@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_a_profile_with_reviews_reads_well_and_passes_axe(
    page, live_server, reviewed_clinic, axe_check, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reviewed_clinic.get_absolute_url())
    expect(page.get_by_role("heading", name="Reviews from verified clients")).to_be_visible()
    expect(page.locator(".reviews__score")).to_have_text("4.2")  # (4 + 5 + 3 + 4 + 5) / 5
    expect(page.locator(".reviews__average")).to_contain_text("out of 5 · 5 reviews")
    expect(page.get_by_text("Reply from Aire Scalp Studio")).to_be_visible()
    expect(page.get_by_role("img", name="Healed result, photo 1 by Sam C.")).to_be_visible()
    expect(
        page.get_by_text("Healed, 9 months after the last session · work by Sam Lee")
    ).to_be_visible()
    expect(page.get_by_text("Sample Mutual")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
    page.get_by_role("link", name="How we check reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we check reviews")
    axe_check(page)


def test_a_client_writes_a_review_on_a_phone(page, live_server, axe_check):
    clinic = ClinicFactory(name="Aire Scalp Studio")
    invite = invited(clinic)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + write_path(invite.pk))
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("group", name="Overall").get_by_label("4 stars: good").check()
    page.get_by_role("group", name="The result").get_by_label("5 stars: excellent").check()
    page.get_by_role("group", name="Communication").get_by_label("4 stars: good").check()
    page.get_by_role("group", name="Value for money").get_by_label("3 stars: all right").check()
    page.get_by_label("Yes, it matched the quote").check()
    page.get_by_label("Your review", exact=True).fill("Short.")
    page.get_by_label("This is my own experience as a client").check()
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Ensure this value has at least 40 characters")).to_be_visible()
    axe_check(page)
    page.get_by_label("Your review", exact=True).fill(
        "Natural-looking hairline, and the artist took time to explain each session."
    )
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review of Aire Scalp Studio")
    expect(page.get_by_role("status")).to_contain_text("Our staff will read it soon")
    axe_check(page)
    assert Review.objects.get().status == "pending"
