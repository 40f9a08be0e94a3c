"""Gallery photos and portraits from a clinic's account: checked before anything is
stored, sanitised, compared with every photo on the site, and shown only once staff
approve; another clinic's photo is out of reach; removing one is asked first."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinics.models import Artist, ClinicPhoto
from listing_changes.models import ListingChange
from members.models import ClinicMember
from tests import images
from tests.factories import ClinicFactory
from tests.members.support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

PHOTOS = "/clinic-account/listing/photos/"
CHANGE = "/admin/listing_changes/listingchange/{}/change/"


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink")


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    return client


def _photo_like(seed: int, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    images.photo_like(seed).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _upload(data: bytes, name="healed.jpg", **fields) -> dict:
    post = {
        "photo": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        "stage": "healed",
        "months_healed": "8",
        "alt_text": "A healed hairline, front view",
        "consent": "on",
    }
    post.update(fields)
    return post


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_a_new_photo_waits_for_staff_without_metadata_then_shows(owner, admin_client, clinic):
    artist = clinic.artists.first()
    data = images.jpeg(exif=images.exif_with_gps_and_orientation(), size=(1200, 900))
    response = owner.post(PHOTOS, _upload(data, artist=artist.pk))
    assert response.status_code == 302
    photo = ClinicPhoto.objects.get(clinic=clinic, stage="healed")
    assert photo.consent_confirmed_at is None and photo.fingerprint
    with photo.image.open("rb") as stored:
        assert not Image.open(stored).getexif()  # no GPS, no camera
    profile = owner.get(clinic.get_absolute_url()).content.decode()
    assert photo.image.name not in profile and photo.thumbnail.name not in profile
    page = owner.get(PHOTOS).content.decode()
    assert "Waiting for our staff" in page and "Healed, 8 months after the last session" in page

    change = ListingChange.objects.get(status="pending")
    review = admin_client.get(CHANGE.format(change.pk)).content.decode()
    assert photo.thumbnail.url in review and "Copy detection found no match" in review
    admin_client.post(CHANGE.format(change.pk), {"decision": "approve", "reason": ""})
    profile = owner.get(clinic.get_absolute_url()).content.decode()
    assert photo.thumbnail.name in profile
    assert f"work by {artist.name}" in profile
    assert "On your profile" in owner.get(PHOTOS).content.decode()
    [told] = [m for m in mail.outbox if m.subject.startswith("Your change to Alder Ink")]
    assert told.to == ["ana@alder.example"] and "A new gallery photo" in told.body


def test_a_copy_of_another_clinics_photo_is_shown_to_staff_and_stays_hidden(
    owner, admin_client, clinic
):
    theirs = ClinicFactory(name="Elsewhere SMP")
    original = ClinicPhoto(
        clinic=theirs,
        alt_text="Their result",
        stage="before",
        artist=theirs.artists.first(),
        image=SimpleUploadedFile("theirs.jpg", _photo_like(21)),
    )
    original.save()
    copy = images.photo_like(21).resize((400, 300))
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=40)
    owner.post(PHOTOS, _upload(buffer.getvalue(), artist=clinic.artists.first().pk))
    photo = ClinicPhoto.objects.get(clinic=clinic, stage="healed")
    assert "Elsewhere SMP" in photo.match_details
    change = ListingChange.objects.get(status="pending")
    review = admin_client.get(CHANGE.format(change.pk)).content.decode()
    assert "Possible copy." in review and "Elsewhere SMP" in review
    admin_client.post(CHANGE.format(change.pk), {"decision": "approve", "reason": ""})
    assert photo.thumbnail.name not in owner.get(clinic.get_absolute_url()).content.decode()
    assert "our staff are checking" in owner.get(PHOTOS).content.decode()


def test_a_photo_sent_back_is_deleted_with_its_files(owner, admin_client, clinic):
    before = _media_files()
    owner.post(PHOTOS, _upload(_photo_like(31), artist=clinic.artists.first().pk))
    photo = ClinicPhoto.objects.get(clinic=clinic, stage="healed")
    assert len(_media_files() - before) == 2  # the photo and its thumbnail
    change = ListingChange.objects.get(status="pending")
    admin_client.post(
        CHANGE.format(change.pk), {"decision": "send_back", "reason": "The client is named."}
    )
    assert not ClinicPhoto.objects.filter(pk=photo.pk).exists()
    assert _media_files() == before
    assert "The client is named." in owner.get("/clinic-account/listing/").content.decode()
    [told] = [m for m in mail.outbox if m.subject == "Your change to Alder Ink was sent back"]
    assert told.to == ["ana@alder.example"]
    assert (
        "The client is named." in told.body and "the photo you sent has been deleted" in told.body
    )
    assert "http://testserver/clinic-account/listing/photos/" in told.body


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (images.gif(), "hairline.gif", "is not a photo we can use"),
        (b"GIF89a not really", "hairline.jpg", "is not really a JPG, PNG or HEIC image"),
        (images.png_bomb(), "bomb.png", "too many pixels"),
        (images.jpeg()[:4000], "cut.jpg", "damaged or incomplete"),
    ],
)
def test_a_hostile_photo_gets_a_message_and_stores_nothing(owner, clinic, data, name, message):
    before = _media_files()
    response = owner.post(PHOTOS, _upload(data, name=name, artist=clinic.artists.first().pk))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "A healed hairline, front view" in response.content.decode()  # typed text kept
    assert not ClinicPhoto.objects.filter(clinic=clinic, stage="healed").exists()
    assert not ListingChange.objects.exists() and _media_files() == before


def test_an_oversized_photo_is_refused_while_it_streams(owner, clinic, settings):
    settings.PHOTO_MAX_BYTES = 20_000
    big = _photo_like(81, quality=98)
    assert len(big) > settings.PHOTO_MAX_BYTES
    response = owner.post(PHOTOS, _upload(big, name="huge.jpg", artist=clinic.artists.first().pk))
    assert response.status_code == 400
    assert "“huge.jpg” is larger than" in response.content.decode()
    assert not ListingChange.objects.exists()


def test_consent_and_the_artist_are_required(owner, clinic):
    response = owner.post(PHOTOS, _upload(_photo_like(41), consent=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "only with the written consent" in page
    assert "Choose the artist whose work the photo shows." in page
    assert not ClinicPhoto.objects.filter(clinic=clinic, stage="healed").exists()


def test_removing_a_photo_is_asked_first_and_withdraws_its_pending_change(owner, clinic):
    owner.post(PHOTOS, _upload(_photo_like(51), artist=clinic.artists.first().pk))
    photo = ClinicPhoto.objects.get(clinic=clinic, stage="healed")
    remove = f"{PHOTOS}{photo.pk}/remove/"
    assert "can’t be undone" in owner.get(remove).content.decode()
    assert ClinicPhoto.objects.filter(pk=photo.pk).exists()  # GET changes nothing
    assert owner.post(remove).status_code == 302
    assert not ClinicPhoto.objects.filter(pk=photo.pk).exists()
    assert not ListingChange.objects.filter(status="pending").exists()
    assert ListingChange.objects.filter(status="withdrawn").count() == 1


def test_another_clinics_photo_and_artist_are_out_of_reach(owner, clinic):
    other = ClinicFactory(name="Other Studio")
    theirs = other.photos.first()
    assert owner.get(f"{PHOTOS}{theirs.pk}/remove/").status_code == 404
    assert owner.post(f"{PHOTOS}{theirs.pk}/remove/").status_code == 404
    assert ClinicPhoto.objects.filter(pk=theirs.pk).exists()
    their_artist = other.artists.first()
    portrait = f"/clinic-account/listing/artists/{their_artist.pk}/portrait/"
    assert owner.get(portrait).status_code == 404
    response = owner.post(PHOTOS, _upload(_photo_like(61), artist=their_artist.pk))
    assert response.status_code == 400 and not ListingChange.objects.exists()


def test_an_artist_member_adds_photos_of_their_own_work_only(client, clinic):
    mine = clinic.artists.first()
    other = Artist.objects.create(clinic=clinic, name="Other Artist")
    member = member_of(clinic, "ben@alder.example", role=ClinicMember.Role.ARTIST)
    ClinicMember.objects.filter(pk=member.pk).update(artist=mine)
    sign_in(client, "ben@alder.example")
    assert client.post(PHOTOS, _upload(_photo_like(71), artist=other.pk)).status_code == 400
    assert (
        client.post(PHOTOS, _upload(_photo_like(71), stage="studio", months_healed="")).status_code
        == 400
    )
    assert client.post(PHOTOS, _upload(_photo_like(71), artist=mine.pk)).status_code == 302
    studio = clinic.photos.get(stage="studio")  # the factory's, added by staff
    assert client.get(f"{PHOTOS}{studio.pk}/remove/").status_code == 404


def test_a_portrait_waits_for_staff_then_replaces_the_old_one(owner, admin_client, clinic):
    artist = clinic.artists.first()
    url = f"/clinic-account/listing/artists/{artist.pk}/portrait/"
    first = io.BytesIO()
    images.photo_like(91, size=(1500, 2000)).save(first, "JPEG", quality=90)
    assert (
        owner.post(url, {"photo": SimpleUploadedFile("me.jpg", first.getvalue())}).status_code
        == 302
    )
    second = images.jpeg(size=(900, 1200), exif=images.exif_with_gps_and_orientation())
    assert owner.post(url, {"photo": SimpleUploadedFile("me2.jpg", second)}).status_code == 302
    replaced, change = ListingChange.objects.order_by("pk")
    assert replaced.status == "replaced" and change.status == "pending"
    # The replaced upload's file is gone; the waiting one is not shown yet.
    storage_root = Path(settings.MEDIA_ROOT)
    assert not (storage_root / replaced.changes[f"portrait:{artist.pk}"]["after"]["file"]).exists()
    new_name = change.changes[f"portrait:{artist.pk}"]["after"]["file"]
    assert new_name not in owner.get(clinic.get_absolute_url()).content.decode()
    assert "waiting for our staff" in owner.get(url).content.decode()

    admin_client.post(CHANGE.format(change.pk), {"decision": "approve", "reason": ""})
    artist.refresh_from_db()
    assert artist.portrait.name == new_name
    assert new_name in owner.get(clinic.get_absolute_url()).content.decode()
    assert (artist.portrait_width, artist.portrait_height) == (1200, 900)  # turned upright
    with artist.portrait.open("rb") as stored:
        assert not Image.open(stored).getexif()


@pytest.mark.parametrize("count", [1, 200])
def test_the_photos_page_makes_the_same_queries_for_1_and_200_photos(
    owner, clinic, count, django_assert_num_queries
):
    artist = clinic.artists.first()
    ClinicPhoto.objects.bulk_create(
        ClinicPhoto(
            clinic=clinic,
            image=f"clinics/sample-{n}.jpg",
            thumbnail=f"clinics/sample-{n}-w400.jpg",
            # Dimensions known: a row without them opens its file to find them.
            width=1200,
            height=900,
            thumb_width=400,
            thumb_height=300,
            alt_text=f"Sample photo {n}",
            stage="healed",
            months_healed=6,
            artist=artist,
        )
        for n in range(count)
    )
    owner.get(PHOTOS)
    # The session (read, and saved again in a savepoint: three statements), user,
    # authenticator, membership, the count waiting for staff, the photos with their
    # artists, which of them are public, the artists to choose from.
    with django_assert_num_queries(11):
        page = owner.get(PHOTOS).content.decode()
    assert page.count("Healed, 6 months after the last session") == count
