from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clinics.sample_data import sample_clinics_exist


def site(request):
    """Values every page's base template needs."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def sample_data(request):
    """`sample_data_notice`: true while sample clinics exist (includes/sample_notice.html).

    Lazy: a template that never shows the notice (emails, admin) never asks.
    """
    return {"sample_data_notice": SimpleLazyObject(sample_clinics_exist)}
