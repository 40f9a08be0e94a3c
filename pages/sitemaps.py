from functools import cached_property

from django.urls import reverse

from common.languages import CODES
from common.sitemaps import LanguageSitemap, languages_of, per_language

from .models import SitePage


class SitePagesSitemap(LanguageSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        # The same list as pages/urls.py: every page has its address from the first
        # migrate and cannot be deleted, so no query is needed to list them.
        return ["home", *sorted(SitePage.Slug.values)]

    @cached_property
    def _written(self) -> dict[str, tuple[str, ...]]:
        # One query a section page (none for the index): each page's languages.
        flags = SitePage.language_flags()
        rows = SitePage.objects.annotate(**flags).values_list("slug", *flags)
        return {slug: languages_of(written) for slug, *written in rows}

    def item_languages(self, item):
        if item == "home":
            return CODES  # the interface's own text: in every language
        return self._written.get(item, ())

    def location(self, item):
        return reverse(f"pages:{item}")


sitemaps = per_language({"pages": SitePagesSitemap})
