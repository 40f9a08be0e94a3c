"""Signals quotes sends for other apps, and photo files that follow their rows."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from outbox.signals import email_failed

# Sent by QuoteRequest.erase(), inside its transaction, with `quote` and `retention`
# (True when the retention rule erased it rather than the client). Apps that keep
# something about a request (reviews) listen, so quotes never imports them.
request_erased = Signal()

# Sent when an email to an artist about a request is written, with `delivery` (the
# request as it went to that artist). A receiver returns the address the artist's reply
# should go to: the conversation's relay address (conversations/signals.py), so a reply
# reaches the client without the artist learning their address. No answer: no Reply-To.
artist_reply_address = Signal()


@receiver(post_delete, sender="quotes.QuotePhoto", dispatch_uid="quotes-photo-file")
def delete_photo_file(sender, instance, **kwargs):
    """Deleting a request (or a photo) deletes the file, once the deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(email_failed, dispatch_uid="quotes-undelivered")
def tell_client_an_artist_was_not_reached(sender, row, **kwargs):
    """A request that did not reach an artist: its client is told (QuoteRequest)."""
    if sender._meta.label == "quotes.QuoteDelivery" and row.kind == row.Kind.ARTIST:
        row.quote.tell_client_not_delivered(row)
