"""The private links of a conversation: under the request's comparison link for the
client, under the artist's reply link for the artist (same tokens, same lifetimes)."""

from django.core import signing
from django.urls import reverse

from quotes.links import COMPARE_SALT, REPLY_SALT


def client_thread_path(quote_id: int, delivery_id: int) -> str:
    token = signing.dumps(quote_id, salt=COMPARE_SALT)
    return reverse("conversations:client-thread", args=[token, delivery_id])


def artist_thread_path(delivery_id: int) -> str:
    token = signing.dumps(delivery_id, salt=REPLY_SALT)
    return reverse("conversations:artist-thread", args=[token])


def inbox_thread_path(delivery_id: int) -> str:
    return reverse("conversations_inbox:thread", args=[delivery_id])
