"""A progressive JPEG padded with thousands of scans (a "scan bomb") is refused before
anything decodes it, on every path a photo comes in by; real progressive photos pass."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ImageFile

from applications.models import ClinicApplication
from clinics.models import ClinicPhoto
from common import forms as shared_forms
from common.photos import PhotoRejected, count_jpeg_scans, inspect_upload, sanitise
from quotes.models import QuotePhoto, QuoteRequest
from reviews.models import Review, ReviewPhoto
from tests import images
from tests.applications import test_applications
from tests.factories import ClinicFactory
from tests.quotes.support import stored_files, upload
from tests.reviews.support import invited, review_data

pytestmark = pytest.mark.django_db

application_data = test_applications.application_data
service = test_applications.service
REFUSAL = "is a JPG saved in more than 32 passes"


def _bomb() -> bytes:
    # The limit is 32 scans; the file has 6 (Pillow's greyscale progression) plus these.
    return images.scan_bomb(40)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any decode fails the test: the scans must be counted and refused before one."""

    def decode(self):
        raise AssertionError("the photo was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)


def test_the_counter_counts_the_scans_a_decoder_would_read():
    assert count_jpeg_scans(images.photo_jpeg(1)) == 1  # baseline
    assert count_jpeg_scans(images.photo_jpeg(1, progressive=True)) == 10  # libjpeg's colour
    assert count_jpeg_scans(images.scan_bomb(0)) == 6  # libjpeg's greyscale progression
    assert count_jpeg_scans(images.scan_bomb(40)) == 46


def test_the_counter_skips_segments_stuffed_bytes_and_restart_markers():
    # A whole JPEG, scans and all, inside a comment segment: skipped by its length.
    inner = images.photo_jpeg(2, size=(300, 200), progressive=True)
    noisy = io.BytesIO()
    images.photo_like(3).save(
        noisy, "JPEG", quality=95, progressive=True, comment=inner, restart_marker_rows=1
    )
    data = noisy.getvalue()
    assert b"\xff\x00" in data and b"\xff\xd3" in data and inner in data
    assert count_jpeg_scans(data) == 10
    # Fill bytes before a marker, and garbage between segments, as decoders skip them.
    after_comment = data.index(inner) + len(inner)
    first_scan = data.index(b"\xff\xda", after_comment)
    padded = (
        data[:after_comment]
        + b"junk\xff\x00junk"
        + data[after_comment:first_scan]
        + b"\xff\xff"
        + data[first_scan:]
    )
    assert count_jpeg_scans(padded) == 10
    # It stops at the first image's end: an MPO's preview frame is never decoded.
    assert count_jpeg_scans(images.mpo()) == 1


def test_the_counter_counts_a_huge_number_of_scans_and_can_stop_early():
    data = images.scan_bomb(100_000)
    assert count_jpeg_scans(data) == 100_006
    assert count_jpeg_scans(data, stop_after=32) == 33


def test_the_upload_check_refuses_a_scan_bomb_before_decoding_it(no_decoding):
    with pytest.raises(PhotoRejected) as refused:
        inspect_upload(upload("scalp.jpg", _bomb()))
    assert refused.value.rule == "too_many_scans"
    assert str(refused.value) == (
        "“scalp.jpg” is a JPG saved in more than 32 passes (a phone or camera saves at most "
        "about a dozen), so it would take far too long to open. Please send the photo as "
        "your phone or camera saved it."
    )


def test_the_worker_refuses_a_scan_bomb_before_decoding_it_too(no_decoding):
    with pytest.raises(PhotoRejected) as refused:
        sanitise(io.BytesIO(_bomb()))
    assert refused.value.rule == "too_many_scans"


def test_a_scan_bomb_just_within_the_limit_still_opens(settings):
    data = images.scan_bomb(26)  # 32 scans
    assert inspect_upload(upload("scalp.jpg", data)).format == "JPEG"
    content, info = sanitise(io.BytesIO(data))
    assert (info.width, info.height) == (600, 600)


def test_a_quote_with_a_scan_bomb_is_refused_and_a_real_progressive_photo_is_accepted(
    client, quote_data, private_dir
):
    url = reverse("quotes:request")
    response = client.post(url, quote_data(photos=[upload("scalp.jpg", _bomb())]))
    assert response.status_code == 200
    [error] = response.context["form"].errors["photos"]
    assert error.startswith(f"“scalp.jpg” {REFUSAL}")
    assert REFUSAL in response.content.decode()
    assert not QuoteRequest.objects.exists() and stored_files(private_dir) == []

    photo = upload("crown.jpg", images.photo_jpeg(7, progressive=True))
    response = client.post(url, quote_data(photos=[photo]))
    assert response.status_code == 302
    assert QuoteRequest.objects.count() == 1 and QuotePhoto.objects.count() == 1


def test_a_clinic_application_with_a_scan_bomb_is_refused(client, application_data):
    photos = [upload("hairline.jpg", _bomb())]
    response = client.post(reverse("applications:apply"), application_data(photos=photos))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not ClinicApplication.objects.exists()


def test_a_review_photo_that_is_a_scan_bomb_is_refused(client, clinic, private_dir):
    from reviews.links import write_path

    url = write_path(invited(clinic).pk)
    photo = upload("healed.jpg", _bomb())
    response = client.post(url, review_data(photos=[photo], photo_consent="on"))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    assert stored_files(private_dir) == []


@pytest.fixture
def photo_checks(monkeypatch):
    """The photos the shared form check opened."""
    seen: list[str] = []

    def inspect(photo):
        seen.append(photo.name)
        return inspect_upload(photo)

    monkeypatch.setattr(shared_forms, "inspect_upload", inspect)
    return seen


def test_past_the_post_rate_limit_a_form_is_refused_before_its_photos_are_checked(
    client, quote_data, settings, photo_checks, private_dir
):
    settings.PHOTO_FORM_POST_RATE_LIMIT = "2/h"
    url = reverse("quotes:request")
    for n in range(2):
        response = client.post(url, quote_data(photos=[upload(f"bomb{n}.jpg", _bomb())]))
        assert response.status_code == 200  # refused by the photo check, with its message
    assert photo_checks == ["bomb0.jpg", "bomb1.jpg"]
    response = client.post(url, quote_data(photos=[upload("bomb2.jpg", _bomb())]))
    assert response.status_code == 429
    assert "Please wait a little before sending again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert photo_checks == ["bomb0.jpg", "bomb1.jpg"]  # the third was never opened
    assert not QuoteRequest.objects.exists() and stored_files(private_dir) == []
    assert client.get(url).status_code == 200  # the form itself still shows


def test_a_gallery_photo_that_is_a_scan_bomb_is_refused_on_staff_s_form(no_decoding):
    """Staff's gallery uploads are sanitised on save: the form says why first."""
    photo = ClinicPhoto(
        clinic=ClinicFactory(listing=False),  # no studio photo of its own to decode
        alt_text="Hairline, healed",
        image=SimpleUploadedFile("gallery.jpg", _bomb(), "image/jpeg"),
    )
    with pytest.raises(ValidationError) as refused:
        photo.full_clean()
    assert refused.value.message_dict["image"] == [
        "“gallery.jpg” is a JPG saved in more than 32 passes (a phone or camera saves at most "
        "about a dozen), so it would take far too long to open. Please send the photo as "
        "your phone or camera saved it."
    ]


def test_a_gallery_png_too_large_to_sanitise_is_refused_on_staff_s_form(settings):
    settings.PHOTO_MAX_PNG_PIXELS = 300_000  # a 640 x 480 PNG is 307,200
    photo = ClinicPhoto(
        clinic=ClinicFactory(),
        alt_text="The studio",
        image=SimpleUploadedFile("studio.png", images.png((640, 480)), "image/png"),
    )
    with pytest.raises(ValidationError) as refused:
        photo.full_clean()
    assert "Please send it as a JPG" in refused.value.message_dict["image"][0]


def test_forged_cross_site_posts_do_not_use_up_a_person_s_allowance(client, quote_data, settings):
    settings.PHOTO_FORM_POST_RATE_LIMIT = "1/h"
    url = reverse("quotes:request")
    forger = Client(enforce_csrf_checks=True)  # another site's page has no CSRF token
    for _ in range(3):
        assert forger.post(url, quote_data()).status_code == 403
    assert client.post(url, quote_data()).status_code == 302
    assert client.post(url, quote_data(email="again@client.example")).status_code == 429
