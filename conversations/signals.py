"""What conversations answer of the quotes app's signals: a request erased takes its
conversations with it (every message, their unsent emails, and the relay addresses: a
reply to one then gets the "closed" answer), and an artist's request email replies to
the artist's relay address."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from quotes.signals import artist_reply_address, request_erased

from . import relay
from .models import Conversation


@receiver(request_erased, dispatch_uid="conversations-erased-with-request")
def erase_conversations(sender, quote, **kwargs) -> None:
    Conversation.objects.filter(quote=quote).delete()


@receiver(artist_reply_address, dispatch_uid="conversations-artist-relay-address")
def artist_relay_address(sender, delivery, **kwargs) -> str:
    """A reply to the request's email goes into the artist's conversation with the client
    (made on first use)."""
    return relay.artist_address(Conversation.objects.for_delivery(delivery))


@receiver(post_delete, sender="conversations.MessagePhoto", dispatch_uid="conversations-photo-file")
def delete_photo_file(sender, instance, **kwargs) -> None:
    """A photo's row deleted (with its message, its request) deletes its file, once the
    deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
