"""Photo files follow their rows."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import QuotePhoto


@receiver(post_delete, sender=QuotePhoto)
def delete_photo_file(sender, instance: QuotePhoto, **kwargs):
    """Deleting a request (or a photo) deletes the file, once the deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
