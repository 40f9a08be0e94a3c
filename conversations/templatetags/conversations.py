"""What the quotes app's pages show of the conversations, without quotes importing this
app: how many messages each artist's conversation with a client holds, and whether the
newest came from the other side (an answer waiting to be read)."""

from dataclasses import dataclass

from django import template
from django.db.models import Count, Max

from conversations.models import Message

register = template.Library()


@dataclass(frozen=True)
class ThreadState:
    count: int = 0
    last_side: str = ""  # "client" or "artist": who wrote the newest message


@register.simple_tag(takes_context=True)
def thread_state(context, quote_id: int, delivery_id: int) -> ThreadState:
    """The conversation of one artist's delivery. Every artist's of the request come in
    two queries, kept for the rest of the render."""
    cache = context.render_context.setdefault("conversation_states", {})
    if quote_id not in cache:
        messages = Message.objects.filter(conversation__quote_id=quote_id)
        counts = dict(messages.values_list("conversation__delivery_id").annotate(count=Count("pk")))
        newest = dict(messages.values_list("conversation__delivery_id").annotate(last=Max("pk")))
        sides = dict(Message.objects.filter(pk__in=newest.values()).values_list("pk", "side"))
        cache[quote_id] = {
            delivery: ThreadState(counts[delivery], sides.get(newest[delivery], ""))
            for delivery in counts
        }
    return cache[quote_id].get(delivery_id, ThreadState())
