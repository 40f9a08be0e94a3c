"""A review is erased with its request when the client erases it (QuoteRequest.erase sends
quotes.signals.request_erased, which reviews listens to), not by the retention rule."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from quotes import pipeline
from quotes.links import compare_path
from reviews.links import write_path
from reviews.models import ClinicReply, Review, ReviewEmail, ReviewInvite, ReviewPhoto
from tests import images
from tests.quotes.support import stored_files, upload
from tests.reviews.support import invited, published_review, review_data

pytestmark = pytest.mark.django_db


def test_erasing_the_request_erases_its_review_photos_and_reply(
    client, clinic, private_dir, django_capture_on_commit_callbacks
):
    invite = invited(clinic)
    client.post(
        write_path(invite.pk),
        review_data(photos=[upload("healed.jpg", images.photo_jpeg(5))], photo_consent="on"),
    )
    review = Review.objects.get()
    assert review.publish(None)
    ClinicReply.objects.create(review=review, text="Thank you for the kind words.")
    assert stored_files(private_dir / "reviews")
    clinic.refresh_from_db()
    assert clinic.rating_count == 1

    # The client deletes the request from their comparison page.
    token = compare_path(invite.quote_id).rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):  # files are deleted on commit
        response = client.post(reverse("quotes:decide", args=[token, "delete"]))
    assert response.status_code == 302
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    assert not ClinicReply.objects.exists() and not ReviewInvite.objects.exists()
    assert not ReviewEmail.objects.exists()
    assert not stored_files(private_dir / "reviews")
    clinic.refresh_from_db()
    assert (clinic.rating_count, clinic.rating_average) == (0, None)
    assert "No reviews yet." in client.get(clinic.get_absolute_url()).content.decode()


def test_the_delete_page_says_the_review_goes_too(client, clinic):
    invite = invited(clinic)
    token = compare_path(invite.quote_id).rstrip("/").rsplit("/", 1)[-1]
    html = client.get(reverse("quotes:decide", args=[token, "delete"])).content.decode()
    assert "any review you wrote of the artist you chose" in html


def test_the_retention_rule_leaves_a_published_review_standing(clinic, settings):
    settings.QUOTE_REQUEST_RETENTION_DAYS = 365
    review = published_review(clinic)
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert pipeline.erase_old_requests() == 1
    review.refresh_from_db()
    assert review.status == "published" and review.invite.quote.status == "erased"
    clinic.refresh_from_db()
    assert clinic.rating_count == 1
