"""Gallery photos and artists' portraits, uploaded from a clinic's account.

Every new photo bears on trust, so none shows before staff approve it. An upload is
checked before anything is stored (type, size, pixels, damage, decode cost: the same
rules as a client's photos), then sanitised (no EXIF or GPS, upright, capped), stored
and fingerprinted against every photo on the site (common/fingerprints.py) in the same
request, so staff see the photo and what copy detection found together. The owner
uploads for any of the clinic's artists; an artist member only their own work.
"""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from clinics.models import Artist, ClinicPhoto, artist_portrait_path
from common.decorators import accepts_photos
from common.photos import PhotoRejected, delete_quietly, display_name, sanitise
from members.access import member_required

from .forms import GalleryPhotoForm, PortraitForm
from .models import NEW_PHOTO, PORTRAIT, ListingChange, delete_photo

# Photos waiting for staff at once, per clinic: enough for a whole gallery, not a flood.
MAX_WAITING_PHOTOS = 30
PORTRAIT_LONG_SIDE = 1200


def _photos_of(member):
    photos = ClinicPhoto.objects.filter(clinic=member.clinic)
    if member.is_owner:
        return photos
    return photos.filter(artist_id=member.artist_id or 0)


def _artists_for(member):
    artists = Artist.objects.filter(clinic=member.clinic)
    return artists if member.is_owner else artists.filter(pk=member.artist_id or 0)


def _pending_keys(clinic) -> set[str]:
    keys: set[str] = set()
    for changes in (
        ListingChange.objects.pending().filter(clinic=clinic).values_list("changes", flat=True)
    ):
        keys.update(changes)
    return keys


def _state(photo: ClinicPhoto, public_ids: set[int]) -> str:
    if photo.pk in public_ids:
        return _("On your profile")
    if photo.match_found_at and not photo.match_cleared_at:
        return _("Held: it looks like a photo already on the site, and our staff are checking")
    if photo.consent_confirmed_at is None:
        return _("Waiting for our staff")
    return _("Not shown: our staff have not set what it shows yet")


@accepts_photos(rate_setting="PHOTO_FORM_POST_RATE_LIMIT", group="listing-photos")
@member_required
def photos(request):
    member = request.member
    artists = _artists_for(member)
    form = GalleryPhotoForm(
        request.POST or None,
        request.FILES or None,
        artists=artists,
        refused_files=request.refused_photos,
    )
    if not member.is_owner:
        # An artist member shows their own work; the studio is the owner's to show.
        form.fields["stage"].choices = [
            choice for choice in ClinicPhoto.Stage.choices if choice[0] != ClinicPhoto.Stage.STUDIO
        ]
    mine = _photos_of(member)
    waiting = ClinicPhoto.objects.filter(
        clinic=member.clinic, consent_confirmed_at__isnull=True
    ).count()
    if request.method == "POST" and waiting >= MAX_WAITING_PHOTOS:
        form.add_error(
            None,
            ngettext(
                "%(count)d of your photos is waiting for our staff already. "
                "Please add more once they have checked it.",
                "%(count)d of your photos are waiting for our staff already. "
                "Please add more once they have checked those.",
                MAX_WAITING_PHOTOS,
            )
            % {"count": MAX_WAITING_PHOTOS},
        )
    elif request.method == "POST" and form.is_valid():
        content = _sanitised(form)
        if content is not None:
            _store_gallery_photo(request, form, content)
            return redirect("listing_changes:photos")
    listed = list(mine.select_related("artist").order_by("-pk"))
    public_ids = set(mine.public().values_list("pk", flat=True))
    return render(
        request,
        "listing_changes/photos.html",
        {
            "member": member,
            "form": form,
            "rows": [(photo, _state(photo, public_ids)) for photo in listed],
            "account_section": "photos",
        },
        status=400 if form.is_bound else 200,
    )


def _sanitised(form, long_side: int | None = None) -> ContentFile | None:
    """The form's photo re-encoded without its metadata, or None with the form told why.

    Only bytes in memory are decoded here: a storage error is not caught."""
    upload = form.cleaned_data["photo"]
    try:
        content, _info = sanitise(upload, long_side=long_side)
    except MemoryError:
        raise
    except Exception:
        form.add_error("photo", PhotoRejected("damaged", display_name(upload.name)).args[0])
        return None
    return ContentFile(content.read(), name="photo.jpg")


def _store_gallery_photo(request, form: GalleryPhotoForm, content: ContentFile) -> None:
    data = form.cleaned_data
    clinic = request.member.clinic
    photo = ClinicPhoto(
        clinic=clinic,
        image=content,
        stage=data["stage"],
        artist=data["artist"] if data["stage"] != ClinicPhoto.Stage.STUDIO else None,
        months_healed=data["months_healed"],
        alt_text=data["alt_text"],
        order=ClinicPhoto.objects.filter(clinic=clinic).count(),
    )
    photo.sanitised = True  # type: ignore[attr-defined]  # by _sanitised: save() need not redo it
    try:
        with transaction.atomic():
            # Sanitised, thumbnailed and fingerprinted on save (ClinicPhoto.save); not
            # public until staff record the consent the clinic declared.
            photo.save()
            ListingChange.record(
                clinic,
                request.user,
                {
                    f"{NEW_PHOTO}{photo.pk}": {
                        "label": "A new gallery photo",
                        "before": None,
                        "after": {
                            "photo": photo.pk,
                            "caption": photo.caption,
                            "alt_text": photo.alt_text,
                            "consent": "declared by the clinic on upload",
                        },
                    }
                },
                checked=True,
            )
    except BaseException:
        # The rows rolled back: their files go too (no orphan file).
        if photo.image._committed:
            delete_quietly(default_storage, [photo.image.name, photo.thumbnail.name])
        raise
    request.over_rate_limit()
    messages.success(
        request,
        _("Thank you: our staff check every new photo before your profile shows it."),
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove_photo(request, photo_id: int):
    """Said first, then done: removing a photo can't be undone."""
    member = request.member
    photo = get_object_or_404(_photos_of(member), pk=photo_id)
    if request.method == "POST":
        key = f"{NEW_PHOTO}{photo.pk}"
        with transaction.atomic():
            for change in ListingChange.objects.pending().filter(
                clinic=member.clinic, changes__has_key=key
            ):
                change.withdraw()
            ListingChange.record(
                member.clinic,
                request.user,
                {
                    f"removed_photo:{photo.pk}": {
                        "label": "Gallery photo removed",
                        "before": photo.caption,
                        "after": None,
                    }
                },
                checked=False,
            )
            delete_photo(photo)
        messages.success(request, _("Photo removed: your profile no longer shows it."))
        return redirect("listing_changes:photos")
    return render(
        request,
        "listing_changes/remove_photo.html",
        {"member": member, "photo": photo, "account_section": "photos"},
    )


@accepts_photos(rate_setting="PHOTO_FORM_POST_RATE_LIMIT", group="listing-photos")
@member_required
def portrait(request, artist_id: int):
    """A new portrait for an artist: sanitised, stored, and shown once staff approve."""
    member = request.member
    artist = _artists_for(member).filter(pk=artist_id).first()
    if artist is None:
        raise Http404("No such artist in your clinic.")
    form = PortraitForm(
        request.POST or None, request.FILES or None, refused_files=request.refused_photos
    )
    content = None
    if request.method == "POST" and form.is_valid():
        content = _sanitised(form, long_side=PORTRAIT_LONG_SIDE)
    if content is not None:
        name = default_storage.save(artist_portrait_path(artist, "portrait.jpg"), content)
        try:
            ListingChange.record(
                member.clinic,
                request.user,
                {
                    f"{PORTRAIT}{artist.pk}": {
                        "label": f"{artist.name}: new portrait",
                        "before": artist.portrait.name or None,
                        "after": {"file": name, "artist": artist.name},
                    }
                },
                checked=True,
            )
        except BaseException:
            default_storage.delete(name)
            raise
        request.over_rate_limit()
        messages.success(
            request, _("Thank you: the new portrait shows once our staff have checked it.")
        )
        return redirect("listing_changes:artists")
    waiting = f"{PORTRAIT}{artist.pk}" in _pending_keys(member.clinic)
    return render(
        request,
        "listing_changes/portrait.html",
        {
            "member": member,
            "artist": artist,
            "form": form,
            "waiting": waiting,
            "account_section": "artists",
        },
        status=400 if form.is_bound else 200,
    )
