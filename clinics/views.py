"""Public directory pages (only approved clinics appear on any of them), and applications."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django_countries import countries

from smp_site.client_ip import client_ip_hash
from smp_site.decorators import accepts_photos
from smp_site.page_cache import cache_public_page
from smp_site.pagination import page_or_404

from .applications import ClinicApplicationForm
from .forms import NearMeForm, RatingFilterForm, SearchForm
from .geo import nearest_clinics
from .models import City, Clinic, ClinicApplication, ClinicPhoto, Credential, cover_columns
from .text import country_code

logger = logging.getLogger(__name__)


def _country_or_404(slug: str) -> str:
    code = country_code(slug)
    if code is None:
        raise Http404("No such country")
    return code


def _city_or_404(country: str, city_slug: str) -> City:
    return get_object_or_404(City, country=_country_or_404(country), slug=city_slug)


@require_safe
@cache_public_page
def country_list(request):
    rows = (
        City.objects.with_listed_clinics()
        .values("country")
        .annotate(clinic_count=Sum("listed_clinic_count"), city_count=Count("id"))
        .order_by()
    )
    by_code = {row["country"]: row for row in rows}
    # django-countries iterates in name order, so the list needs no sorting here.
    country_rows = [
        {
            "code": code,
            "name": name,
            "clinic_count": by_code[code]["clinic_count"],
            "city_count": by_code[code]["city_count"],
        }
        for code, name in countries
        if code in by_code
    ]
    return render(request, "clinics/country_list.html", {"countries": country_rows})


@require_safe
@cache_public_page(params=("page",))
def country_detail(request, country: str):
    code = _country_or_404(country)
    cities = City.objects.with_listed_clinics().filter(country=code)
    totals = cities.aggregate(clinics=Sum("listed_clinic_count"), cities=Count("id"))
    if not totals["cities"]:
        raise Http404("No listed clinics in this country")
    return render(
        request,
        "clinics/country_detail.html",
        {
            "country_name": countries.name(code),
            "country_slug": country,
            # Biggest cities first, so page one is what most visitors want.
            "page": page_or_404(
                request, cities.order_by("-listed_clinic_count", "name"), settings.CITIES_PER_PAGE
            ),
            "clinic_total": totals["clinics"],
            "city_total": totals["cities"],
        },
    )


@require_safe
@cache_public_page(params=("page", "sort", "rating"))
def city_detail(request, country: str, city: str):
    city_obj = _city_or_404(country, city)
    rating_form = RatingFilterForm(request.GET)
    clinics = rating_form.apply(
        Clinic.objects.listed()
        .in_city(city_obj)
        .prefetch_related("services")
        .defer("description", "search_name")
        .annotate(**cover_columns("pk"))
    )
    page = page_or_404(request, clinics, settings.CLINICS_PER_PAGE)
    for clinic in page:
        clinic.city = city_obj  # one shared instance: its URL and names are worked out once
    return render(
        request,
        "clinics/city_detail.html",
        {
            "city": city_obj,
            "page": page,
            "rating_form": rating_form,
            "query_string": rating_form.query_string(),
            "filtered": bool(rating_form.query_string()),
            "rated_here": Clinic.objects.listed()
            .in_city(city_obj)
            .filter(rating_count__gt=0)
            .exists(),
        },
    )


def _profiles():
    return (
        Clinic.objects.listed()
        .select_related("city")
        .prefetch_related(
            "services",
            "artists",
            # Only photos cleared for the public, healed results first.
            Prefetch(
                "photos",
                queryset=ClinicPhoto.objects.public().healed_first().select_related("artist"),
            ),
            # Only credentials valid today: an expired badge is gone the day after expiry.
            Prefetch("credentials", queryset=Credential.objects.current().select_related("artist")),
        )
    )


def profile_context(request, clinic: Clinic) -> dict:
    """What the profile page shows. The quote form's view uses it too, to show a form
    with errors on the profile it was sent from."""
    if not hasattr(clinic, "_prefetched_objects_cache"):
        clinic = get_object_or_404(_profiles(), pk=clinic.pk)
    return {
        "clinic": clinic,
        # Prefetched: the template reads these lists, never a queryset.
        "services": list(clinic.services.all()),
        "artists": list(clinic.artists.all()),
        "photos": list(clinic.photos.all()),
        "credentials": list(clinic.credentials.all()),
        "json_ld": clinic.json_ld(request.build_absolute_uri(clinic.get_absolute_url())),
    }


@require_safe
@cache_public_page
def clinic_detail(request, country: str, city: str, clinic: str):
    clinic_obj = get_object_or_404(
        _profiles(), city__country=_country_or_404(country), city__slug=city, slug=clinic
    )
    return render(request, "clinics/clinic_detail.html", profile_context(request, clinic_obj))


@require_safe
@cache_public_page(params=("q", "page"))
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": "", "cities": [], "page": None}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        cities = (
            City.objects.with_listed_clinics()
            .filter(search_name__contains=form.folded_query())
            .order_by("-clinic_count", "name")[:12]
        )
        clinics = Clinic.objects.listed().search(query).for_cards().order_by("name")
        context.update(
            query=query,
            query_string=urlencode({"q": query}),
            cities=list(cities),
            page=page_or_404(request, clinics, settings.CLINICS_PER_PAGE),
        )
    return render(request, "clinics/search.html", context)


@require_safe
@cache_public_page(params=("place", "city"), private=("lat", "lng"))
def near_me(request):
    form = NearMeForm(request.GET or None)
    context = {"form": form, "results": None, "origin": None}
    if form.is_valid():
        lat, lng, origin = form.origin()
        context.update(origin=origin, results=nearest_clinics(lat, lng))
    return render(request, "clinics/near_me.html", context)


@accepts_photos(rate_setting="CLINIC_APPLICATION_RATE_LIMIT", group="clinic-applications")
def apply(request):
    if request.method != "POST":
        return render(request, "clinics/apply_form.html", {"form": ClinicApplicationForm()})
    form = ClinicApplicationForm(request.POST, request.FILES, refused_files=request.refused_photos)
    # Only a certain bot's post is answered like a success and stored nowhere.
    verdict = form.spam_verdict()
    if verdict.is_bot:
        logger.info("Clinic application dropped as spam (%s)", verdict.reason)
        return redirect("clinics:apply-sent")
    if form.is_valid():
        if ClinicApplication.objects.filter(form_nonce=form.submission_key()).exists():
            return redirect("clinics:apply-sent")  # the same form posted again
        # Staff review every application anyway: a doubtful one is kept and marked.
        check = verdict.reason if verdict.needs_check else ""
        if request.over_rate_limit():
            check = "many applications from one connection"
        try:
            form.save_application(ip_hash=client_ip_hash(request), check_reason=check)
        except IntegrityError:
            if not ClinicApplication.objects.filter(form_nonce=form.submission_key()).exists():
                raise
            return redirect("clinics:apply-sent")  # posted twice at once: the other one won
        else:
            return redirect("clinics:apply-sent")
    return render(request, "clinics/apply_form.html", {"form": form})


@require_safe
def apply_sent(request):
    response = render(request, "clinics/apply_sent.html")
    response["X-Robots-Tag"] = "noindex"
    return response
