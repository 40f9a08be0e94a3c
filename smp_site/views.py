"""Site-wide views: robots.txt and the error pages (the health checks are in
common/health.py)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
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
        "Disallow: /clinic-account/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


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
