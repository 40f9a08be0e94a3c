"""The directory: cities, clinics (the listings that receive quotes), artists and galleries."""

import functools
import io
import json
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import cast
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast, Coalesce, Least
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise, cached_property
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext
from django_countries.fields import CountryField
from PIL import Image

from common import fingerprints
from common.addresses import address
from common.json_sql import CorrelatedJSON, json_list, table
from common.languages import language_field
from common.money import format_price_range
from common.page_cache import content_changed
from common.photos import (
    PhotoRejected,
    check_decode_cost,
    sanitise,
)
from common.validators import (
    TextPerLanguageValidator,
    validate_names_per_language,
    validate_plain_email,
    validate_texts_per_language,
)
from places.geo import distance_km
from places.local_names import city_names, region_name
from places.models import Place

from . import hours
from .text import country_name, country_slug, fold, search_text, spoken_language_name


def _random_name(folder: str, filename: str) -> str:
    """A generated storage name: the uploader's file name never becomes a path."""
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def staff_member() -> models.ForeignKey:
    """Which staff member did something (approved, decided); kept if the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def artist_portrait_path(instance, filename: str) -> str:
    return _random_name("artists", filename)


def clinic_photo_path(instance, filename: str) -> str:
    return _random_name("clinics", filename)


class Service(models.Model):
    """A kind of treatment a clinic offers: men's SMP, women's density, scar camouflage..."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=240, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Its name and sentence in the site's other languages, read with the service wherever
    # it is (a card's JSON list too): {"de": {"name": "…", "description": "…"}}.
    translations = models.JSONField(
        default=dict,
        validators=[validate_texts_per_language],
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        help_text=(
            'Its name and description in other languages: {"de": {"name": "…", '
            '"description": "…"}, "es": {…}, "fr": {…}}. A language left out shows English.'
        ),
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def _in_reader_language(self, field: str) -> str:
        english = getattr(self, field)
        translations = self.translations or {}
        if isinstance(translations, str):  # read inside a JSON list on SQLite: its text
            translations = json.loads(translations)
        translation = translations.get((get_language() or "en")[:2]) or {}
        # Both or neither: a name in German beside an English sentence reads as a mistake.
        if translation.get("name") and (translation.get("description") or not english):
            return translation.get(field) or english
        return english

    @property
    def local_name(self) -> str:
        return self._in_reader_language("name")

    @property
    def local_description(self) -> str:
        return self._in_reader_language("description")


class Language(models.Model):
    """A language a clinic's artists speak with clients."""

    code = models.CharField(max_length=12, unique=True, help_text="ISO 639-1, e.g. en, es, pl.")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The language named in the reader's ("German", "Deutsch", "Alemán"): CLDR's
        names through Babel, capitalised as a label; the name staff wrote otherwise."""
        return spoken_language_name(self.code, get_language()) or self.name


def _m2m(field: str) -> tuple[type[models.Model], type[models.Model], str]:
    """A many-to-many field of Clinic's: its table's model, the tag's, the tag's column."""
    relation = cast(models.ManyToManyField, Clinic._meta.get_field(field))
    through = cast(type[models.Model], relation.remote_field.through)
    tag = cast(type[models.Model], relation.related_model)
    return through, tag, f"{tag._meta.model_name}_id"


def tag_ids(field: str) -> CorrelatedJSON:
    """The ids of the clinic's services or languages (`field`) as a JSON list."""
    through, _tag, tag_id = _m2m(field)
    return CorrelatedJSON(
        f'(SELECT JSONB_AGG(x."{tag_id}") FROM {table(through)} x '
        'WHERE x."clinic_id" = {outer}."id")',
        f'(SELECT JSON_GROUP_ARRAY(x."{tag_id}") FROM {table(through)} x '
        'WHERE x."clinic_id" = {outer}."id")',
    )


def _tag_list(field: str, columns: tuple[str, ...]) -> CorrelatedJSON:
    """The clinic's services or languages (`field`) as a JSON list of those columns of the
    tag's own table, in no particular order (`Clinic.tags()` sorts them)."""
    through, tag, tag_id = _m2m(field)
    return json_list(
        {column: f't."{column}"' for column in columns},
        f'{table(through)} x INNER JOIN {table(tag)} t ON x."{tag_id}" = t."id" '
        'WHERE x."clinic_id" = {outer}."id"',
    )


class CityQuerySet(models.QuerySet):
    def with_clinic_counts(self):
        """Each city with its number of approved clinics, as `clinic_count`."""
        return self.annotate(clinic_count=models.F("listed_clinic_count"))

    def with_listed_clinics(self):
        return self.with_clinic_counts().filter(listed_clinic_count__gt=0)

    def link_places(self) -> int:
        """Link each city without a gazetteer entry to its place, where one matches."""
        linked = 0
        for city in self.filter(place__isnull=True):
            place = city.matching_place()
            if place is not None:
                type(city).objects.filter(pk=city.pk).update(place=place)
                linked += 1
        return linked

    def refresh_listed_counts(self) -> int:
        """Recount listed clinics (`listed_q`) for these cities in one UPDATE."""
        approved = (
            Clinic.objects.filter(listed_q(), city=models.OuterRef("pk"))
            .order_by()
            .values("city")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.update(listed_clinic_count=Coalesce(models.Subquery(approved), models.Value(0)))


class City(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    country = CountryField()
    region = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    # Its gazetteer entry: search finds the city by every name the place has ("Munich" for
    # München), "City, Region" knows its region. Set on save when a place matches.
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cities",
        help_text="Its gazetteer entry; found by name and position when left empty.",
    )
    # The city's name in the site's other languages where it differs ("en": "Munich" for
    # München), shown to a reader of that language (`local_name`). Filled from the
    # gazetteer's place on save (places/local_names.py) where staff left a language out.
    local_names = models.JSONField(
        default=dict,
        validators=[validate_names_per_language],
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        help_text=(
            'Its name in other languages where it differs, e.g. {"en": "Munich", "es": '
            '"Múnich"}; languages left out are filled from the gazetteer when saved.'
        ),
    )
    # Lower-case, accent- and punctuation-free name: "munchen" finds München everywhere.
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    # Approved clinics here, kept up to date on every clinic save and delete (clinics/apps.py):
    # home, country and search pages read it instead of counting 10,000 clinics each time.
    listed_clinic_count = models.PositiveIntegerField(default=0, editable=False)
    # What artists quoted here, per currency; filled by quotes.stats from artists' replies.
    quoted_prices = models.JSONField(default=dict, blank=True, editable=False)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "slug"], name="clinics_city_unique_slug"),
        ]
        indexes = [
            # Home's featured cities and search: the cities with most approved clinics.
            models.Index(fields=["-listed_clinic_count", "name"], name="city_listed_count"),
            # "No clinic in Oxford yet": the listed cities nearest to a place, by a box.
            models.Index(fields=["latitude", "longitude"], name="city_lat_lng"),
            # Search: a word of a city's name starting with the query, LIKE '% york%'
            # (PostgreSQL only: pg_trgm; the migration skips it elsewhere).
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="city_name_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country_name}"

    def save(self, *args, **kwargs):
        self.search_name = search_text(self.name)
        if self.place_id is None:
            self.place = self.matching_place()
        self.local_names = {**city_names(self.place_id, self.name), **(self.local_names or {})}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def local_name(self) -> str:
        """Its name in the reader's language: "Munich" in English, "Múnich" in Spanish."""
        names = self.local_names
        if not names:
            return self.name
        return names.get((get_language() or "en")[:2], self.name)

    @cached_property
    def url(self) -> str:
        # Cached: a page of clinic cards asks for it once per card.
        return address("clinics:city", self.country_slug, self.slug)

    @property
    def country_code(self) -> str:
        """The country's two letters, as the row stores them. Reading `country` builds a
        django-countries `Country`, which looks its code up again (8 µs, three times a
        city tile); the stored value is already that code."""
        code = vars(self).get("country")
        return code if isinstance(code, str) and code else self.country.code

    @property
    def country_slug(self) -> str:
        return country_slug(self.country_code)

    @property
    def country_name(self) -> str:
        return country_name(self.country_code)

    @property
    def distinct_region(self) -> str:
        """The region in the reader's language, unless it only repeats the city's name
        ("Berlin, Berlin")."""
        if fold(self.region) == fold(self.name):
            return ""
        return region_name(self.country_code, self.region, (get_language() or "en")[:2])

    def matching_place(self) -> Place | None:
        """The gazetteer entry of this name in this country nearest to the city, within 50 km."""
        from places.matching import places_named
        from places.names import normalise

        country = str(self.country)
        near = [
            (distance_km(self.latitude, self.longitude, p.latitude, p.longitude), p)
            for p in places_named(normalise(self.name))
            if p.country == country
        ]
        near = [(km, p) for km, p in near if km <= PLACE_LINK_KM]
        return min(near, key=lambda pair: (pair[0], -pair[1].population))[1] if near else None


PLACE_LINK_KM = 50
FIRST_YEAR = 1980  # SMP as a treatment is younger than this


def listed_q(prefix: str = "") -> Q:
    """The one rule for what the public may see of a clinic: approved by staff, with at
    least one artist and at least one photo the public may see (`ClinicPhotoQuerySet.public`:
    the client's consent recorded, compared with the site's photos).

    The last two are stored on the clinic's row (`has_artist`, `has_public_photo`) by
    `ClinicQuerySet.refresh_covers`, which whatever changes artists or photos calls, so
    every list stays one query. `prefix` names the clinic from another model ("clinic__").
    """
    return Q(
        **{
            f"{prefix}status": "approved",
            f"{prefix}has_artist": True,
            f"{prefix}has_public_photo": True,
        }
    )


class ClinicQuerySet(models.QuerySet):
    def listed(self):
        """Clinics the public may see (`listed_q`): directory, city pages, search, near
        me, sitemaps and city-wide quote requests all start here."""
        return self.filter(listed_q())

    def in_city(self, city: City):
        return self.filter(city=city)

    def accepting_quotes(self):
        """Listed clinics taking requests now: staff's switch on, not paused by the clinic
        (a pause with a return date is over on that date, whether or not the daily task
        has cleared it yet)."""
        today = timezone.localdate()
        return self.listed().filter(
            Q(requests_paused=False) | Q(requests_resume_on__lte=today), accepts_quotes=True
        )

    def resume_paused_requests(self, today=None) -> int:
        """Clear the pauses whose return date has come (the daily task)."""
        today = today or timezone.localdate()
        resumed = self.filter(requests_paused=True, requests_resume_on__lte=today).update(
            requests_paused=False, requests_resume_on=None
        )
        if resumed:
            content_changed()
        return resumed

    def for_cards(self, tags: bool = True, one_city: bool = False):
        """What a clinic card shows (clinics/cards.py) and nothing else, in one query
        (the cover photo's thumbnail is stored on the row: `refresh_covers`), with the
        services and languages as JSON lists unless the page has them already
        (`tags=False`: a city page's facts). Only the card's columns (`CARD_FIELDS`): the
        rest of a row, its JSON columns above all, took longer to read than the card to
        render.

        `one_city`: the clinics of a city page, which then gives each the one City it
        already has (`ClinicQuerySet.in_city`'s), rather than the query a copy per card."""
        if one_city:
            return self.only(*CARD_FIELDS)
        clinics = self.select_related("city").only(
            *CARD_FIELDS, "city__name", "city__local_names", "city__slug", "city__country"
        )
        return clinics.with_tags() if tags else clinics

    def with_tags(self, descriptions: bool = False):
        """Each clinic's services and languages read with its row (`tags()`), not in a
        query each (prefetching); with the services' descriptions for the profile."""
        described = ("description",) if descriptions else ()
        return self.annotate(
            service_list=_tag_list("services", ("id", "name", "order", "translations", *described)),
            language_list=_tag_list("languages", ("id", "code", "name")),
        )

    def with_artists(self):
        """Each clinic's artists read with its row, in their order, as a JSON list of what
        the profile shows of them (`artist_list`, read by `clinics.profile.artists`)."""
        artist = table(Artist)
        return self.annotate(
            artist_list=json_list(
                {c: f'a."{c}"' for c in ("name", "bio", "portrait", "since_year")},
                f'{artist} a WHERE a."clinic_id" = {{outer}}."id"',
                order_by='a."order", a."name", a."id"',
            )
        )

    def refresh_covers(self) -> int:
        """Store these clinics' cards' cover (`cover_columns`) and whether they have what a
        listing needs (`has_artist`, `has_public_photo`: `listed_q`) on their rows, in one
        UPDATE, then recount their cities' listed clinics.

        Called by whatever changes which photo that is or which artists there are: a
        gallery photo saved or deleted, its publication changed in bulk (admin actions, a
        copy flagged), an artist saved or deleted (clinics/apps.py), the clinic's own
        choice saved. Lists then read columns instead of subqueries per card.

        The UPDATE's SET clause is compiled once a day (`_covers_update`); these clinics
        are its WHERE clause, `id IN (this query's ids)`.
        """
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        self._for_write = True
        connection = connections[self.db]
        update, update_params = _covers_update(self.db, connection.vendor, timezone.localdate())
        # These clinics by id: the filter compiles in a fraction of a millisecond.
        try:
            ids, ids_params = self.order_by().values("pk").query.get_compiler(self.db).as_sql()
        except EmptyResultSet:  # filtered on an empty list: no row to update
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        pk = connection.ops.quote_name(self.model._meta.pk.column)
        with (
            transaction.mark_for_rollback_on_error(using=self.db),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"{update} WHERE {table}.{pk} IN ({ids})", (*update_params, *ids_params))
            changed = cursor.rowcount
        if changed:
            City.objects.filter(pk__in=self.values("city_id")).refresh_listed_counts()
        return changed

    def refresh_recommended(self) -> int:
        """Store these clinics' `recommended_score` again from its inputs, in one UPDATE.

        `refresh_covers` (photos, and every Clinic.save), credentials' `refresh_badges`
        and reviews' `refresh_rating` store it with what they store; quotes.stats calls this
        after new reply figures."""
        return self.update(recommended_score=recommended_score())

    def refresh_closures(self) -> None:
        """Store these clinics' coming closures (`Clinic.closure_days`) on their rows: one
        read and one UPDATE per clinic. (Their credential badges are stored by the
        credentials app, `credentials.models.refresh_badges`.)"""
        today = timezone.localdate()
        for pk in self.values_list("pk", flat=True):
            closures = [
                {"first_day": first.isoformat(), "last_day": last.isoformat(), "note": note}
                for first, last, note in ClinicClosure.objects.filter(
                    clinic_id=pk, last_day__gte=today
                ).values_list("first_day", "last_day", "note")
            ]
            self.model.objects.filter(pk=pk).update(closure_days=closures)

    def recommended_first(self):
        """The "Recommended" order (`recommended_score`): more evidence first."""
        return self.order_by(
            models.F("recommended_score").desc(), models.F("rating_count").desc(), "name"
        )

    def best_rated_first(self):
        """Highest average first, more reviews breaking ties; clinics not yet rated last."""
        return self.order_by(
            models.F("rating_average").desc(nulls_last=True), "-rating_count", "name"
        )


# A clinic's description shown in another language than the page's says so: one whole
# sentence per language, so that each translation reads naturally.
WRITTEN_IN = {
    "en": gettext_lazy("The clinic wrote this in English."),
    "de": gettext_lazy("The clinic wrote this in German."),
    "es": gettext_lazy("The clinic wrote this in Spanish."),
    "fr": gettext_lazy("The clinic wrote this in French."),
}
# The longest description a clinic may write (its account's editor says so too).
DESCRIPTION_MAX = 5000


class Clinic(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        SUSPENDED = "suspended", "Suspended"
        # The clinic asked to be unlisted from its account and staff confirmed it.
        WITHDRAWN = "withdrawn", "Withdrawn by the clinic"

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160)
    # Empty only on an application whose city is not listed yet: staff add the city, then approve.
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="clinics", null=True, blank=False
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    is_sample = models.BooleanField(
        default=False, help_text="Demo data: the profile says it is not a real clinic."
    )

    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    instagram = models.CharField(max_length=60, blank=True, help_text="Handle, without the @")
    facebook = models.CharField(max_length=100, blank=True, help_text="Page name")
    quote_email = models.EmailField(
        blank=True,
        validators=[validate_plain_email],
        help_text="Where quote requests go. Never shown on the site.",
    )

    summary = models.CharField(max_length=240, blank=True)
    description = models.TextField(blank=True)
    # The language the clinic wrote its summary and description in, and the same texts
    # in the site's other languages where it wrote them too ({"de": "…"}). Pages show
    # the visitor's language when the clinic wrote it, else the clinic's own, labelled
    # (`local_summary`, `local_description`). Columns with a database default: safe to
    # add while the code before them still runs.
    text_language = language_field("The language the summary and description are written in.")
    summary_translations = models.JSONField(
        default=dict,
        blank=True,
        db_default=models.Value({}, output_field=models.JSONField()),
        validators=[TextPerLanguageValidator(240)],
        help_text='The summary in other languages: {"de": "…", "fr": "…"}.',
    )
    description_translations = models.JSONField(
        default=dict,
        blank=True,
        db_default=models.Value({}, output_field=models.JSONField()),
        validators=[TextPerLanguageValidator(DESCRIPTION_MAX)],
        help_text='The description in other languages: {"de": "…", "fr": "…"}.',
    )
    services = models.ManyToManyField(Service, blank=True, related_name="clinics")
    languages = models.ManyToManyField(
        Language, blank=True, related_name="clinics", help_text="Languages spoken with clients."
    )
    consults_in_person = models.BooleanField(
        "In-person consultations", default=True, help_text="At the studio, before treatment."
    )
    consults_online = models.BooleanField(
        "Online consultations", default=False, help_text="By video call, from photos."
    )
    opening_hours = models.CharField(
        max_length=300,
        blank=True,
        validators=[hours.validate],
        help_text=f"Days and hours, e.g. “{hours.EXAMPLE}”. Days not given are closed.",
    )
    # The photo on the clinic's card when staff choose one (and the public may see it);
    # otherwise the best public gallery photo (`cover_columns`).
    cover_photo = models.ForeignKey(
        "ClinicPhoto",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown on the clinic's card in lists once its consent is recorded; if empty, "
        "the first healed result the public may see.",
    )
    # The card's cover as `refresh_covers()` last chose it: a public photo's thumbnail
    # (its storage name, "" for none) and size, read by `cover`.
    cover_name = models.CharField(max_length=100, blank=True, editable=False)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    price_from = models.PositiveIntegerField(null=True, blank=True)
    price_to = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code: GBP, USD…")
    established_year = models.PositiveSmallIntegerField(null=True, blank=True)
    accepts_quotes = models.BooleanField(
        default=True, help_text="Staff's switch: off, the clinic takes no requests."
    )
    # Every email to the clinic and its members is written in it (its account's home page).
    language = language_field("The language of the site's emails to the clinic and its members.")
    # The clinic's own pause (its account's home page), with an optional return date on
    # which it takes requests again by itself.
    requests_paused = models.BooleanField(default=False, db_default=False)
    requests_resume_on = models.DateField(null=True, blank=True)
    # Over the last 90 days, once it has had five requests; filled by quotes.stats.
    reply_rate = models.FloatField(null=True, blank=True, editable=False)
    median_reply_hours = models.FloatField(null=True, blank=True, editable=False)
    # From published reviews only (one per client: their latest), kept up to date by
    # Review.objects.refresh_rating whenever a review is published, withdrawn or erased,
    # so cards and city pages read them without the reviews app.
    rating_average = models.FloatField(null=True, blank=True, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    # The profile's review figures (stars, the three sub-ratings, price match), from the
    # same reviews and stored by the same call as the rating; {} before the first.
    review_figures = models.JSONField(default=dict, blank=True, editable=False)
    # What the profile shows of its credentials and closures, as last stored from those
    # rows on every save and delete of one (`credentials.models.refresh_badges`, also on an
    # artist's, whose name a badge shows; `ClinicQuerySet.refresh_closures`). Those not yet
    # past their last day when stored; the profile drops the ones past it since
    # (`current_credentials`, `upcoming_closures`), so a badge still disappears the day
    # after its expiry.
    credential_badges = models.JSONField(default=list, blank=True, editable=False)
    closure_days = models.JSONField(default=list, blank=True, editable=False)
    # The "Recommended" order's key (`recommended_score()`), stored with its inputs by
    # whatever stores them: never by a save that changes none of them.
    recommended_score = models.FloatField(default=0.0, editable=False)
    # What a listing needs besides staff's approval (`listed_q`), stored by
    # `ClinicQuerySet.refresh_covers` whenever artists or photos change: at least one
    # artist, and at least one gallery photo the public may see.
    has_artist = models.BooleanField(default=False, editable=False)
    has_public_photo = models.BooleanField(default=False, editable=False)

    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = staff_member()
    reviewed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When staff last checked this listing."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_name = models.CharField(max_length=160, editable=False, db_index=True)

    objects = ClinicQuerySet.as_manager()
    # Read with the row by `ClinicQuerySet.with_tags()` (JSON lists), absent otherwise.
    service_list: list[dict] | None
    language_list: list[dict] | None
    # Read with the row by `ClinicQuerySet.with_artists()`, for the profile.
    artist_list: list[dict] | None

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "slug"],
                name="clinics_clinic_unique_slug",
                violation_error_message="Another clinic in this city already has this slug.",
            ),
            models.CheckConstraint(
                condition=Q(price_from__isnull=True)
                | Q(price_to__isnull=True)
                | Q(price_from__lte=models.F("price_to")),
                name="clinics_clinic_price_range_ordered",
                violation_error_message="The lowest price can’t be above the highest.",
            ),
        ]
        indexes = [
            # A city's page: approved clinics of one city, by name.
            models.Index(fields=["city", "status", "name"], name="clinic_city_status_name"),
            # Sitemaps: a city's newest listed clinic, and the newest of all (the index's
            # dates), read from the index alone.
            models.Index(
                fields=["city", "updated_at"],
                condition=models.Q(status="approved"),
                name="clinic_listed_city_updated",
            ),
            models.Index(
                fields=["updated_at"],
                condition=models.Q(status="approved"),
                name="clinic_listed_updated",
            ),
            # "Near me": a bounding box on latitude, then longitude.
            models.Index(fields=["latitude", "longitude"], name="clinic_lat_lng"),
            # Search: a word of a clinic's name starting with the query, LIKE '% fine%'
            # (PostgreSQL only: pg_trgm; the migration skips it elsewhere).
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="clinic_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_text(self.name)
        try:
            self.opening_hours = hours.canonical(self.opening_hours)
        except ValidationError:
            pass  # kept as typed; the form that took it has shown the problem
        # Without a geocoded address, the city centre is the best "near me" position we have.
        if (self.latitude is None or self.longitude is None) and self.city_id is not None:
            self.latitude, self.longitude = self.city.latitude, self.city.longitude
        super().save(*args, **kwargs)
        # Staff's choice of cover may have changed (and the row just written holds the
        # cover as this instance was loaded): choose again from the database.
        type(self).objects.filter(pk=self.pk).refresh_covers()

    def get_absolute_url(self) -> str:
        # The city's address and the slug (clinics/urls.py nests a profile in its city):
        # a page of cards sharing one City works its address out once, not once a card.
        return f"{self.placed_city.url}{self.slug}/"

    # Its address as loaded (from_db, then after each save: clinics/apps.py), and whether a
    # save in progress gives it another (pre_save: clinics/own_pages.py).
    _loaded_city_id: int | None
    _loaded_slug: str | None
    _address_moved: bool

    @classmethod
    def from_db(cls, db, field_names, values):
        clinic = super().from_db(db, field_names, values)
        # The city it had when loaded: moving it changes two cities' counts (apps.py).
        # Here rather than in a post_init receiver, which every list of clinics paid for.
        clinic._loaded_city_id = clinic.__dict__.get("city_id")
        # And its slug: a save that changes either gives it a new address
        # (clinics/own_pages.py: the old one's cached profile must go too).
        clinic._loaded_slug = clinic.__dict__.get("slug")
        return clinic

    @property
    def placed_city(self) -> City:
        """The clinic's city. Only an applicant whose city staff haven't added yet has none,
        and such a clinic is never listed, so no public page asks for it."""
        if self.city is None:
            raise ValueError(f"{self.name} has no city yet")
        return self.city

    @property
    def takes_requests(self) -> bool:
        """The row's side of `accepting_quotes()` (whether it is listed aside)."""
        return self.accepts_quotes and not self.is_paused

    @property
    def is_paused(self) -> bool:
        """Paused by the clinic, and its return date (if any) not come yet."""
        if not self.requests_paused:
            return False
        return self.requests_resume_on is None or self.requests_resume_on > timezone.localdate()

    def is_listed(self) -> bool:
        """The row's side of `listed_q`: what the public may see."""
        return self.status == self.Status.APPROVED and self.has_artist and self.has_public_photo

    def listing_gaps(self) -> list[str]:
        """Why an approved clinic is not listed yet, in words for staff (empty: nothing)."""
        gaps = []
        if not self.has_artist:
            gaps.append("needs an artist")
        if not self.has_public_photo:
            gaps.append("needs a consented public photo")
        return gaps

    def approve(self, user=None) -> None:
        if self.city_id is None:
            raise ValueError(f"{self.name} has no city yet: choose one before approving.")
        now = timezone.now()
        self.status = self.Status.APPROVED
        self.approved_at = now
        self.approved_by = user
        self.reviewed_at = now
        self.save()

    def suspend(self) -> None:
        self.status = self.Status.SUSPENDED
        self.reviewed_at = timezone.now()
        self.save()

    def tags(self) -> tuple[list["Service"], list["Language"]]:
        """Its services and languages, in their tables' order, from `with_tags()` (or
        from the database, for a clinic fetched without them)."""
        if not hasattr(self, "service_list"):
            return list(self.services.all()), list(self.languages.all())
        services = sorted(
            (Service(**row) for row in self.service_list or ()),
            key=lambda s: (s.order, s.name),
        )
        languages = sorted(
            (Language(**row) for row in self.language_list or ()),
            key=lambda lang: lang.name,
        )
        return services, languages

    def _in_reader_language(self, field: str) -> tuple[str, str]:
        """One of the clinic's texts as the visitor should read it, with its language: in
        the visitor's language when the clinic wrote it, else as the clinic wrote it."""
        # Two letters, as the translations' keys and the labels have them ("en-gb": "en").
        reader, own = (get_language() or settings.LANGUAGE_CODE)[:2], self.text_language[:2]
        if reader != own:
            translations = getattr(self, f"{field}_translations") or {}
            if isinstance(translations, str):  # read inside a JSON list on SQLite: its text
                translations = json.loads(translations)
            if translations.get(reader):
                return translations[reader], reader
        return getattr(self, field), own

    @property
    def local_summary(self) -> str:
        return self._in_reader_language("summary")[0]

    @property
    def summary_other_language(self) -> str:
        """The summary's language when it is not the page's (for its `lang`), else ""."""
        language = self._in_reader_language("summary")[1]
        return "" if language == (get_language() or settings.LANGUAGE_CODE)[:2] else language

    @property
    def local_description(self) -> str:
        return self._in_reader_language("description")[0]

    @property
    def description_note(self) -> str:
        """Said above a description shown in another language than the page's: which
        language the clinic wrote it in. Empty when it is the page's."""
        language = self._in_reader_language("description")[1]
        if language == (get_language() or settings.LANGUAGE_CODE)[:2]:
            return ""
        return str(WRITTEN_IN[language])

    @property
    def description_language(self) -> str:
        return self._in_reader_language("description")[1]

    def json_ld(self, url: str) -> dict:
        """schema.org data for search engines: a local business with address and position."""
        city = self.placed_city
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "HealthAndBeautyBusiness",
            # The reviews block on the profile adds its reviews to this same node.
            "@id": f"{url}#business",
            "name": self.name,
            "url": url,
            "description": self.local_summary,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "postalCode": self.postcode,
                "addressLocality": city.name,
                "addressRegion": city.region,
                "addressCountry": city.country.code,
            },
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": self.latitude,
                "longitude": self.longitude,
            },
        }
        if self.phone:
            data["telephone"] = self.phone
        if self.price_range:
            data["priceRange"] = self.price_range
        if self.website:
            data["sameAs"] = [self.website]
        opening = hours.json_ld(self.opening_hours)
        if opening:
            data["openingHoursSpecification"] = opening
        # Closed all day: opens and closes at 00:00, as schema.org's examples write it.
        closures = [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": closure.first_day.isoformat(),
                "validThrough": closure.last_day.isoformat(),
                "opens": "00:00",
                "closes": "00:00",
            }
            for closure in self.upcoming_closures()
        ]
        if closures:
            data["specialOpeningHoursSpecification"] = closures
        languages = [language.code for language in self.tags()[1]]
        if languages:
            data["knowsLanguage"] = languages
        if self.rating_count:
            data["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": self.rating_display,
                "ratingCount": self.rating_count,
                "reviewCount": self.rating_count,
                "bestRating": 5,
                "worstRating": 1,
            }
        return data

    def current_credentials(self) -> list["CredentialBadge"]:
        """The badges valid today (the expiry date is the last valid day), as stored."""
        today = timezone.localdate()
        badges = [CredentialBadge.from_stored(row) for row in self.credential_badges]
        return [b for b in badges if b.expires_on is None or b.expires_on >= today]

    def upcoming_closures(self) -> list["ClosureDays"]:
        """Closures not over yet (today's included), in date order, as stored."""
        today = timezone.localdate()
        closures = [ClosureDays.from_stored(row) for row in self.closure_days]
        return [c for c in closures if c.last_day >= today]

    @property
    def week(self) -> list[hours.Day]:
        """Monday to Sunday with their hours, for the profile (empty when none are given)."""
        return hours.week(self.opening_hours)

    def directions_url(self) -> str:
        """A plain link to directions in a map service: nothing is loaded from it here."""
        city = self.placed_city
        if self.address:
            where = ", ".join(
                p for p in (self.address, self.postcode, city.name, city.country_name) if p
            )
        else:
            where = f"{self.latitude},{self.longitude}"
        return "https://www.google.com/maps/dir/?" + urlencode({"api": "1", "destination": where})

    @property
    def replies_within_a_day(self) -> bool:
        return self.median_reply_hours is not None and self.median_reply_hours <= 24

    @property
    def rating_display(self) -> str:
        """The average as shown: one decimal, as the page's language writes it ("4.7",
        German "4,7")."""
        if self.rating_average is None:
            return ""
        # Rounded first: Django's number_format cuts off the digits past decimal_pos (4.67
        # would read "4.6").
        return number_format(f"{self.rating_average:.1f}", decimal_pos=1)

    @property
    def reply_rate_percent(self) -> int | None:
        return None if self.reply_rate is None else round(self.reply_rate * 100)

    @property
    def typical_reply_time(self) -> str:
        """ "within 3 hours", "within a day"... for the profile's response figures."""
        # Translators: each ends "Replies to 80% of requests, usually %(typical)s".
        hours = self.median_reply_hours
        if hours is None:
            return ""
        if hours <= 1:
            return gettext("within an hour")
        if hours < 24:
            return ngettext("within %(hours)s hour", "within %(hours)s hours", round(hours)) % {
                "hours": round(hours)
            }
        days = round(hours / 24)
        if days <= 1:
            return gettext("within a day")
        return ngettext("within %(days)s day", "within %(days)s days", days) % {"days": days}

    @property
    def cover(self) -> dict | None:
        """The card's cover image (a result photo's thumbnail): the stored columns, or
        `cover_columns()` annotated under the same names."""
        name = getattr(self, "cover_name", None)
        if not name:
            return None
        storage = ClinicPhoto._meta.get_field("thumbnail").storage
        return {
            "url": storage.url(name),
            "width": getattr(self, "cover_width", None),
            "height": getattr(self, "cover_height", None),
        }

    @property
    def price_range(self) -> str:
        """The full-treatment price as people read it: "£1,200–£2,000", "from £900"."""
        return format_price_range(self.price_from, self.price_to, self.currency)


@dataclass(frozen=True)
class CredentialBadge:
    """A credential as its badge on the profile shows it (`Clinic.credential_badges`)."""

    label: str
    artist: str  # the artist's name; empty for the clinic's own
    issuer: str
    checked_on: date
    expires_on: date | None

    @classmethod
    def from_stored(cls, row: dict) -> "CredentialBadge":
        expires = row["expires_on"]
        label = row.get("title") or row["label"]
        if row.get("kind") and not row.get("title"):
            # Named by its kind, in the reader's language (not the one it was stored in).
            kind = apps.get_model("credentials", "Credential").Kind
            label = str(kind(row["kind"]).label)
        return cls(
            label=label,
            artist=row["artist"],
            issuer=row["issuer"],
            checked_on=date.fromisoformat(row["checked_on"]),
            expires_on=date.fromisoformat(expires) if expires else None,
        )


@dataclass(frozen=True)
class ClosureDays:
    """Days a clinic is closed, as the profile shows them (`Clinic.closure_days`)."""

    first_day: date
    last_day: date
    note: str

    @classmethod
    def from_stored(cls, row: dict) -> "ClosureDays":
        return cls(
            first_day=date.fromisoformat(row["first_day"]),
            last_day=date.fromisoformat(row["last_day"]),
            note=row["note"],
        )


class Artist(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="artists")
    name = models.CharField(max_length=120)
    bio = models.TextField(blank=True)
    portrait = models.ImageField(
        upload_to=artist_portrait_path,
        blank=True,
        width_field="portrait_width",
        height_field="portrait_height",
    )
    portrait_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    portrait_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    since_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year the artist began doing SMP."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ClinicPhotoQuerySet(models.QuerySet):
    def public(self):
        """Photos the public may see: staff recorded the consent to publish, the photo was
        fingerprinted, and no match with another photo is waiting for staff.

        A match found after a photo went public (a later copy of it) does not hide it:
        the copy is the one held back, and staff see both flagged.
        """
        return (
            self.filter(
                Q(match_found_at__isnull=True)
                | Q(match_cleared_at__isnull=False)
                | Q(match_found_at__gt=models.F("consent_confirmed_at")),
                consent_confirmed_at__isnull=False,
            )
            .exclude(fingerprint="")
            .exclude(stage="")
        )

    def healed_first(self):
        """Healed results first (what clients ask to see), then the clinic's own order."""
        rank = models.Case(
            models.When(stage=ClinicPhoto.Stage.HEALED, then=0),
            models.When(stage=ClinicPhoto.Stage.FRESH, then=1),
            models.When(stage=ClinicPhoto.Stage.BEFORE, then=1),
            default=2,
        )
        return self.alias(stage_rank=rank).order_by("stage_rank", "order", "id")

    def awaiting_staff(self):
        """Photos with a match nobody has looked at yet."""
        return self.filter(match_found_at__isnull=False, match_cleared_at__isnull=True)


class ClinicClosure(models.Model):
    """Days a clinic is closed outside its weekly hours: holidays, a move, training."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=120, blank=True, help_text="e.g. “Christmas holidays”")

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=models.F("last_day")),
                name="clinics_closure_days_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Closed {self.first_day}–{self.last_day}"


class ClinicPhoto(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", "Before"
        FRESH = "fresh", "Straight after a session"
        HEALED = "healed", "Healed"
        STUDIO = "studio", "The studio (no client's work)"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=clinic_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=200, help_text="What the photo shows, for people who can't see it."
    )
    stage = models.CharField(
        max_length=10,
        choices=Stage,
        blank=True,
        help_text="Empty until staff know it; a photo without a stage is not published.",
    )
    artist = models.ForeignKey(
        Artist,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        help_text="Who did the work shown.",
    )
    months_healed = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="For healed results: months since the last session.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    # A small copy for the gallery grid, made on save: pages don't send full-size photos.
    thumbnail = models.ImageField(
        blank=True, editable=False, width_field="thumb_width", height_field="thumb_height"
    )
    thumb_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumb_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Published only once staff have recorded the consent of the client shown (or, for
    # the studio, of anyone in the picture): an admin action sets these.
    consent_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_confirmed_by = staff_member()
    # common/fingerprints.py: computed when the image is stored, compared with every
    # gallery and review photo on the site.
    fingerprint = models.CharField(max_length=256, blank=True, editable=False)
    match_found_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_details = models.TextField(blank=True, editable=False)
    match_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_cleared_by = staff_member()

    objects = ClinicPhotoQuerySet.as_manager()

    THUMBNAIL_WIDTH = 400

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "gallery photo"
        constraints = [
            models.CheckConstraint(
                condition=Q(months_healed__isnull=True) | Q(stage="healed"),
                name="clinics_photo_months_only_when_healed",
                violation_error_message="Months since the last session go with healed results.",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs):
        fresh_upload = bool(self.image) and not self.image._committed
        if fresh_upload and not getattr(self, "sanitised", False):
            # An upload through admin: public photos never keep their metadata (EXIF, GPS).
            content, _info = sanitise(self.image.file)
            self.image = ContentFile(content.read(), name="gallery.jpg")
        super().save(*args, **kwargs)
        if self.image and self.thumbnail.name != thumbnail_name(self.image.name):
            self.thumbnail.name = make_thumbnail(self.image, self.THUMBNAIL_WIDTH)
            self.thumbnail.storage = self.image.storage
            self.thumb_width = self.thumb_height = None
            self._meta.get_field("thumbnail").update_dimension_fields(self, force=True)
            type(self).objects.filter(pk=self.pk).update(
                thumbnail=self.thumbnail.name,
                thumb_width=self.thumb_width,
                thumb_height=self.thumb_height,
            )
        if self.image and (fresh_upload or not self.fingerprint):
            self.check_for_copies()
        # Last: the thumbnail, the fingerprint and a flag decide whether it can be a cover
        # (of its clinic, and of the one it was moved from, if any).
        clinics = {self.clinic_id, getattr(self, "_loaded_clinic_id", None)} - {None}
        Clinic.objects.filter(pk__in=clinics).refresh_covers()
        self._loaded_clinic_id = self.clinic_id

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        photo._loaded_clinic_id = photo.__dict__.get("clinic_id")
        return photo

    def clean(self) -> None:
        if self.artist is not None and self.artist.clinic_id != self.clinic_id:
            raise ValidationError({"artist": "Choose one of this clinic's artists."})
        if self.image and not self.image._committed:
            # save() sanitises a new upload: what it would refuse is said on the form.
            try:
                check_decode_cost(self.image.file)
            except PhotoRejected as exc:
                raise ValidationError({"image": str(exc)}) from None

    def check_for_copies(self) -> None:
        """Fingerprint the stored image and flag it, and whatever it matches, for staff."""
        with self.image.open("rb") as source:
            self.fingerprint = fingerprints.fingerprint(source)
        type(self).objects.filter(pk=self.pk).update(fingerprint=self.fingerprint)
        notes = fingerprints.check_new_photo(self.fingerprint, source="gallery", pk=self.pk)
        if notes:
            flag_gallery_photo(self.pk, " ".join(notes))
            self.refresh_from_db(fields=["match_found_at", "match_details"])

    def is_public(self) -> bool:
        return type(self).objects.public().filter(pk=self.pk).exists()

    @property
    def caption(self) -> str:
        """ "Healed, 8 months after the last session · work by Sam Lee" """
        return photo_caption(
            self.stage, self.months_healed, self.artist.name if self.artist is not None else None
        )


# A caption's stage as visitors read it (the choices' labels are for staff).
_STAGE_CAPTIONS: dict[str, Promise] = {
    ClinicPhoto.Stage.BEFORE: gettext_lazy("Before"),
    ClinicPhoto.Stage.FRESH: gettext_lazy("Straight after a session"),
    ClinicPhoto.Stage.HEALED: gettext_lazy("Healed"),
}


def photo_caption(stage: str, months_healed: int | None, artist_name: str | None) -> str:
    """A gallery photo's caption from its stage, months healed and artist's name."""
    if stage == ClinicPhoto.Stage.STUDIO:
        return gettext("The studio")  # the choice's label explains it to staff, not to visitors
    # As `get_stage_display()`: the label of a known stage, else the stored value.
    parts = [str(_STAGE_CAPTIONS.get(stage, stage))] if stage else []
    if stage == ClinicPhoto.Stage.HEALED and months_healed:
        parts[0] = ngettext(
            "Healed, %(months)s month after the last session",
            "Healed, %(months)s months after the last session",
            months_healed,
        ) % {"months": months_healed}
    if artist_name is not None:
        parts.append(gettext("work by %(artist)s") % {"artist": artist_name})
    # The caption's facts, each whole, apart as on every caption: "Healed, … · work by …".
    return " · ".join(parts)


def flag_gallery_photo(pk: int, note: str) -> None:
    """Record a possible copy on a gallery photo (common/fingerprints.py calls this).

    A photo not yet public is held back until staff clear it. One already public stays
    up (its match is newer than its consent: see ClinicPhotoQuerySet.public), flagged.
    """
    photo = ClinicPhoto.objects.filter(pk=pk).only("match_details").first()
    if photo is not None:
        ClinicPhoto.objects.filter(pk=pk).update(
            match_found_at=timezone.now(),
            match_details=f"{photo.match_details}\n{note}".strip()[-2000:],
            match_cleared_at=None,
        )
        Clinic.objects.filter(photos__pk=pk).refresh_covers()  # a held photo is no cover


def _gallery_photos() -> list[fingerprints.StoredPhoto]:
    rows = ClinicPhoto.objects.exclude(fingerprint="").values_list("pk", "clinic_id", "fingerprint")
    return [fingerprints.StoredPhoto("gallery", pk, clinic, fp) for pk, clinic, fp in rows]


def _describe_gallery_photo(pk: int) -> str:
    photo = ClinicPhoto.objects.select_related("clinic").filter(pk=pk).first()
    return f"gallery photo {pk} of {photo.clinic.name}" if photo else f"gallery photo {pk}"


def register_gallery_fingerprints() -> None:
    fingerprints.register(
        fingerprints.Source(
            name="gallery",
            photos=_gallery_photos,
            flag=flag_gallery_photo,
            describe=_describe_gallery_photo,
        )
    )


COVER_FIELDS = ("cover_name", "cover_width", "cover_height")
# What a clinic's card reads of its row (templates/jinja2/clinics/clinic_cards.html, the
# lists' links and sorts in Python): `ClinicQuerySet.for_cards()` reads only these.
CARD_FIELDS = (
    "name",
    "slug",
    "city",
    "is_sample",
    "summary",
    "text_language",
    "summary_translations",
    "price_from",
    "price_to",
    "currency",
    "reply_rate",
    "median_reply_hours",
    "rating_average",
    "rating_count",
    *COVER_FIELDS,
)

# The "Recommended" order. Verified reviews first, as a weighted rating that starts from
# a site-wide prior: (v·R + m·C) / (v + m), v published reviews averaging R. With m = 5
# and C = 4.0, a clinic without reviews scores 4.0, one 5★ review 4.17 and forty 4.8★
# reviews 4.71, so a few reviews move a clinic less than many. Then smaller terms, which
# together stay below what forty good reviews are worth: public healed photos (0.04
# each, up to 5), credentials valid today (0.1 each, up to 2) and a median first reply
# within a day (0.1) or three days (0.05).
PRIOR_REVIEWS = 5
PRIOR_RATING = 4.0
HEALED_PHOTO_POINTS, MAX_HEALED_PHOTOS = 0.04, 5
CREDENTIAL_POINTS, MAX_CREDENTIALS = 0.1, 2
REPLY_DAY_POINTS, REPLY_DAYS_POINTS = 0.1, 0.05


def _count(queryset) -> models.Func:
    """How many rows of `queryset` (filtered on the outer clinic) there are, as a subquery."""
    counted = queryset.order_by().values("clinic").annotate(n=models.Count("pk")).values("n")
    return Coalesce(models.Subquery(counted[:1]), models.Value(0))


def recommended_score(
    rating_average: models.Expression | None = None,
    rating_count: models.Expression | None = None,
    credentials: models.Expression | None = None,
) -> models.Expression:
    """The expression `Clinic.recommended_score` stores, for an UPDATE of clinics.

    An input being stored by the same UPDATE is given here (its column would still read
    the old value)."""
    # By name: the credentials app builds on the directory, not the reverse.
    Credential = apps.get_model("credentials", "Credential")

    real: models.FloatField = models.FloatField()
    count = Cast(rating_count if rating_count is not None else models.F("rating_count"), real)
    average = Coalesce(
        rating_average if rating_average is not None else models.F("rating_average"),
        models.Value(0.0),
        output_field=real,
    )
    weighted = models.ExpressionWrapper(
        (count * average + models.Value(PRIOR_REVIEWS * PRIOR_RATING))
        / (count + models.Value(float(PRIOR_REVIEWS))),
        output_field=real,
    )
    healed = _count(
        ClinicPhoto.objects.public().filter(
            clinic=models.OuterRef("pk"), stage=ClinicPhoto.Stage.HEALED
        )
    )
    if credentials is None:
        credentials = _count(
            Credential.objects.valid_on(timezone.localdate()).filter(clinic=models.OuterRef("pk"))
        )
    replies = models.Case(
        models.When(median_reply_hours__lte=24, then=models.Value(REPLY_DAY_POINTS)),
        models.When(median_reply_hours__lte=72, then=models.Value(REPLY_DAYS_POINTS)),
        default=models.Value(0.0),
        output_field=real,
    )
    return models.ExpressionWrapper(
        weighted
        + Cast(Least(healed, models.Value(MAX_HEALED_PHOTOS)), real)
        * models.Value(HEALED_PHOTO_POINTS)
        + Cast(Least(credentials, models.Value(MAX_CREDENTIALS)), real)
        * models.Value(CREDENTIAL_POINTS)
        + replies,
        output_field=real,
    )


@functools.lru_cache(maxsize=8)
def _covers_update(alias: str, vendor: str, day: date) -> tuple[str, tuple]:
    """`UPDATE` of every clinic's row with what `refresh_covers` stores, as SQL and its
    parameters, without a WHERE clause.

    Compiled once per database and day (the day is a parameter: which credentials are
    valid): building and compiling its nine subqueries takes Django about ten
    milliseconds, and it runs on every save of a clinic, a gallery photo or an artist,
    three times for each clinic a test or the sample data makes, where the UPDATE itself
    takes a fraction of one."""
    columns = cover_columns("pk")
    public = ClinicPhoto.objects.public().filter(clinic=models.OuterRef("pk"))
    query = cast(UpdateQuery, Clinic.objects.using(alias).all().query.chain(UpdateQuery))
    query.add_update_values(
        {
            "cover_name": Coalesce(columns["cover_name"], models.Value("")),
            "cover_width": columns["cover_width"],
            "cover_height": columns["cover_height"],
            "has_artist": models.Exists(Artist.objects.filter(clinic=models.OuterRef("pk"))),
            "has_public_photo": models.Exists(public),
            # Its healed photos are an input of the order too (same UPDATE, no extra query).
            "recommended_score": recommended_score(),
        }
    )
    sql, params = query.get_compiler(alias).as_sql()
    return sql, tuple(params)


def cover_columns(clinic_ref: str) -> dict[str, models.Func]:
    """Expressions for a clinic's cover (a gallery photo's thumbnail), read by
    `Clinic.cover`: what `ClinicQuerySet.refresh_covers` stores on the clinic's row, or
    annotations of another model's query (`clinic_ref` names the clinic's id in it:
    "pk", "clinic_id")."""
    chosen_ref = "cover_photo_id" if clinic_ref == "pk" else f"{clinic_ref[:-3]}__cover_photo_id"
    # Only a photo the public may see (consent recorded, no copy waiting for staff).
    public = ClinicPhoto.objects.public().filter(clinic=models.OuterRef(clinic_ref))
    # Staff's choice, while it is public. (Its own subquery: SQLite cannot read the outer
    # row in a subquery's ORDER BY, so the choice cannot simply sort first.)
    chosen = public.filter(pk=models.OuterRef(chosen_ref))
    # Otherwise a healed result, which shows the clinic's work best (a "before" picture
    # makes a poor cover), then one straight after a session.
    best = public.alias(
        cover_rank=models.Case(
            models.When(stage=ClinicPhoto.Stage.HEALED, then=0),
            models.When(stage=ClinicPhoto.Stage.FRESH, then=1),
            default=2,
        )
    ).order_by("cover_rank", "order", "id")
    return {
        name: Coalesce(
            models.Subquery(chosen.values(column)[:1]), models.Subquery(best.values(column)[:1])
        )
        for name, column in zip(
            COVER_FIELDS, ("thumbnail", "thumb_width", "thumb_height"), strict=True
        )
    }


def thumbnail_name(image_name: str) -> str:
    return f"thumbs/{PurePath(image_name).stem}-{ClinicPhoto.THUMBNAIL_WIDTH}.jpg"


def make_thumbnail(image, width: int) -> str:
    """Store a JPEG copy `width` pixels wide (once per source image) and return its name."""
    name = thumbnail_name(image.name)
    storage = image.storage
    if not storage.exists(name):
        with image.open("rb"), Image.open(image) as source:
            copy = source.convert("RGB")
            copy.thumbnail((width, width * 4))
            buffer = io.BytesIO()
            copy.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
        storage.save(name, ContentFile(buffer.getvalue()))
    return name
