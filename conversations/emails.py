"""The emails of a conversation: a new message to the other side (from the side's relay
address, so a reply lands in the thread), a reported message to staff, and the answer
to a reply by email that was not taken."""

from django.conf import settings
from django.urls import reverse

from outbox.kinds import EmailContent, email_kind
from quotes.links import absolute

from . import relay
from .links import artist_thread_path, client_thread_path, inbox_thread_path
from .models import MessageEmail, RefusalEmail

Kind = MessageEmail.Kind


def _context(email: MessageEmail) -> dict:
    message = email.message
    conversation = message.conversation
    delivery = conversation.delivery
    quote = conversation.quote
    contact = delivery.shows_client_contact()
    return {
        "message": message,
        "quote": quote,
        "clinic": delivery.clinic,
        "client_name": quote.name if contact else quote.first_name,
        # Photos stay behind the conversation's private page: never in an email.
        "photo_count": message.photos.count(),
    }


@email_kind(MessageEmail, Kind.TO_CLIENT, template="conversations/email/to_client")
def to_client(email: MessageEmail) -> EmailContent:
    conversation = email.message.conversation
    context = {
        **_context(email),
        "thread_url": absolute(client_thread_path(conversation.quote_id, conversation.delivery_id)),
    }
    return EmailContent(context, reply_to=[relay.client_address(conversation)])


@email_kind(MessageEmail, Kind.TO_ARTIST, template="conversations/email/to_artist")
def to_artist(email: MessageEmail) -> EmailContent:
    conversation = email.message.conversation
    context = {
        **_context(email),
        "thread_url": absolute(artist_thread_path(conversation.delivery_id)),
        "inbox_url": absolute(inbox_thread_path(conversation.delivery_id)),
    }
    return EmailContent(context, reply_to=[relay.artist_address(conversation)])


@email_kind(MessageEmail, Kind.TO_STAFF, template="conversations/email/to_staff")
def to_staff(email: MessageEmail) -> EmailContent:
    message = email.message
    conversation = message.conversation
    context = {
        **_context(email),
        "thread": list(conversation.messages.all()),
        "client_name": conversation.quote.name,
        "admin_url": settings.SITE_URL
        + reverse("admin:conversations_conversation_change", args=[conversation.pk]),
    }
    return EmailContent(context)


@email_kind(RefusalEmail, RefusalEmail.Kind.REFUSED, template="conversations/email/refused")
def refused(email: RefusalEmail) -> EmailContent:
    return EmailContent({"reason": email.reason})
