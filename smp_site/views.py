"""Site-wide views: robots.txt (the health checks are in common/health.py)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from common.addresses import absolute_url


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /near-me/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
