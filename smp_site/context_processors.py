from django.conf import settings


def site(request):
    """Values every page's base template needs."""
    return {"site_name": settings.SITE_NAME}
