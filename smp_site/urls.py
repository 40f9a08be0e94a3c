from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from articles.sitemaps import sitemaps as article_sitemaps
from clinics.sitemaps import sitemaps as clinic_sitemaps
from common import health, languages
from common.page_cache import cache_public_page
from common.staff_auth import StaffAdminSite
from outbox import views as outbox_views
from pages.sitemaps import sitemaps as page_sitemaps
from training.sitemaps import sitemaps as training_sitemaps

from . import views

sitemaps = {**page_sitemaps, **clinic_sitemaps, **article_sitemaps, **training_sitemaps}

# Two-factor sign-in and its checks (common/staff_auth.py), on the one admin site:
# before admin.site.urls below, which wraps each view with the site's admin_view.
admin.site.__class__ = StaffAdminSite

# Every page a visitor reads, in each language: English at its address, German, Spanish
# and French under /de/, /es/ and /fr/ (common/languages.py says why English has none).
# The admin, probes, sitemaps, robots.txt and webhooks below have one address each.
urlpatterns = i18n_patterns(
    path("", include("pages.urls")),
    path("", include("clinics.urls")),
    path("", include("applications.urls")),
    path("quote/", include("quotes.urls")),
    path("quote/", include("conversations.urls")),
    path("", include("articles.urls")),
    path("training/", include("training.urls")),
    path("reviews/", include("reviews.urls")),
    path("clinic-account/", include("members.urls")),
    path("clinic-account/requests/", include("quotes.inbox_urls")),
    path("clinic-account/requests/", include("conversations.inbox_urls")),
    path("clinic-account/listing/", include("listing_changes.urls")),
    path("clinic-account/reviews/", include("reviews.account_urls")),
    path("clinic-account/credentials/", include("credentials.account_urls")),
    path("clinic-account/training/", include("training.account_urls")),
    # The strings the site's scripts show (static/js/), in the page's language: the
    # djangojs catalogue of locale/ only (smp_site has none of its own; Django's admin
    # catalogues would add its words to every visitor's download). Built per request by
    # Django, so it is kept in the page cache like a page; its address names the language.
    path(
        "i18n/scripts.js",
        cache_public_page(JavaScriptCatalog.as_view(packages=["smp_site"])),
        name="javascript-catalog",
    ),
    prefix_default_language=False,
) + [
    # The language switcher's form (POST: it sets the visitor's language cookie).
    path("i18n/language/", languages.switch_language, name="set-language"),
    # Staff emails and bookmarks from before applications and credentials left the clinics
    # app name their old admin addresses.
    re_path(
        r"^admin/clinics/clinicapplication/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/applications/clinicapplication/%(rest)s", query_string=True
        ),
    ),
    re_path(
        r"^admin/clinics/credential/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/credentials/credential/%(rest)s", query_string=True),
    ),
    # The admin index's "send all failed emails again": an admin view (sign-in, 2FA).
    path(
        "admin/outbox/resend-failed/",
        admin.site.admin_view(outbox_views.resend_all_failed),
        name="outbox-resend-failed",
    ),
    path("admin/", admin.site.urls),
    # Answered by common.health.HealthCheckMiddleware first; named here for reverse().
    path("healthz/", health.ready, name="healthz"),
    path("healthz/ready/", health.ready, name="healthz-ready"),
    path("healthz/live/", health.live, name="healthz-live"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # An index of section sitemaps, each paginated (1,000 URLs a page) so none grows huge.
    path("sitemap.xml", cache_public_page(views.sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        cache_public_page(sitemap_views.sitemap, params=("p",)),
        # Jinja2's (common/jinja2/): the same XML as Django's template, several times faster.
        {"sitemaps": sitemaps, "template_name": "sitemaps/urlset.xml"},
        name="sitemap-section",
    ),
]

if settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
    # Replies by email to a conversation's relay address (conversations/inbound.py), as
    # Mailgun's inbound route posts them: anymail checks each one's signature.
    urlpatterns.append(
        path(
            "anymail/mailgun/inbound/",
            MailgunInboundWebhookView.as_view(),
            name="mailgun-inbound",
        )
    )

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # ESP tracking webhooks (delivered, bounced), at /anymail/<esp>/tracking/. Mounted only
    # with a secret: without one anymail would accept anyone's events with just a warning.
    urlpatterns.append(path("anymail/", include("anymail.urls")))

if settings.BENCH:
    # The tools app is installed whenever BENCH is on (settings.py).
    urlpatterns.append(path("_bench/", include("tools.urls")))

if settings.SERVE_MEDIA:
    # Public images from local storage (development, tests, the benchmark). In production
    # they come from S3 and this is off. Quote photos are never under MEDIA_ROOT.
    from django.views.static import serve

    def serve_media(request, path):
        # MEDIA_ROOT is read per request, not at import: tests give each test its own.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))

admin.site.site_header = "SMP Clinic Finder staff"
admin.site.site_title = "SMP Clinic Finder staff"

# A database that is briefly away answers 503 with a calm page (smp_site/views.py).
handler500 = "smp_site.views.server_error"
