"""The relay addresses of a conversation: reply+<token>@<RELAY_EMAIL_DOMAIN>.

Each conversation has two, one per side (`Conversation.client_token`, `artist_token`):
the notifications to the client come from the client's, so whatever arrives at it was
written by the client, and the same for the artist. A token is 120 random bits, kept in
the database: unguessable, and gone with its conversation when the request is erased.
"""

import re

from django.conf import settings

from .models import Conversation

PREFIX = "reply+"
_TOKEN = re.compile(r"^reply\+([0-9a-f]{30})@(.+)$", re.IGNORECASE)


def domain() -> str:
    """The domain of relay addresses: RELAY_EMAIL_DOMAIN, else the sender's."""
    if settings.RELAY_EMAIL_DOMAIN:
        return settings.RELAY_EMAIL_DOMAIN
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ").lower()


def address(token: str) -> str:
    return f"{PREFIX}{token}@{domain()}"


def client_address(conversation: Conversation) -> str:
    return address(conversation.client_token)


def artist_address(conversation: Conversation) -> str:
    return address(conversation.artist_token)


def token_in(addresses: list[str]) -> str | None:
    """The first relay token among these addresses (of our domain), lower case."""
    ours = domain()
    for text in addresses:
        found = _TOKEN.match(text.strip())
        if found and found.group(2).lower() == ours:
            return found.group(1).lower()
    return None


def find(token: str) -> tuple[Conversation, str] | None:
    """The conversation a relay token belongs to and the side that writes to it."""
    conversation = (
        Conversation.objects.select_related("quote", "delivery__clinic")
        .filter(client_token=token)
        .first()
    )
    if conversation is not None:
        return conversation, "client"
    conversation = (
        Conversation.objects.select_related("quote", "delivery__clinic")
        .filter(artist_token=token)
        .first()
    )
    if conversation is not None:
        return conversation, "artist"
    return None
