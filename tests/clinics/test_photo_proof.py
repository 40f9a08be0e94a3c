"""Gallery proof: who did the work and when, consent before publishing, and copies caught.

A perceptual fingerprint (common/fingerprints.py) is taken of every gallery and review
photo when it is stored; a photo that matches another, resized, recompressed or lightly
cropped, is flagged for staff and kept off the site until they clear it.
"""

import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from applications.models import ApplicationUpload
from clinics.models import ClinicPhoto
from common import fingerprints
from reviews.links import write_path
from reviews.models import Review, ReviewPhoto
from tests import images
from tests.factories import (
    STUDIO_IMAGE,
    ArtistFactory,
    ClinicFactory,
    ClinicPhotoFactory,
    ServiceFactory,
)
from tests.quotes.support import upload
from tests.reviews.support import invited, review_data

pytestmark = pytest.mark.django_db


def _public():
    """Public gallery photos besides the studio photo each factory clinic lists with."""
    return ClinicPhoto.objects.public().exclude(image=STUDIO_IMAGE)


def _jpeg(image: Image.Image, quality: int = 90, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, **save)
    return buffer.getvalue()


def _crop(image: Image.Image, left=0.0, top=0.0, right=0.0, bottom=0.0) -> Image.Image:
    w, h = image.size
    return image.crop((int(left * w), int(top * h), int((1 - right) * w), int((1 - bottom) * h)))


def _copies(original: Image.Image) -> dict[str, bytes]:
    """What a clinic passing off another's photo might upload."""
    w, h = original.size
    return {
        "resized to a third": _jpeg(original.resize((w // 3, h // 3), Image.Resampling.LANCZOS)),
        "recompressed at quality 30": _jpeg(original, quality=30),
        "cropped 3% all round": _jpeg(_crop(original, 0.03, 0.03, 0.03, 0.03)),
        "cropped 8% all round": _jpeg(_crop(original, 0.08, 0.08, 0.08, 0.08)),
        "cropped 10% off one side": _jpeg(_crop(original, left=0.10)),
        "cropped at a corner, resized, recompressed": _jpeg(
            _crop(original, left=0.05, bottom=0.05).resize((w // 2, h // 2)), quality=45
        ),
    }


def _print(data: bytes) -> str:
    return fingerprints.fingerprint(io.BytesIO(data))


@pytest.mark.django_db(transaction=False)
def test_copies_match_and_different_photos_do_not():
    original = images.photo_like(7)
    theirs = _print(_jpeg(original))
    for name, data in _copies(original).items():
        [distance] = fingerprints.distances(_print(data), [theirs])
        assert distance <= fingerprints.MATCH_DISTANCE, f"{name}: {distance} bits apart"
    others = [_print(_jpeg(images.photo_like(seed))) for seed in range(100, 112)]
    closest = min(
        int(fingerprints.distances(a, [b])[0]) for a, b in itertools.combinations(others, 2)
    )
    assert closest > fingerprints.MATCH_DISTANCE + 4, closest


def _admin_upload(clinic, data: bytes, **fields) -> ClinicPhoto:
    """A photo as staff add it in admin: an upload saved on the model."""
    photo = ClinicPhoto(
        clinic=clinic, alt_text="Healed hairline", image=SimpleUploadedFile("p.jpg", data), **fields
    )
    photo.save()
    photo.refresh_from_db()
    return photo


def _publish(admin_client, *photos):
    return admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "confirm_consent", "_selected_action": [p.pk for p in photos]},
        follow=True,
    )


@pytest.mark.parametrize("copy", list(_copies(images.photo_like(7))))
def test_two_clinics_with_one_photo_are_both_flagged_before_either_goes_public(
    client, admin_client, copy
):
    first, second = ClinicFactory(name="First Clinic"), ClinicFactory(name="Second Clinic")
    a = _admin_upload(
        first, _jpeg(images.photo_like(7)), stage="before", artist=ArtistFactory(clinic=first)
    )
    b = _admin_upload(
        second,
        _copies(images.photo_like(7))[copy],
        stage="before",
        artist=ArtistFactory(clinic=second),
    )
    a.refresh_from_db()
    assert "Second Clinic" in a.match_details and "First Clinic" in b.match_details
    response = _publish(admin_client, a, b)
    assert "a possible copy waits for a look" in response.content.decode()
    for clinic in (first, second):
        html = client.get(clinic.get_absolute_url()).content.decode()
        assert a.image.name not in html and b.image.name not in html
    assert not _public().exists()
    assert ClinicPhoto.objects.awaiting_staff().count() == 2


def test_staff_clear_a_false_alarm_then_publish(client, admin_client):
    first, second = ClinicFactory(), ClinicFactory()
    data = _jpeg(images.photo_like(8))
    a = _admin_upload(first, data, stage="studio")
    b = _admin_upload(second, data, stage="studio")
    admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "clear_match", "_selected_action": [a.pk, b.pk]},
    )
    _publish(admin_client, a, b)
    assert _public().count() == 2


def test_a_card_shows_a_photo_once_staff_publish_it_and_not_after_they_withdraw_it(
    client, admin_client
):
    clinic = ClinicFactory()
    photo = _admin_upload(clinic, _jpeg(images.photo_like(10)), stage="studio")
    city_page = clinic.city.get_absolute_url()
    assert photo.thumbnail.name not in client.get(city_page).content.decode()
    _publish(admin_client, photo)
    assert photo.thumbnail.name in client.get(city_page).content.decode()
    admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "withdraw_consent", "_selected_action": [photo.pk]},
    )
    assert photo.thumbnail.name not in client.get(city_page).content.decode()


def test_a_later_copy_is_held_back_and_the_original_stays_up(client, admin_client):
    owner, copier = ClinicFactory(name="Owner"), ClinicFactory(name="Copier")
    original = _admin_upload(owner, _jpeg(images.photo_like(9)), stage="studio")
    _publish(admin_client, original)
    assert original.is_public()
    copy = _admin_upload(copier, _jpeg(images.photo_like(9).resize((600, 450))), stage="studio")
    _publish(admin_client, copy)
    assert original.is_public() and not copy.is_public()
    original.refresh_from_db()
    assert "Copier" in original.match_details  # staff see the pair from both sides


def test_the_same_photo_claimed_twice_by_one_clinic_is_flagged():
    clinic = ClinicFactory()
    data = _jpeg(images.photo_like(10))
    _admin_upload(clinic, data, stage="healed", months_healed=6)
    _admin_upload(clinic, _jpeg(images.photo_like(10), quality=50), stage="before")
    assert ClinicPhoto.objects.awaiting_staff().count() == 2


def test_an_application_photo_copied_from_a_listed_clinic_is_flagged(
    client, settings, django_capture_on_commit_callbacks
):
    from tests.applications.test_applications import URL  # the public form's address

    listed = ClinicFactory(name="Listed Clinic")
    ClinicPhotoFactory(
        clinic=listed, image=SimpleUploadedFile("a.jpg", _jpeg(images.photo_like(11)))
    )
    data = _application(
        listed.city, [upload("mine.jpg", _jpeg(images.photo_like(11).resize((800, 600))))]
    )
    with django_capture_on_commit_callbacks(execute=True):  # its photos are processed on commit
        assert client.post(URL, data).status_code == 302
    # Still private (no gallery photo until staff approve), flagged for them to compare.
    assert not ClinicPhoto.objects.exclude(clinic=listed).exists()
    assert "Listed Clinic" in ApplicationUpload.objects.get().match_details


def _application(city, photos):
    from tests.applications.test_applications import ARTIST_AND_PORTFOLIO
    from tests.quotes.support import form_token

    return {
        "name": "Applicant Studio",
        "city": str(city.pk),
        "address": "1 High Street",
        "phone": "0113 496 0000",
        "services": [ServiceFactory().pk],
        "currency": "GBP",
        "description": "We do scalp micropigmentation.",
        "contact_name": "Kim Owner",
        "contact_email": "kim@applicant.example",
        "quote_email": "quotes@applicant.example",
        "consent": "on",
        "leave_blank": "",
        "form_token": form_token(),
        "photos": photos,
        **ARTIST_AND_PORTFOLIO,
    }


def test_a_gallery_photo_reaches_the_public_without_metadata(client):
    clinic = ClinicFactory()
    exif = images.exif_with_gps_and_orientation(1)
    photo = _admin_upload(
        clinic, _jpeg(images.photo_like(12), exif=exif, comment=b"secret"), stage="studio"
    )
    ClinicPhoto.objects.filter(pk=photo.pk).update(consent_confirmed_at=photo.clinic.created_at)
    html = client.get(clinic.get_absolute_url()).content.decode()
    for field in (photo.image, photo.thumbnail):
        assert field.url in html
        served = b"".join(client.get(field.url).streaming_content)
        with Image.open(io.BytesIO(served)) as image:
            assert not image.getexif() and "comment" not in image.info and "exif" not in image.info


def test_a_photo_without_recorded_consent_is_never_public(client):
    clinic = ClinicFactory()
    photo = ClinicPhotoFactory(clinic=clinic, consent_confirmed_at=None)
    assert photo.thumbnail.url not in client.get(clinic.get_absolute_url()).content.decode()
    assert not photo.is_public()


def test_publishing_needs_the_stage_artist_and_months(admin_client):
    clinic = ClinicFactory()
    unsaid = _admin_upload(clinic, _jpeg(images.photo_like(13)))
    no_artist = _admin_upload(clinic, _jpeg(images.photo_like(14)), stage="fresh")
    no_months = _admin_upload(
        clinic, _jpeg(images.photo_like(15)), stage="healed", artist=ArtistFactory(clinic=clinic)
    )
    html = _publish(admin_client, unsaid, no_artist, no_months).content.decode()
    assert "say what it shows" in html and "say which artist" in html and "how many months" in html
    assert not _public().exists()


def test_healed_results_come_first_labelled_with_the_artist_and_months(client):
    clinic = ClinicFactory()
    artist = ArtistFactory(clinic=clinic, name="Sam Lee")
    ClinicPhotoFactory(clinic=clinic, stage="before", order=0, alt_text="Before one")
    ClinicPhotoFactory(
        clinic=clinic,
        stage="healed",
        months_healed=8,
        artist=artist,
        order=5,
        alt_text="Healed one",
    )
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert html.index("Healed one") < html.index("Before one")
    assert "Healed, 8 months after the last session · work by Sam Lee" in html


def test_a_review_photo_matching_another_clinics_gallery_is_held_back(
    client, settings, django_capture_on_commit_callbacks
):
    gallery_owner = ClinicFactory(name="Gallery Owner")
    ClinicPhotoFactory(
        clinic=gallery_owner, image=SimpleUploadedFile("g.jpg", _jpeg(images.photo_like(16)))
    )
    reviewed = ClinicFactory(name="Reviewed Clinic")
    invite = invited(reviewed)
    photo = upload("healed.jpg", _jpeg(images.photo_like(16), quality=60))
    with django_capture_on_commit_callbacks(execute=True):  # the photo is checked on commit
        client.post(write_path(invite.pk), review_data(photos=[photo], photo_consent="on"))
    review = Review.objects.get()
    assert review.publish(None)
    stored = ReviewPhoto.objects.get()
    assert "Gallery Owner" in stored.match_details
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert "The hairline looks natural" in html  # the review is published...
    assert reverse("reviews:photo-thumb", args=[stored.pk]) not in html  # ...its photo is not
    assert client.get(reverse("reviews:photo", args=[stored.pk])).status_code == 404
