"""Public directory pages (only approved clinics appear on any of them)."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from common.addresses import absolute_url
from common.decorators import over_rate_limit
from common.page_cache import cache_public_page, dont_store
from common.pagination import counted_page_or_404, page_or_404

from . import cards, filters, profile
from .forms import NearMeForm, SearchForm
from .geo import UNITS, nearest_clinics, unit_for
from .models import City, Clinic, Language, Service
from .search import understand
from .suggestions import suggestions
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
    return render(request, "clinics/country_list.html", {"countries": _country_rows()})


def _country_rows() -> list[dict]:
    rows = (
        City.objects.with_listed_clinics()
        .values("country")
        .annotate(clinic_count=Sum("listed_clinic_count"), city_count=Count("id"))
        .order_by()
    )
    by_code = {row["country"]: row for row in rows}
    # django-countries iterates in name order, so the list needs no sorting here.
    return [
        {
            "code": code,
            "name": name,
            "clinic_count": by_code[code]["clinic_count"],
            "city_count": by_code[code]["city_count"],
        }
        for code, name in countries
        if code in by_code
    ]


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
                request,
                cities.order_by("-listed_clinic_count", "name"),
                settings.CITIES_PER_PAGE,
                count=totals["cities"],
            ),
            "clinic_total": totals["clinics"],
            "city_total": totals["cities"],
        },
    )


@require_safe
@cache_public_page(
    params=filters.PARAMS, multi=filters.MULTI, private=filters.PRIVATE, owned=True
)  # clinics/own_pages.py
def city_detail(request, country: str, city: str):
    city_obj = _city_or_404(country, city)
    listing = _city_listing(request, city_obj)
    if listing["filters"].ignored:
        # A value the page does not know (`?sort=junk`): shown to this visitor with a
        # note, never stored, or every invented value would be an entry of its own.
        dont_store(request)
    return render(
        request,
        "clinics/city_detail.html",
        {
            **listing,
            "city": city_obj,
            "clinic_total": city_obj.listed_clinic_count,
        },
    )


def _city_listing(request, city_obj: City) -> dict:
    """A city page's filters, their counts and the cards of the requested page:
    everything the page shows that depends on its query."""
    listed = Clinic.objects.listed().in_city(city_obj)
    currency = filters.city_currency(city_obj)
    # The reference tables, read once: the filters offer them, the cards list them.
    services = {s.slug: s for s in Service.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    facts = filters.city_facts(listed)
    budgets = filters.budget_options(facts, currency)
    chosen = filters.parse(request.GET, services, languages, budgets)
    facets = filters.facets(facts, chosen, services, languages, budgets, currency)
    origin, origin_note = _origin(chosen, city_obj)
    conds = filters.conditions(chosen, services, languages, currency)
    clinics = filters.ordered(listed.filter(filters.all_of(conds)), chosen, currency, origin)
    page = page_or_404(
        request,
        clinics.for_cards(tags=False, one_city=True),
        settings.CLINICS_PER_PAGE,
        count=facets.total,
    )
    page.object_list = list(page.object_list)
    for clinic in page.object_list:
        clinic.city = city_obj  # one City for the page: its address is worked out once
    by_pk = {f.pk: f for f in facts}

    def tags(clinic: Clinic) -> cards.Tags:
        # What the facts read of each clinic of the city, in the tables' own order.
        fact = by_pk[clinic.pk]
        return (
            [s for s in services.values() if s.pk in fact.services],
            [lang for lang in languages.values() if lang.pk in fact.languages],
        )

    unit = filters.distance_unit(chosen, city_obj)
    return {
        "page": page,
        "cards": cards.render(page.object_list, unit, tags),
        "unit": unit,
        "filters": chosen,
        "facets": facets,
        # "Best rated" once there is a rating to sort by.
        "sorts": {k: v for k, v in filters.SORTS.items() if k != "rating" or facets.ratings},
        "recommended_explained": filters.RECOMMENDED_EXPLAINED,
        "origin_note": origin_note,
        "query_string": chosen.query_string(),
    }


def _origin(chosen: filters.CityFilters, city: City) -> tuple[tuple[float, float] | None, str]:
    """Where distances on a city page are measured from, and the sentence that says so."""
    if chosen.lat is not None and chosen.lng is not None:
        return (chosen.lat, chosen.lng), _("Distances from your location.")
    if chosen.origin_text:
        understood = understand(chosen.origin_text)
        if understood.origin is not None:
            lat, lng, label, _country = understood.origin
            return (lat, lng), _("Distances from %(place)s.") % {"place": label}
        chosen.ignored.append(
            _("We don’t know “%(typed)s”: distances are from the centre of %(city)s")
            % {"typed": chosen.origin_text, "city": city.local_name}
        )
    if chosen.sort == "distance":
        return (city.latitude, city.longitude), _("Distances from the centre of %(city)s.") % {
            "city": city.local_name
        }
    return None, ""


def _profiles():
    # Credentials and closures are read from the clinic's row (`credential_badges`,
    # `closure_days`), services, languages and artists with it as JSON lists: one query.
    return (
        Clinic.objects.listed().select_related("city").with_tags(descriptions=True).with_artists()
    )


def profile_context(request, clinic: Clinic) -> dict:
    """What the profile page shows. The quote form's view uses it too, to show a form
    with errors on the profile it was sent from (a clinic fetched without its lists)."""
    if not hasattr(clinic, "artist_list"):
        clinic = get_object_or_404(_profiles(), pk=clinic.pk)
    url = absolute_url(clinic.get_absolute_url())
    services, languages = clinic.tags()
    return {
        "clinic": clinic,
        # Read with the clinic, or by one query of plain values (the public gallery).
        "services": services,
        "languages": languages,
        "artists": profile.artists(clinic),
        "photos": profile.gallery(clinic),
        # Only badges valid today, closures not over yet: an expired badge is gone the
        # day after expiry.
        "credentials": clinic.current_credentials(),
        "closures": clinic.upcoming_closures(),
        "json_ld": clinic.json_ld(url),
    }


@require_safe
@cache_public_page(owned=True)  # clinics/own_pages.py
def clinic_detail(request, country: str, city: str, clinic: str):
    # One lookup: the clinic by its address, with the lists its row carries.
    clinic_obj = get_object_or_404(
        _profiles(), city__country=_country_or_404(country), city__slug=city, slug=clinic
    )
    return render(request, "clinics/clinic_detail.html", profile_context(request, clinic_obj))


@require_safe
@cache_public_page(params=("q", "page", "units"), choices={"units": UNITS})
def search(request):
    # Counted per client only when not cached, like suggest: the search itself is the cost.
    if over_rate_limit(request, rate_setting="SEARCH_RATE_LIMIT", group="search"):
        return render(request, "clinics/search_too_many.html", status=429)
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "query": "", "understood": None, "page": None}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        understood = understand(query)
        place_country = understood.place.country if understood.place else None
        first = understood.first_city
        unit = unit_for(
            form.cleaned_data.get("units"),
            place_country or (str(first.country) if first else None),
        )
        page = counted_page_or_404(
            request, _search_clinics(understood).for_cards(), settings.CLINICS_PER_PAGE
        )
        context.update(
            query=query,
            understood=understood,
            cities=understood.cities,
            unit=unit,
            query_string=urlencode({"q": query}),
            units_query=_without_units(request),
            page=page,
            cards=cards.render(page.object_list, unit),
        )
    return render(request, "clinics/search.html", context)


def _without_units(request) -> str:
    """The query string minus `units`, ready for "units=…" (the km/miles switch)."""
    query = request.GET.copy()
    query.pop("units", None)
    return query.urlencode() + "&" if query else ""


def _search_clinics(understood):
    """Clinics in the cities understood (the first city's first), then clinics by name.

    A name matches when each word of the query starts a word of it: "fine" finds
    "Fine Point Studio", never "Define"; one or two letters only when no city matched.
    """
    city_ids = [c.pk for c in understood.cities]
    wanted = Q(city_id__in=city_ids) if city_ids else Q(pk__in=[])
    words = understood.words
    if words and (len(" ".join(words)) >= 3 or not city_ids):
        by_name = Q()
        for word in words[:6]:
            by_name &= Q(search_name__startswith=word) | Q(search_name__contains=" " + word)
        wanted |= by_name
    first = city_ids[0] if city_ids else 0
    rank = Case(
        When(city_id=first, then=Value(0)),
        When(city_id__in=city_ids, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Clinic.objects.listed()
        .filter(wanted)
        .annotate(rank=rank)
        .order_by("rank", "-recommended_score", "name")
    )


@require_safe
@cache_public_page(params=("q",))
def suggest(request):
    """Suggestions as you type: a few cities and clinics, as JSON for the combobox.

    Counted per client IP only when the answer is not cached (the spelling work is
    what costs); with the shared cache away nothing is counted (common/fail_open.py).
    """
    if over_rate_limit(request, rate_setting="SEARCH_SUGGEST_RATE_LIMIT", group="search-suggest"):
        return JsonResponse({"error": _("Too many requests: slow down a little.")}, status=429)
    form = SearchForm(request.GET or None)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors.get("q", []))}, status=400)
    return JsonResponse({"suggestions": suggestions(form.cleaned_data["q"])})


@require_safe
@cache_public_page(
    params=("place", "city", "units"), private=("lat", "lng"), choices={"units": UNITS}
)
def near_me(request):
    form = NearMeForm(request.GET or None)
    context = {"form": form, "results": None, "origin": None}
    if form.is_valid():
        lat, lng, origin, country = form.origin()
        unit = unit_for(form.cleaned_data.get("units"), country)
        results = nearest_clinics(lat, lng, unit)
        if not country and not form.cleaned_data.get("units") and results["clinics"]:
            # The browser's position: the unit of the country the nearest clinic is in.
            nearest_country = str(results["clinics"][0].placed_city.country)
            if unit_for("", nearest_country) != unit:
                results = nearest_clinics(lat, lng, unit_for("", nearest_country))
        context.update(
            origin=origin,
            located=not origin,  # the browser's position
            results=results,
            cards=cards.render(results["clinics"], results["unit"]),
            units_query=_without_units(request),
        )
    return render(request, "clinics/near_me.html", context)
