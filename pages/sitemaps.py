from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import SitePage


class SitePagesSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["home", *SitePage.objects.order_by("slug").values_list("slug", flat=True)]

    def location(self, item):
        return reverse(f"pages:{item}")


sitemaps = {"pages": SitePagesSitemap}
