"""The Atom feed of published articles, newest first, one per language (its address's)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext, gettext_lazy

from .models import Article

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("articles:list")
    subtitle = gettext_lazy(
        "Guides to scalp micropigmentation: how it works, who it suits, aftercare, cost."
    )

    def title(self) -> str:
        return gettext("%(site)s: articles") % {"site": settings.SITE_NAME}

    def items(self):
        # The articles written in the feed's language: a German reader's feed lists no
        # English article (the site's own list shows those, saying so).
        return (
            Article.objects.published()
            .filter(Article.written_in(get_language()))
            .for_cards()
            .newest_first()[:FEED_LENGTH]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Atom summaries are typed HTML: a plain-text summary is escaped into it.
        return escape(item.summary)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]
