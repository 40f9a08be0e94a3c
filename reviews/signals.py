"""A review goes with its request when the client erases it, and photo files follow rows."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from quotes.signals import request_erased

from .models import Review, ReviewInvite, ReviewPhoto


@receiver(request_erased, dispatch_uid="reviews-erase-with-request")
def erase_reviews(sender, quote, retention: bool, **kwargs) -> None:
    """The client erased their request: their invitations, reviews, photos and the
    clinic's replies go too, inside the same transaction.

    Not when the retention rule erased it: the review is what the client chose to
    publish, and stays until they withdraw it (its own link) or erase the request.
    """
    if retention:
        return
    invites = ReviewInvite.objects.filter(quote=quote)
    clinic_ids = set(invites.values_list("clinic_id", flat=True))
    for photo in ReviewPhoto.objects.filter(review__invite__quote=quote):
        photo.delete()
    invites.delete()  # reviews, replies and their emails cascade
    for clinic_id in clinic_ids:
        Review.objects.refresh_rating(clinic_id)


@receiver(post_delete, sender=ReviewPhoto, dispatch_uid="reviews-photo-files")
def delete_photo_files(sender, instance: ReviewPhoto, **kwargs) -> None:
    for file in (instance.file, instance.thumbnail):
        if file.name:
            transaction.on_commit(partial(file.storage.delete, file.name))
