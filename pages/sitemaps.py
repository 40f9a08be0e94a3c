from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SitePagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["pages:home"]

    def location(self, item):
        return reverse(item)


sitemaps = {"pages": SitePagesSitemap}
