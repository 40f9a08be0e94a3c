from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import SitePage


class SitePagesSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        # The same list as pages/urls.py: every page has its address from the first
        # migrate and cannot be deleted, so no query is needed to list them.
        return ["home", *sorted(SitePage.Slug.values)]

    def location(self, item):
        return reverse(f"pages:{item}")


sitemaps = {"pages": SitePagesSitemap}
