"""A city page's filters and sorts: plain GET parameters, allow-listed, normalised, bounded.

Every filter is a condition on the city's approved clinics; each option's count is the
number of clinics the page would show with that option added (one aggregate query
for all of them), so a visitor never clicks into an empty page unawares. Unknown or
malformed values are dropped with a short note, never an error.

Parameters: `service` (several: a clinic offers all of them), `language` (several: it
speaks one of them), `budget` (full-treatment price from at most this, in the city's
currency), `replies=day` (median first reply within 24 hours, from quotes.stats),
`consultation=in-person|online`, `rating=4|4.5` (published reviews average at least
this), `sort`, `units=km|mi`, `from` (a typed place to measure distance from), `lat`/`lng`
(the browser's position: never cached) and `page`. The rating filter and the "best rated"
sort are offered once a clinic of the city has a published review.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from babel.numbers import get_territory_currencies
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models import When as _When
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.money import format_money

from .geo import Unit, distance_expression, unit_for
from .models import City, Clinic, Language, Service, tag_ids

# What the page cache keys on (common/page_cache.py); lat/lng are private.
PARAMS = (
    "page",
    "service",
    "language",
    "budget",
    "replies",
    "consultation",
    "rating",
    "sort",
    "units",
    "from",
)
MULTI = ("service", "language")
PRIVATE = ("lat", "lng")
MAX_VALUES = 10  # services or languages at once; more are dropped

# Each option's whole label, as the filter shows it.
CONSULTATIONS = {
    "in-person": _("Consultation in person"),
    "online": _("Consultation online (video call)"),
}
RATINGS = {"4.5": _("4.5 stars or more"), "4": _("4 stars or more")}
SORTS = {
    "recommended": _("Recommended"),
    "rating": _("Best rated first"),
    "price": _("Price, lowest first"),
    "replies": _("Fastest replies"),
    "newest": _("Newest listings"),
    "distance": _("Distance"),
}
RECOMMENDED_EXPLAINED = _(
    "Recommended: clinics with more well-rated verified reviews first (a few reviews "
    "count for less than many), then healed photos, checked credentials and quick replies."
)
# Budgets offered, in whole units of the city's currency; a city shows those its prices span.
BUDGET_STEPS = (
    500,
    750,
    1000,
    1250,
    1500,
    1750,
    2000,
    2500,
    3000,
    3500,
    4000,
    5000,
    6000,
    7500,
    10000,
    15000,
)
MAX_BUDGETS = 6


def city_currency(city: City) -> str:
    """The currency prices are compared in: the one in use in the city's country."""
    found = get_territory_currencies(str(city.country))
    return found[0] if found else "EUR"


@dataclass
class CityFilters:
    services: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    budget: int | None = None
    fast_replies: bool = False
    consultation: str = ""
    rating: str = ""
    sort: str = "recommended"
    units: str = ""
    origin_text: str = ""
    lat: float | None = None
    lng: float | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (sorting and units don't)."""
        return bool(
            self.services
            or self.languages
            or self.budget
            or self.fast_replies
            or self.consultation
            or self.rating
        )

    def params(self) -> list[tuple[str, str]]:
        """The canonical query, without the page: links and pagination keep it."""
        pairs: list[tuple[str, str]] = [("service", s) for s in self.services]
        pairs += [("language", code) for code in self.languages]
        if self.budget:
            pairs.append(("budget", str(self.budget)))
        if self.fast_replies:
            pairs.append(("replies", "day"))
        if self.consultation:
            pairs.append(("consultation", self.consultation))
        if self.rating:
            pairs.append(("rating", self.rating))
        if self.sort != "recommended":
            pairs.append(("sort", self.sort))
        if self.units:
            pairs.append(("units", self.units))
        if self.origin_text:
            pairs.append(("from", self.origin_text))
        return pairs

    def query_string(self) -> str:
        return urlencode(self.params())


def parse(
    query: QueryDict,
    services: dict[str, Service],
    languages: dict[str, Language],
    budgets: list[int],
) -> CityFilters:
    """The filters a query asks for, keeping only values the page offers."""
    f = CityFilters()
    wanted = [s for s in dict.fromkeys(query.getlist("service")) if s][:MAX_VALUES]
    f.services = tuple(s for s in services if s in wanted)
    f.ignored += [
        gettext("“%(value)s” is not a service we list") % {"value": s}
        for s in wanted
        if s not in services
    ]
    wanted = [s for s in dict.fromkeys(query.getlist("language")) if s][:MAX_VALUES]
    f.languages = tuple(code for code in languages if code in wanted)
    f.ignored += [
        gettext("“%(value)s” is not a language we list") % {"value": s}
        for s in wanted
        if s not in languages
    ]
    budget = query.get("budget", "")
    if budget:
        if budget.isdigit() and int(budget) in budgets:
            f.budget = int(budget)
        else:
            f.ignored.append(
                gettext("“%(value)s” is not one of the budgets offered here") % {"value": budget}
            )
    replies = query.get("replies", "")
    if replies == "day":
        f.fast_replies = True
    elif replies:
        f.ignored.append(
            gettext("“%(value)s” is not a reply time we filter by") % {"value": replies}
        )
    consultation = query.get("consultation", "")
    if consultation in CONSULTATIONS:
        f.consultation = consultation
    elif consultation:
        f.ignored.append(
            gettext("“%(value)s” is not a kind of consultation") % {"value": consultation}
        )
    rating = query.get("rating", "")
    if rating in RATINGS:
        f.rating = rating
    elif rating:
        f.ignored.append(gettext("“%(value)s” is not a rating we filter by") % {"value": rating})
    sort = query.get("sort", "")
    if sort in SORTS:
        f.sort = sort
    elif sort:
        f.ignored.append(gettext("“%(value)s” is not a sort order we offer") % {"value": sort})
    units = query.get("units", "")
    if units in ("km", "mi"):
        f.units = units
    elif units:
        f.ignored.append(gettext("“%(value)s” is not a unit: km or mi") % {"value": units})
    f.origin_text = " ".join(query.get("from", "").split())[:100]
    f.lat, f.lng = _coordinate(query.get("lat"), 90), _coordinate(query.get("lng"), 180)
    if f.lat is None or f.lng is None:
        f.lat = f.lng = None
    return f


def _coordinate(text: str | None, limit: float) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if -limit <= value <= limit else None  # also drops nan and inf


@dataclass(frozen=True)
class Facts:
    """What the filters look at, for one clinic of the city (and what its card lists)."""

    pk: int
    price_from: int | None
    currency: str
    fast: bool
    in_person: bool
    online: bool
    rating: float | None  # the published reviews' average, None before the first
    services: frozenset[int]
    languages: frozenset[int]


def city_facts(base) -> list[Facts]:
    """Each of the city's approved clinics as the filters see it, in one small query (its
    services and languages as JSON lists of ids, read with its row).

    Counting every option in Python over these is far cheaper than asking the database
    for twenty conditional counts (a city has at most a few hundred clinics).
    """
    rows = (
        base.order_by()
        .annotate(service_ids=tag_ids("services"), language_ids=tag_ids("languages"))
        .values_list(
            "pk",
            "price_from",
            "currency",
            "median_reply_hours",
            "consults_in_person",
            "consults_online",
            "rating_count",
            "rating_average",
            "service_ids",
            "language_ids",
        )
    )
    return [
        Facts(
            pk=pk,
            price_from=price_from,
            currency=currency,
            fast=hours is not None and hours <= FAST_HOURS,
            in_person=in_person,
            online=online,
            rating=average if rated else None,
            services=frozenset(service_ids or ()),
            languages=frozenset(language_ids or ()),
        )
        for (
            pk,
            price_from,
            currency,
            hours,
            in_person,
            online,
            rated,
            average,
            service_ids,
            language_ids,
        ) in rows
    ]


def budget_options(facts: list[Facts], currency: str) -> list[int]:
    """Budgets that divide this city's prices: from its lowest "price from" to its highest."""
    prices = [f.price_from for f in facts if f.currency == currency and f.price_from is not None]
    if not prices:
        return []
    low, high = min(prices), max(prices)
    steps = [s for s in BUDGET_STEPS if s >= low]
    steps = [s for s in steps if s < high] + [s for s in steps if s >= high][:1]
    if len(steps) > MAX_BUDGETS:  # evenly spread, always keeping the last (everyone)
        stride = len(steps) / MAX_BUDGETS
        steps = [steps[round(i * stride)] for i in range(MAX_BUDGETS - 1)] + [steps[-1]]
    return sorted(set(steps))


def _offers(service: Service) -> Q:
    through = Clinic.services.through.objects.filter(clinic_id=OuterRef("pk"), service=service)
    return Q(Exists(through))


def _speaks(languages) -> Q:
    through = Clinic.languages.through.objects.filter(
        clinic_id=OuterRef("pk"), language__in=languages
    )
    return Q(Exists(through))


def conditions(
    f: CityFilters, services: dict[str, Service], languages: dict[str, Language], currency: str
) -> dict[str, Q]:
    """One condition per kind of filter in use, so counts can leave one kind out."""
    found: dict[str, Q] = {}
    if f.services:
        q = Q()
        for slug in f.services:
            q &= _offers(services[slug])
        found["service"] = q
    if f.languages:
        found["language"] = _speaks([languages[code] for code in f.languages])
    if f.budget:
        found["budget"] = Q(currency=currency, price_from__lte=f.budget)
    if f.fast_replies:
        found["replies"] = FAST_REPLIES
    if f.consultation:
        found["consultation"] = CONSULTATION_Q[f.consultation]
    if f.rating:
        found["rating"] = Q(rating_count__gt=0, rating_average__gte=float(f.rating))
    return found


FAST_HOURS = 24
FAST_REPLIES = Q(median_reply_hours__lte=FAST_HOURS)
CONSULTATION_Q = {"in-person": Q(consults_in_person=True), "online": Q(consults_online=True)}


def all_of(conds: dict[str, Q]) -> Q:
    q = Q()
    for cond in conds.values():
        q &= cond
    return q


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facets:
    total: int
    services: list[Option]
    languages: list[Option]
    budgets: list[Option]
    replies: Option
    consultations: list[Option]
    ratings: list[Option]  # empty until a clinic here has a published review


def _tests(
    f: CityFilters, services: dict[str, Service], languages: dict[str, Language], currency: str
) -> dict[str, Callable[[Facts], bool]]:
    """The filters in use as tests on Facts: the same conditions as `conditions()`."""
    tests: dict[str, Callable[[Facts], bool]] = {}
    if f.services:
        wanted = {services[slug].pk for slug in f.services}
        tests["service"] = lambda c: wanted <= c.services
    if f.languages:
        spoken = {languages[code].pk for code in f.languages}
        tests["language"] = lambda c: bool(spoken & c.languages)
    if f.budget:
        tests["budget"] = _within(f.budget, currency)
    if f.fast_replies:
        tests["replies"] = lambda c: c.fast
    if f.consultation:
        tests["consultation"] = CONSULTATION_TESTS[f.consultation]
    if f.rating:
        tests["rating"] = _rated(float(f.rating))
    return tests


def _offering(pk: int) -> Callable[[Facts], bool]:
    return lambda c: pk in c.services


def _speaking(pk: int) -> Callable[[Facts], bool]:
    return lambda c: pk in c.languages


def _within(budget: int, currency: str) -> Callable[[Facts], bool]:
    return lambda c: c.currency == currency and c.price_from is not None and c.price_from <= budget


def _rated(stars: float) -> Callable[[Facts], bool]:
    return lambda c: c.rating is not None and c.rating >= stars


CONSULTATION_TESTS: dict[str, Callable[[Facts], bool]] = {
    "in-person": lambda c: c.in_person,
    "online": lambda c: c.online,
}


def facets(
    facts: list[Facts],
    f: CityFilters,
    services: dict[str, Service],
    languages: dict[str, Language],
    budgets: list[int],
    currency: str,
) -> Facets:
    """Each option's count with the other filters in use.

    A service's count adds it to those chosen (a clinic must offer all); a language's,
    budget's and consultation's replace the choice of their own kind. Options no clinic
    here has are left out unless chosen.
    """
    tests = _tests(f, services, languages, currency)

    def passing(leave_out: str = "") -> list[Facts]:
        return [c for c in facts if all(t(c) for k, t in tests.items() if k != leave_out)]

    chosen, any_language, any_budget = passing(), passing("language"), passing("budget")
    any_consultation, any_rating = passing("consultation"), passing("rating")
    rated_here = any(c.rating is not None for c in facts)
    offered = set().union(*(c.services for c in facts)) if facts else set()
    spoken = set().union(*(c.languages for c in facts)) if facts else set()

    def count(group: list[Facts], test: Callable[[Facts], bool]) -> int:
        return sum(1 for c in group if test(c))

    return Facets(
        total=len(chosen),
        services=[
            Option(
                slug,
                s.local_name,
                count(chosen, _offering(s.pk)),
                slug in f.services,
            )
            for slug, s in services.items()
            if s.pk in offered or slug in f.services
        ],
        languages=[
            Option(
                code,
                lang.local_name,
                count(any_language, _speaking(lang.pk)),
                code in f.languages,
            )
            for code, lang in languages.items()
            if lang.pk in spoken or code in f.languages
        ],
        budgets=[
            Option(
                str(b),
                gettext("Up to %(amount)s") % {"amount": format_money(b, currency)},
                count(any_budget, _within(b, currency)),
                b == f.budget,
            )
            for b in budgets
        ],
        replies=Option(
            "day",
            gettext("Replies within a day"),
            count(passing("replies"), lambda c: c.fast),
            f.fast_replies,
        ),
        consultations=[
            Option(
                value,
                str(label),
                count(any_consultation, CONSULTATION_TESTS[value]),
                value == f.consultation,
            )
            for value, label in CONSULTATIONS.items()
        ],
        ratings=[
            Option(value, str(label), count(any_rating, _rated(float(value))), value == f.rating)
            for value, label in RATINGS.items()
        ]
        if rated_here or f.rating
        else [],
    )


def ordered(qs, f: CityFilters, currency: str, origin: tuple[float, float] | None):
    """The clinics in the order chosen; with an origin each has `distance_km`."""
    if origin is not None:
        qs = qs.annotate(distance_km=distance_expression(*origin))
    if f.sort == "distance" and origin is not None:
        return qs.order_by("distance_km", "name")
    if f.sort == "price":
        other_currency = Case(
            _When(currency=currency, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return qs.annotate(other_currency=other_currency).order_by(
            "other_currency",
            F("price_from").asc(nulls_last=True),
            F("price_to").asc(nulls_last=True),
            "name",
        )
    if f.sort == "replies":
        return qs.order_by(
            F("median_reply_hours").asc(nulls_last=True),
            F("reply_rate").desc(nulls_last=True),
            "name",
        )
    if f.sort == "rating":
        return qs.best_rated_first()
    if f.sort == "newest":
        return qs.order_by(F("approved_at").desc(nulls_last=True), "-created_at", "name")
    return qs.recommended_first()


def distance_unit(f: CityFilters, city: City) -> Unit:
    return unit_for(f.units, str(city.country))
