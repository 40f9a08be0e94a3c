from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from clinics.sample_data import sample_clinics_exist
from common.languages import alternates, hreflang


def site(request):
    """Values every page's base template needs."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def languages(request):
    """`page_languages`: this page in each language, for the head's `hreflang` links and the
    switcher (lazy: emails and the admin never ask); `page_hreflang`: this page's own."""
    return {
        "page_languages": SimpleLazyObject(lambda: alternates(request)),
        "page_hreflang": hreflang(get_language() or settings.LANGUAGE_CODE),
    }


def sample_data(request):
    """`sample_data_notice`: true while sample clinics exist (includes/sample_notice.html).

    Lazy: a template that never shows the notice (emails, admin) never asks.
    """
    return {"sample_data_notice": SimpleLazyObject(sample_clinics_exist)}
