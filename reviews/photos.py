"""Review photos: sanitised in the worker like every photo, then fingerprinted and compared
with every gallery and review photo on the site (common/fingerprints.py)."""

import io
import logging
from datetime import timedelta

from django.utils import timezone

from common import fingerprints
from common.photos import PhotoUnreadable, delete_quietly, sanitise_stored, save_or_leave_nothing
from outbox import queue

from .models import ReviewPhoto

logger = logging.getLogger(__name__)

SANITISE_TASK = "reviews.tasks.sanitise_review_photos"
LONG_SIDE = 1600  # what a profile's photo opens at
THUMB_SIDE = 400  # what the review shows


def enqueue_sanitising(review_id: int) -> None:
    queue.enqueue_on_commit(SANITISE_TASK, review_id)


def sanitise_review_photos(review_id: int) -> int:
    """Re-encode each unsanitised photo of a review without metadata; the original goes.

    A photo that passed the upload checks but cannot be decoded is deleted: nobody sees
    a photo that was not sanitised. Any other error (storage full or out of reach)
    propagates with every photo kept and nothing half-written: the sweeper enqueues the
    review again.
    """
    done = 0
    for photo in ReviewPhoto.objects.filter(review_id=review_id, sanitised=False):
        try:
            _sanitise(photo)
        except PhotoUnreadable:
            logger.warning("Review photo %s could not be decoded; removed", photo.pk, exc_info=True)
            photo.delete()
            continue
        done += 1
    return done


def _sanitise(photo: ReviewPhoto) -> None:
    storage = photo.file.storage
    original = photo.file.name
    (content, info), (thumbnail, thumb) = sanitise_stored(
        storage, original, (LONG_SIDE, THUMB_SIDE)
    )
    fingerprint = fingerprints.fingerprint(io.BytesIO(content.read()))
    content.seek(0)
    names = save_or_leave_nothing(
        storage,
        [
            (photo.file.field.generate_filename(photo, "photo.jpg"), content),
            (photo.thumbnail.field.generate_filename(photo, "thumb.jpg"), thumbnail),
        ],
    )
    photo.file.name, photo.thumbnail.name = names
    photo.fingerprint = fingerprint
    photo.width, photo.height = info.width, info.height
    photo.thumb_width, photo.thumb_height = thumb.width, thumb.height
    photo.sanitised = True
    try:
        photo.save()
    except BaseException:
        delete_quietly(storage, names)
        raise
    storage.delete(original)
    notes = fingerprints.check_new_photo(photo.fingerprint, source="review", pk=photo.pk)
    if notes:
        flag_review_photo(photo.pk, " ".join(notes))


def sweep_unsanitised(now=None) -> int:
    """Enqueue again reviews whose photos were never sanitised (a lost task)."""
    now = now or timezone.now()
    ids = set(
        ReviewPhoto.objects.filter(sanitised=False, created_at__lt=now - timedelta(minutes=10))
        .values_list("review_id", flat=True)
        .distinct()
    )
    for review_id in ids:
        queue.enqueue(SANITISE_TASK, review_id)
    return len(ids)


def flag_review_photo(pk: int, note: str) -> None:
    photo = ReviewPhoto.objects.filter(pk=pk).only("match_details").first()
    if photo is not None:
        ReviewPhoto.objects.filter(pk=pk).update(
            match_found_at=timezone.now(),
            match_details=f"{photo.match_details}\n{note}".strip()[-2000:],
            match_cleared_at=None,
        )


def _stored_photos():
    rows = ReviewPhoto.objects.exclude(fingerprint="").values_list(
        "pk", "review__clinic_id", "fingerprint"
    )
    return [fingerprints.StoredPhoto("review", pk, clinic, fp) for pk, clinic, fp in rows]


def _describe(pk: int) -> str:
    photo = ReviewPhoto.objects.select_related("review__clinic").filter(pk=pk).first()
    if photo is None:
        return f"review photo {pk}"
    return f"review photo {pk}, in a review of {photo.review.clinic.name}"


def register_fingerprints() -> None:
    fingerprints.register(
        fingerprints.Source(
            name="review", photos=_stored_photos, flag=flag_review_photo, describe=_describe
        )
    )
