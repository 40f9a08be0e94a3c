"""Site-wide views: robots.txt and the error pages (the health checks are in
common/health.py)."""

import sys

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import sitemaps as article_sitemaps
from clinics import sitemaps as clinic_sitemaps
from common.addresses import absolute_url
from pages.sitemaps import sitemaps as page_sitemaps
from training import sitemaps as training_sitemaps


@require_safe
def robots_txt(request):
    # Search results, near me and the clinic account in every language's address.
    prefixes = [""] + [
        f"/{code}" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(
            f"Disallow: {prefix}/{section}/"
            for section in ("search", "near-me", "clinic-account")
            for prefix in prefixes
        ),
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap_index(request):
    """Django's index of the sitemap sections (smp_site/urls.py), each app's sections made
    for this request, so that those counting the same rows share one query
    (common/sitemaps.py `SharedFigures`): the same sections, in the same order, as
    `sitemaps` in smp_site/urls.py: each section once per language."""
    sections = {
        **page_sitemaps,
        **clinic_sitemaps.for_index(),
        **article_sitemaps.for_index(),
        **training_sitemaps.for_index(),
    }
    # Rendered by Jinja2 (common/jinja2/sitemaps/index.xml), the same XML as Django's own
    # template: at 10,000 clinics the index lists 165 sections, and Django's template
    # took as long as the rest of the request.
    return sitemap_views.index(
        request, sections, template_name="sitemaps/index.xml", sitemap_url_name="sitemap-section"
    )


# How long a visitor is asked to wait when the database is away (a restart, a failover).
DATABASE_RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500: an unreachable database is a brief outage, not a bug, and gets a calm
    503 with Retry-After that says what did and did not happen; anything else gets the
    500 page. Both render without the database (no context processors)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        page = loader.get_template("503.html").render(
            {
                "sent_something": request.method == "POST",
                "retry_after": DATABASE_RETRY_AFTER_SECONDS,
            }
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
