"""Site-wide pages that belong to no single part of the directory: the home page."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import Article
from clinics.forms import SearchForm
from clinics.models import City
from smp_site.page_cache import cache_public_page
from training.models import TrainingClass


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
            "featured_cities": list(featured),
            "search_form": SearchForm(),
            "latest_articles": list(latest_articles),
            "latest_classes": list(latest_classes),
        },
    )
