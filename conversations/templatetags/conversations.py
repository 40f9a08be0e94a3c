"""What the quotes app's pages show of the conversations, without quotes importing this
app: the number of messages in each artist's conversation with a client."""

from django import template
from django.db.models import Count

from conversations.models import Message

register = template.Library()


@register.simple_tag(takes_context=True)
def message_count(context, quote_id: int, delivery_id: int) -> int:
    """Messages in the conversation of one artist's delivery. The counts of every artist
    of the request come in one query, kept for the rest of the render."""
    cache = context.render_context.setdefault("conversation_counts", {})
    if quote_id not in cache:
        rows = (
            Message.objects.filter(conversation__quote_id=quote_id)
            .values_list("conversation__delivery_id")
            .annotate(count=Count("pk"))
        )
        cache[quote_id] = dict(rows)
    return cache[quote_id].get(delivery_id, 0)
