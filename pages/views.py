"""Site-wide pages: the home page, the pages that say who we are and what we do with
people's data, the contact form, and the icon files browsers ask for at fixed addresses."""

import logging

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Article
from clinics.forms import SearchForm
from clinics.models import City
from common.client_ip import client_ip_hash
from common.decorators import over_form_limits
from common.languages import current_language, show_text
from common.page_cache import cache_public_page
from training.models import TrainingClass

from .forms import ContactForm
from .models import ContactMessage, SitePage

logger = logging.getLogger(__name__)

# Said to a reader of a language the page is not written in yet (whole sentences: see
# articles/views.py).
PAGE_NOT_TRANSLATED = {
    "de": _("This page is not yet available in German; here it is in English."),
    "es": _("This page is not yet available in Spanish; here it is in English."),
    "fr": _("This page is not yet available in French; here it is in English."),
}


@require_safe
@cache_public_page
def home(request):
    featured = City.objects.with_listed_clinics().order_by("-clinic_count", "name")[
        : settings.FEATURED_CITY_COUNT
    ]
    latest_articles = Article.objects.published().for_cards().newest_first()[:3]
    latest_classes = TrainingClass.objects.published().current().for_cards()[:3]
    return render(
        request,
        "pages/home.html",
        {
            "featured_cities": featured,
            "search_form": SearchForm(),
            "latest_articles": latest_articles,
            "latest_classes": latest_classes,
        },
    )


@require_safe
@cache_public_page
def site_page(request, slug: str):
    page = get_object_or_404(SitePage, slug=slug)
    context = {"page": page, **show_text(request, page, PAGE_NOT_TRANSLATED)}
    return render(request, "pages/site_page.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    if request.method != "POST":
        form = ContactForm(initial=_initial(request))
        return render(request, "pages/contact.html", {"form": form})
    form = ContactForm(request.POST)
    verdict = form.spam_verdict()
    if verdict.is_bot:
        logger.info("Contact form dropped as spam (%s)", verdict.reason)
        return redirect("pages:contact-sent")
    if not form.is_valid():
        return render(request, "pages/contact.html", {"form": form})
    existing = ContactMessage.objects.filter(form_nonce=form.submission_key()).first()
    if existing is not None:
        return _sent(existing)  # the same form posted again: the first answer, nothing sent
    message = form.save(commit=False)
    # Nothing a person sends is thrown away: doubtful messages reach staff, marked.
    message.check_reason = verdict.reason
    past_limit = over_form_limits(
        request, rate_setting="CONTACT_RATE_LIMIT", group="contact", address=message.email
    )
    if past_limit:
        message.check_reason = past_limit
    message.receipt_withheld = bool(past_limit)
    message.ip_hash = client_ip_hash(request)
    message.form_nonce = form.submission_key()
    message.language = current_language()  # the receipt's
    try:
        message.save()
    except IntegrityError:
        # Posted twice at once: the other one won.
        return _sent(ContactMessage.objects.get(form_nonce=form.submission_key()))
    message.send_emails()
    return _sent(message)


def _sent(message: ContactMessage):
    """The thanks page, saying whether a receipt went to the sender's address."""
    url = reverse("pages:contact-sent")
    return redirect(url + "?receipt=withheld" if message.receipt_withheld else url)


def _initial(request) -> dict:
    reference = request.GET.get("reference", "")[:16]
    return {"reference": reference, "topic": ContactMessage.Topic.QUOTE} if reference else {}


@require_safe
def contact_sent(request):
    withheld = request.GET.get("receipt") == "withheld"
    response = render(request, "pages/contact_sent.html", {"receipt_withheld": withheld})
    response["X-Robots-Tag"] = "noindex"
    return response


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
