from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from clinics.sitemaps import sitemaps as clinic_sitemaps

from . import views

sitemaps = {**clinic_sitemaps}

urlpatterns = [
    path("", include("clinics.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
]

if settings.SERVE_MEDIA:
    # Public images from local storage (development, tests, the benchmark). In production
    # they come from S3 and this is off. Quote photos are never under MEDIA_ROOT.
    from django.views.static import serve

    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

admin.site.site_header = "SMP Clinic Finder staff"
admin.site.site_title = "SMP Clinic Finder staff"
