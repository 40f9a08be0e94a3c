"""The Atom feed of upcoming training events, soonest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy

from .models import Event

FEED_LENGTH = 30


class UpcomingEventsFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("training:list")
    subtitle = gettext_lazy(
        "Masterclasses, courses and conferences for scalp micropigmentation artists."
    )

    def title(self) -> str:
        return gettext("%(site)s: upcoming training") % {"site": settings.SITE_NAME}

    def items(self):
        return (
            Event.objects.published()
            .upcoming()
            .select_related("city")
            .order_by("starts_at", "name")[:FEED_LENGTH]
        )

    def item_title(self, item: Event) -> str:
        return f"{item.name}: {item.dates_text}, {item.place}"

    def item_description(self, item: Event) -> str:
        # Atom summaries are typed HTML: a plain-text summary is escaped into it.
        return escape(item.summary)

    def item_pubdate(self, item: Event):
        return item.published_at

    def item_updateddate(self, item: Event):
        return item.updated_at

    def item_author_name(self, item: Event) -> str:
        return item.organiser
