"""Review photos: sanitised by the worker, swept up if their task was lost, never served raw."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reviews.links import write_path
from reviews.models import Review, ReviewPhoto
from reviews.photos import sanitise_review_photos, sweep_unsanitised
from tests import images
from tests.quotes.support import stored_files, upload
from tests.reviews.support import invited, review_data

pytestmark = pytest.mark.django_db


def _review_with_raw_photo(clinic, data: bytes) -> ReviewPhoto:
    review = Review.objects.create(
        invite=invited(clinic),
        clinic=clinic,
        rating=5,
        result_rating=5,
        communication_rating=5,
        value_rating=5,
        display_name="Sam C.",
        text="Healed beautifully, and the photo shows the crown a year on.",
        photo_consent_at=timezone.now(),
    )
    photo = ReviewPhoto(review=review)
    photo.file.save("upload.jpg", ContentFile(data), save=True)
    return photo


def test_a_photo_whose_task_was_lost_is_swept_up_and_sanitised(client, clinic):
    photo = _review_with_raw_photo(clinic, images.photo_jpeg(3))
    assert sweep_unsanitised() == 0  # too recent: its own task may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sweep_unsanitised() == 1  # run eagerly here, as a worker would
    photo.refresh_from_db()
    assert photo.sanitised and photo.thumbnail and photo.fingerprint


def test_a_photo_that_cannot_be_re_encoded_is_removed_not_shown(client, clinic, private_dir):
    photo = _review_with_raw_photo(clinic, images.jpeg()[:400])  # truncated
    assert sanitise_review_photos(photo.review_id) == 0
    assert not ReviewPhoto.objects.exists()
    photo.review.publish(None)
    assert client.get(reverse("reviews:photo", args=[photo.pk])).status_code == 404


def test_staff_see_an_unpublished_photo_to_moderate_it(client, admin_client, clinic):
    photo = _review_with_raw_photo(clinic, images.photo_jpeg(4))
    sanitise_review_photos(photo.review_id)
    url = reverse("reviews:photo-thumb", args=[photo.pk])
    assert client.get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_photos_sent_without_the_consent_tick_are_refused_and_nothing_is_kept(
    client, clinic, private_dir
):
    url = write_path(invited(clinic).pk)
    photo = upload("healed.jpg", images.photo_jpeg(5))
    response = client.post(url, review_data(photos=[photo]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "we publish photos only with your consent" in html
    assert "The hairline looks natural once healed" in html  # what they typed is kept
    assert Review.objects.count() == 0 and ReviewPhoto.objects.count() == 0
    assert stored_files(private_dir) == []


def test_a_full_disk_keeps_the_photo_and_the_sweeper_sanitises_it_once_there_is_room(
    clinic, disk, private_dir
):
    photo = _review_with_raw_photo(clinic, images.photo_jpeg(5))
    [original] = stored_files(private_dir)
    disk.full = True
    with pytest.raises(OSError, match="No space left on device"):
        sanitise_review_photos(photo.review_id)
    disk.full = False
    # The photo and its original are kept, and nothing half-written is left beside them.
    assert stored_files(private_dir) == [original]
    photo.refresh_from_db()
    assert not photo.sanitised and photo.file.name

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sweep_unsanitised() == 1
    photo.refresh_from_db()
    assert photo.sanitised and photo.thumbnail and photo.fingerprint
    assert len(stored_files(private_dir)) == 2  # the photo and its thumbnail; original gone


def test_a_full_disk_while_a_review_is_sent_keeps_what_was_typed_and_stores_nothing(
    client, clinic, disk, private_dir
):
    disk.full = True
    photo = upload("healed.jpg", images.photo_jpeg(5))
    response = client.post(
        write_path(invited(clinic).pk), review_data(photos=[photo], photo_consent="on")
    )
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "We could not store your photos just now, so nothing was sent." in html
    assert "The hairline looks natural once healed" in html  # what they typed is kept
    assert Review.objects.count() == 0 and ReviewPhoto.objects.count() == 0
    assert stored_files(private_dir) == []  # not even the part of the photo it wrote
