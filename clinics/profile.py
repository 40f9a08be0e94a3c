"""What a clinic's profile shows of its artists and gallery, read as plain values.

The clinic's row brings its artists as a JSON list (`ClinicQuerySet.with_artists()`),
and the public gallery is one query of the few columns the page shows: no model instance
per artist or photo, whose building took longer than the page's use of them.
"""

from dataclasses import dataclass

from .models import Artist, Clinic, ClinicPhoto, photo_caption

# `ClinicPhotoQuerySet.healed_first()`'s order: healed results, then straight after a
# session and before, then the studio; then the clinic's own order.
_STAGE_RANK = {
    ClinicPhoto.Stage.HEALED: 0,
    ClinicPhoto.Stage.FRESH: 1,
    ClinicPhoto.Stage.BEFORE: 1,
}


@dataclass(frozen=True)
class ProfileArtist:
    name: str
    bio: str
    since_year: int | None
    portrait_url: str  # "" without a portrait


@dataclass(frozen=True)
class GalleryPhoto:
    url: str  # the full-size image
    width: int | None
    height: int | None
    thumb_url: str  # "" before its thumbnail is made
    thumb_width: int | None
    thumb_height: int | None
    alt_text: str
    stage: str
    caption: str


def artists(clinic: Clinic) -> list[ProfileArtist]:
    """The clinic's artists in their order, from `with_artists()`."""
    storage = Artist._meta.get_field("portrait").storage
    return [
        ProfileArtist(
            name=row["name"],
            bio=row["bio"],
            since_year=row["since_year"],
            portrait_url=storage.url(row["portrait"]) if row["portrait"] else "",
        )
        for row in clinic.artist_list or ()
    ]


def gallery(clinic: Clinic) -> list[GalleryPhoto]:
    """The photos the public may see (`ClinicPhotoQuerySet.public`), healed results first."""
    rows = (
        ClinicPhoto.objects.public()
        .filter(clinic_id=clinic.pk)
        .order_by()
        .values_list(
            "id",
            "order",
            "image",
            "width",
            "height",
            "thumbnail",
            "thumb_width",
            "thumb_height",
            "alt_text",
            "stage",
            "months_healed",
            "artist__name",
        )
    )
    image = ClinicPhoto._meta.get_field("image").storage
    thumbnail = ClinicPhoto._meta.get_field("thumbnail").storage
    ordered = sorted(rows, key=lambda row: (_STAGE_RANK.get(row[9], 2), row[1], row[0]))
    return [
        GalleryPhoto(
            url=image.url(name),
            width=width,
            height=height,
            thumb_url=thumbnail.url(thumb) if thumb else "",
            thumb_width=thumb_width,
            thumb_height=thumb_height,
            alt_text=alt_text,
            stage=stage,
            caption=photo_caption(stage, months, artist_name),
        )
        for (
            _pk,
            _order,
            name,
            width,
            height,
            thumb,
            thumb_width,
            thumb_height,
            alt_text,
            stage,
            months,
            artist_name,
        ) in ordered
    ]
