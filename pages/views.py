"""Site-wide pages that belong to no single part of the directory: the home page, and the
icon files browsers ask for at fixed addresses."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.models import Article
from clinics.forms import SearchForm
from clinics.models import City
from smp_site.page_cache import cache_public_page


@require_safe
@cache_public_page
def home(request):
    featured = City.objects.with_listed_clinics().order_by("-clinic_count", "name")[
        : settings.FEATURED_CITY_COUNT
    ]
    latest_articles = Article.objects.published().for_cards().newest_first()[:3]
    return render(
        request,
        "pages/home.html",
        {
            "featured_cities": list(featured),
            "search_form": SearchForm(),
            "latest_articles": list(latest_articles),
        },
    )


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers (and the admin, which links no icon) ask for /favicon.ico at the root."""
    return redirect(static("img/icons/favicon.ico"), permanent=True)


@require_safe
@cache_control(max_age=86400, public=True)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the name and icons a phone uses when the site is added to
    its home screen. A view, so the icons' addresses are the hashed static ones."""
    icon = {"type": "image/png"}
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": "SMP Finder",
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#1f3a5f",
        "icons": [
            {**icon, "src": static("img/icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("img/icons/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("img/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest)
    response["Content-Type"] = "application/manifest+json"
    return response
