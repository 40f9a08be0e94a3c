from django.urls import path

from . import views
from .models import SitePage

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact-sent"),
    # One address per page, each named after its slug: {% url 'pages:privacy' %}.
    *[
        path(f"{slug}/", views.site_page, {"slug": slug}, name=slug)
        for slug in SitePage.Slug.values
    ],
    path("favicon.ico", views.favicon, name="favicon"),
    path("site.webmanifest", views.web_manifest, name="web-manifest"),
]
