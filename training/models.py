"""Training for artists: events (a yearly meeting, a single course), their classes, the
people who teach them, and artists' enquiries for a seat.

Times: a class's start and end are aware datetimes (UTC in the database); the event holds
the IANA zone they are shown in (the venue's, or for an online event the organiser's).
An event's dates are days in that zone, so "past" turns at the venue's midnight.
Each email about an enquiry is an EnquiryEmail row, sent once by outbox.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf.global_settings import LANGUAGES
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clinics.models import Artist, City, Clinic
from common.addresses import address
from common.dates import date_range, day_and_time, long_date
from common.json_sql import json_list, table
from common.languages import language_field
from common.money import format_money
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet

from . import zones

# Fewer seats left than this: "only a few seats left" (schema.org LimitedAvailability).
FEW_SEATS = 3


class Topic(models.TextChoices):
    COLOUR_THEORY = "colour-theory", _("Colour theory")
    HAIRLINES = "hairlines", _("Hairlines")
    SCAR_CAMOUFLAGE = "scar-camouflage", _("Scar camouflage")
    BLENDING = "blending", _("Blending")
    WOMENS_SMP = "womens-smp", _("Women’s SMP")
    ALOPECIA = "alopecia", _("Alopecia")
    FOUNDATIONS = "foundations", _("SMP foundations")
    BUSINESS = "business", _("Business")
    HYGIENE = "hygiene", _("Hygiene and safety")


class Level(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    ADVANCED = "advanced", _("Advanced")


def _optional_clinic(help_text: str) -> "models.ForeignKey[Clinic | None, Clinic | None]":
    """A link to a clinic of the directory that may be empty, and is kept empty if it goes."""
    return models.ForeignKey(
        Clinic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=help_text,
    )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, now: datetime | None = None):
        """Not over yet where it takes place: its last day has not ended in its zone."""
        return self.filter(ends_at__gt=now or timezone.now())

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lte=now or timezone.now())


class Event(models.Model):
    """A conference (a yearly meeting with many classes) or a single course."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        COURSE = "course", _("Course")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(
        max_length=12,
        choices=Kind,
        default=Kind.CONFERENCE,
        help_text="A course whose classes are runs of the same course is shown as one course "
        "with several dates.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    is_sample = models.BooleanField(
        default=False, help_text="Demo data: its pages say it is not a real event."
    )
    summary = models.CharField(max_length=240, help_text="One or two sentences for lists.")
    description = models.TextField(blank=True, max_length=5000)

    starts_on = models.DateField(help_text="First day, in the venue’s time zone.")
    ends_on = models.DateField(help_text="Last day, in the venue’s time zone.")

    online = models.BooleanField(default=False, help_text="Held online, not at a venue.")
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The venue’s city (leave empty for an online event).",
    )
    venue_name = models.CharField(max_length=160, blank=True)
    venue_address = models.CharField(max_length=255, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="IANA name, e.g. Europe/London. Left empty, it is found from the city (or, "
        "online, from the organiser clinic’s city). Online events show times in this zone.",
    )

    organiser_clinic = _optional_clinic("When a listed clinic organises it.")
    organiser_name = models.CharField(
        max_length=160, blank=True, help_text="Shown publicly; defaults to the clinic’s name."
    )
    organiser_email = models.EmailField(
        blank=True,
        help_text="Where seat enquiries go; never shown. Defaults to the clinic’s quote address.",
    )
    organiser_website = models.URLField(blank=True)

    # Worked out on save from the dates and the zone: what "upcoming" and "past" compare.
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_event_dates_ordered"
            ),
        ]
        indexes = [
            # The upcoming list and the archive: published events by end.
            models.Index(fields=["status", "ends_at"], name="training_event_status_end"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.time_zone:
            self.time_zone = self.guessed_zone() or "UTC"
        self.starts_at = self._day_start(self.starts_on)
        # Over at the end of its last day, midnight where it is held.
        self.ends_at = self._day_start(self.ends_on + timedelta(days=1))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return address("training:event", self.slug)

    # Zone and dates -------------------------------------------------------------------

    def guessed_zone(self) -> str:
        """The zone from the venue's city, or online from the organiser clinic's city."""
        city = self.city if not self.online else None
        if city is None and self.organiser_clinic is not None:
            city = self.organiser_clinic.city
        if city is None:
            return ""
        if city.place_id is not None and (zone := zones.zone_of_place(city.place_id)):
            return zone
        return zones.zone_at(city.latitude, city.longitude, city.country.code) or ""

    @property
    def zone(self) -> ZoneInfo:
        return zones.get_zone(self.time_zone or "UTC")

    @property
    def zone_place(self) -> str:
        return zones.zone_place(self.time_zone or "UTC")

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, time.min).replace(tzinfo=self.zone)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.online and self.city_id is not None:
            errors["city"] = "An online event has no venue city: leave it empty."
        if not self.online and self.city_id is None:
            errors["city"] = "Choose the venue’s city, or tick “online”."
        if not self.organiser_clinic_id and not self.organiser_name:
            errors["organiser_name"] = "Name the organiser, or choose their listed clinic."
        if not self.organiser_address:
            errors["organiser_email"] = "Give the address seat enquiries should go to."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The last day cannot be before the first day."
        if not self.time_zone and "city" not in errors:
            self.time_zone = self.guessed_zone()
        if not self.time_zone:
            errors.setdefault("time_zone", "Give the time zone, e.g. Europe/London.")
        elif not zones.is_zone(self.time_zone):
            errors["time_zone"] = f"“{self.time_zone}” is not a time zone name, e.g. Europe/London."
        if errors:
            raise ValidationError(errors)

    # What pages show ------------------------------------------------------------------

    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def organiser(self) -> str:
        if self.organiser_name:
            return self.organiser_name
        return self.organiser_clinic.name if self.organiser_clinic else ""

    @property
    def organiser_address(self) -> str:
        """Where enquiries go (private)."""
        if self.organiser_email:
            return self.organiser_email
        return self.organiser_clinic.quote_email if self.organiser_clinic else ""

    @property
    def organiser_listed_clinic(self) -> Clinic | None:
        clinic = self.organiser_clinic
        return clinic if clinic is not None and clinic.is_listed() else None

    @property
    def place(self) -> str:
        if self.online:
            return gettext("Online")
        city = self.city
        return f"{city.name}, {city.country_name}" if city else ""

    @property
    def dates_text(self) -> str:
        """ "14 March 2027", "14–16 March 2027", "30 April – 2 May 2027"."""
        return date_range(self.starts_on, self.ends_on)

    def duplicate_for_next_year(self) -> "Event":
        """A draft copy 52 weeks later (same weekday), with its classes and instructors.

        Wall-clock times are kept in the event's zone, whatever the clocks do in between.
        Seats taken and enquiries are not copied.
        """
        shift = timedelta(weeks=52)
        old_year, new_year = str(self.starts_on.year), str((self.starts_on + shift).year)
        with transaction.atomic():
            copy = Event.objects.get(pk=self.pk)
            copy.pk = None
            copy.name = self.name.replace(old_year, new_year)
            if copy.name == self.name:
                copy.name = f"{self.name} ({new_year})"
            copy.slug = _free_slug(self.slug.replace(old_year, new_year), self.slug, new_year)
            copy.status = Event.Status.DRAFT
            copy.published_at = None
            copy.starts_on += shift
            copy.ends_on += shift
            copy.save()
            for training_class in self.classes.prefetch_related("class_instructors"):
                links = list(training_class.class_instructors.all())
                training_class.pk = None
                training_class.event = copy
                training_class.starts_at = _shift_wall_clock(
                    training_class.starts_at, self.zone, shift
                )
                training_class.ends_at = _shift_wall_clock(training_class.ends_at, self.zone, shift)
                training_class.seats_taken = 0
                training_class.save()
                ClassInstructor.objects.bulk_create(
                    [
                        ClassInstructor(
                            training_class=training_class,
                            instructor_id=link.instructor_id,
                            order=link.order,
                        )
                        for link in links
                    ]
                )
        return copy


def _shift_wall_clock(value: datetime, zone: ZoneInfo, shift: timedelta) -> datetime:
    local = value.astimezone(zone).replace(tzinfo=None) + shift
    return local.replace(tzinfo=zone)


def _free_slug(wanted: str, original: str, year: str) -> str:
    slug = wanted if wanted != original else f"{original}-{year}"
    candidate, n = slug, 2
    while Event.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


class Instructor(models.Model):
    """Someone who teaches: an artist of a clinic in the directory, or a named guest."""

    artist = models.OneToOneField(
        Artist,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructor",
        help_text="An artist from the directory: their name comes from there and, while "
        "their clinic is listed, pages link to it.",
    )
    name = models.CharField(max_length=120, blank=True, help_text="For a guest instructor.")
    bio = models.CharField(
        max_length=400, blank=True, help_text="A short bio (guests; artists have one already)."
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or "Instructor"

    def save(self, *args, **kwargs):
        if self.artist is not None:
            self.name = self.artist.name
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.artist_id is None and not self.name:
            raise ValidationError({"name": "Choose an artist, or name the guest instructor."})

    @property
    def listed_clinic(self) -> Clinic | None:
        """The clinic to link to: the artist's, while it is listed."""
        if self.artist is None or not self.artist.clinic.is_listed():
            return None
        return self.artist.clinic

    @property
    def short_bio(self) -> str:
        if self.bio:
            return self.bio
        return self.artist.bio if self.artist is not None else ""


def _instructor_rows():
    """Each class's instructors in order, with what their names, bios and links need (the
    artist's clinic while it is listed), as a JSON list read with the class's row: one
    query for a page of classes, without model instances per link, instructor, artist,
    clinic and city (`TrainingClass.instructor_list` makes the few the page reads)."""
    columns = {
        "name": 'i."name"',
        "bio": 'i."bio"',
        "website": 'i."website"',
        "artist_id": 'i."artist_id"',
        "artist_bio": 'a."bio"',
        "clinic_name": 'c."name"',
        "clinic_slug": 'c."slug"',
        "status": 'c."status"',
        "has_artist": 'c."has_artist"',
        "has_public_photo": 'c."has_public_photo"',
        "city_name": 'y."name"',
        "city_slug": 'y."slug"',
        "country": 'y."country"',
    }
    rows = (
        f"{table(ClassInstructor)} x "
        f'INNER JOIN {table(Instructor)} i ON x."instructor_id" = i."id" '
        f'LEFT JOIN {table(Artist)} a ON i."artist_id" = a."id" '
        f'LEFT JOIN {table(Clinic)} c ON a."clinic_id" = c."id" '
        f'LEFT JOIN {table(City)} y ON c."city_id" = y."id" '
        'WHERE x."training_class_id" = {outer}."id"'
    )
    return json_list(columns, rows, order_by='x."order", x."id"')


def _instructor(row: dict) -> "Instructor":
    """An instructor as `_instructor_rows` read it, with their artist, clinic and city."""
    artist = None
    if row["artist_id"] is not None:
        clinic = None
        if row["clinic_slug"] is not None:
            city = None
            if row["city_slug"] is not None:
                city = City(name=row["city_name"], slug=row["city_slug"], country=row["country"])
            clinic = Clinic(
                name=row["clinic_name"],
                slug=row["clinic_slug"],
                status=row["status"],
                # SQLite's JSON says booleans as 1 and 0.
                has_artist=bool(row["has_artist"]),
                has_public_photo=bool(row["has_public_photo"]),
                city=city,
            )
        artist = Artist(pk=row["artist_id"], bio=row["artist_bio"], clinic=clinic)
    return Instructor(name=row["name"], bio=row["bio"], website=row["website"], artist=artist)


# What a class card reads of its class, event and city (`TrainingClassQuerySet.for_cards`).
CLASS_CARD_FIELDS = (
    "title",
    "slug",
    "kind",
    "topic",
    "level",
    "starts_at",
    "ends_at",
    "price",
    "currency",
    "seats",
    "seats_taken",
    "event__name",
    "event__slug",
    "event__online",
    "event__time_zone",
    "event__is_sample",
    "event__city__name",
    "event__city__country",
)


class TrainingClassQuerySet(models.QuerySet):
    def published(self):
        return self.filter(event__status=Event.Status.PUBLISHED)

    def current(self, now: datetime | None = None):
        """Not over yet: upcoming, or under way."""
        return self.filter(ends_at__gt=now or timezone.now())

    def for_cards(self):
        """What a class card shows (templates/jinja2/training/class_card.html) and nothing
        else: the class, its event's name, dates' zone and place. Never the organiser:
        joining the organising clinic's row (forty columns) cost more than the rest of
        the query; nor the rest of the rows, which took longer to read than the cards to
        render."""
        return self.select_related("event__city").only(*CLASS_CARD_FIELDS)

    def with_instructors(self):
        """Each class's instructors read with its row (`instructor_list`)."""
        return self.annotate(instructor_rows=_instructor_rows())


class TrainingClass(models.Model):
    """A masterclass, foundation course or workshop at an event."""

    class Kind(models.TextChoices):
        MASTERCLASS = "masterclass", _("Masterclass")
        COURSE = "course", _("Foundation course")
        WORKSHOP = "workshop", _("Workshop")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="classes")
    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.MASTERCLASS)
    topic = models.CharField(max_length=20, choices=Topic)
    level = models.CharField(max_length=12, choices=Level, default=Level.FOUNDATION)
    summary = models.CharField(max_length=240)
    description = models.TextField(blank=True, max_length=5000)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    language = models.CharField(max_length=7, choices=LANGUAGES, default="en")
    price = models.PositiveIntegerField(
        null=True, blank=True, help_text="Whole units; empty: price on enquiry; 0: free."
    )
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code: GBP, USD…")
    seats = models.PositiveSmallIntegerField(default=12)
    seats_taken = models.PositiveSmallIntegerField(
        default=0, help_text="The organiser can update this from the link in their emails."
    )
    includes_kit = models.BooleanField("Kit included", default=False)
    includes_certificate = models.BooleanField("Certificate", default=False)
    includes_models = models.BooleanField(
        "Live models", default=False, help_text="Practice on live models."
    )
    includes_other = models.CharField("Also included", max_length=200, blank=True)
    prerequisites = models.TextField(blank=True, max_length=1000)
    instructors: "models.ManyToManyField[Instructor, ClassInstructor]" = models.ManyToManyField(
        Instructor, through="ClassInstructor", related_name="classes", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name_plural = "training classes"
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="training_class_unique_slug"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="training_class_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")), name="training_class_seats_taken_le_seats"
            ),
        ]
        indexes = [
            # /training/: classes not over yet, soonest first.
            models.Index(fields=["ends_at", "starts_at"], name="training_class_end_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("training:class", self.event.slug, self.slug)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The class must end after it starts."})
        if self.seats_taken is not None and self.seats is not None:
            if self.seats_taken > self.seats:
                raise ValidationError({"seats_taken": "More seats taken than there are seats."})

    # Time, as the venue's clock shows it ------------------------------------------------

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.event.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.event.zone)

    @property
    def zone_label(self) -> str:
        """ "GMT (London time)", or online "CET (organiser’s time, Berlin)"."""
        abbreviation = self.local_start.strftime("%Z")
        values = {"zone": abbreviation, "place": self.event.zone_place}
        if self.event.online:
            return gettext("%(zone)s (organiser’s time, %(place)s)") % values
        return gettext("%(zone)s (%(place)s time)") % values

    @property
    def when(self) -> str:
        """ "Saturday 14 March 2027, 09:30–12:30 GMT (London time)"; several days:
        "Monday 3 May 2027, 09:00 – Wednesday 5 May 2027, 17:00 BST (London time)"."""
        start, end = self.local_start, self.local_end
        first = day_and_time(start)
        if start.date() == end.date():
            return f"{first}–{end:%H:%M} {self.zone_label}"
        last = day_and_time(end)
        return f"{first} – {last} {self.zone_label}"

    @property
    def day_text(self) -> str:
        """The first day where the class is held: "14 March 2027"."""
        return long_date(self.local_start)

    @property
    def length(self) -> str:
        """ "3 hours", "2½ hours", "3 days"."""
        start, end = self.local_start, self.local_end
        days = (end.date() - start.date()).days + 1
        if days > 1:
            return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
        minutes = round((end - start).total_seconds() / 60)
        hours, rest = divmod(minutes, 60)
        if rest == 0:
            return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
        if rest == 30:
            return (
                gettext("%(hours)s½ hours") % {"hours": hours} if hours else gettext("30 minutes")
            )
        if hours:
            return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", rest) % {"minutes": rest}

    # Seats and price --------------------------------------------------------------------

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def takes_enquiries(self, now: datetime | None = None) -> bool:
        """An artist may still ask (for a seat, or for the waiting list once full)."""
        return self.event.is_published() and not self.has_started(now)

    @property
    def availability(self) -> str:
        """schema.org ItemAvailability of a seat."""
        if self.is_full or self.has_started():
            return "https://schema.org/SoldOut"
        if self.seats_left <= FEW_SEATS:
            return "https://schema.org/LimitedAvailability"
        return "https://schema.org/InStock"

    @property
    def price_text(self) -> str:
        if self.price is None:
            return gettext("Price on enquiry")
        if self.price == 0:
            return gettext("Free")
        return format_money(self.price, self.currency)

    @property
    def included(self) -> list[str]:
        items = [
            label
            for flag, label in (
                (self.includes_kit, gettext("Kit")),
                (self.includes_certificate, gettext("Certificate")),
                (self.includes_models, gettext("Practice on live models")),
            )
            if flag
        ]
        if self.includes_other:
            items.append(self.includes_other)
        return items

    # Read with the row by `TrainingClassQuerySet.with_instructors()`, absent otherwise.
    instructor_rows: list[dict] | None

    @property
    def instructor_names(self) -> list[str]:
        """What a card says of its instructors: their names, in order."""
        if "instructor_rows" in self.__dict__:
            return [row["name"] for row in self.instructor_rows or ()]
        return [instructor.name for instructor in self.instructor_list]

    @cached_property
    def instructor_list(self) -> list[Instructor]:
        """Instructors in order: read with the row by TrainingClass.objects.with_instructors()
        (not saved, only shown), else from the database."""
        if "instructor_rows" in self.__dict__:
            return [_instructor(row) for row in self.instructor_rows or ()]
        links = self.class_instructors.select_related("instructor__artist__clinic__city")
        return [link.instructor for link in links.order_by("order", "pk")]

    def mark_seats_taken(self, count: int) -> None:
        """The organiser's count of seats taken (0 to seats); all taken opens the waiting list."""
        self.seats_taken = max(0, min(count, self.seats))
        # A save, not a queryset update: its signal makes cached pages show the new count.
        self.save(update_fields=["seats_taken", "updated_at"])


class ClassInstructor(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="class_instructors"
    )
    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="class_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "instructor"], name="training_instructor_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} teaches {self.training_class}"


class Enquiry(models.Model):
    """An artist asking the organiser for a seat (or, once full, a place on the waiting list)."""

    class Experience(models.TextChoices):
        NEW = "new", _("New to SMP")
        UNDER_ONE = "under-1", _("Less than a year")
        ONE_TO_THREE = "1-3", _("1 to 3 years")
        OVER_THREE = "over-3", _("More than 3 years")

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="enquiries"
    )
    name = models.CharField(max_length=120)
    email = models.EmailField()
    clinic_name = models.CharField(max_length=160, blank=True)
    clinic = _optional_clinic("The listed clinic the artist named, when it matched exactly one.")
    experience = models.CharField(max_length=10, choices=Experience)
    # Limits on free text are enforced by the form built from the field.
    message = models.TextField(blank=True, max_length=1500)
    # The one the artist used the site in: their confirmation is written in it.
    language = language_field()
    waiting_list = models.BooleanField(
        default=False, help_text="Sent while the class was full: a place on the waiting list."
    )
    # One per shown form: the same form posted twice is one enquiry.
    submission_key = models.CharField(max_length=40, unique=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Past a limit (many enquiries from one connection, or naming one address) an enquiry
    # is kept but emails nobody until staff send it: the address may be a stranger's.
    held_reason = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"
        indexes = [
            # Admin: a class's enquiries, newest first.
            models.Index(fields=["training_class", "-created_at"], name="training_enquiry_class"),
        ]

    def __str__(self) -> str:
        return f"Enquiry from {self.name} for {self.training_class}"

    def release(self) -> bool:
        """Send a held enquiry's two emails (staff looked at it); False if it was not held."""
        with transaction.atomic():
            released = type(self).objects.filter(pk=self.pk).exclude(held_reason="")
            if not released.update(held_reason=""):
                return False
            self.held_reason = ""
            self.send_emails()
        return True

    def send_emails(self) -> None:
        """The organiser's copy (Reply-To the artist) and the artist's confirmation, once each."""
        event = self.training_class.event
        EnquiryEmail.objects.bulk_create(
            [
                EnquiryEmail(
                    enquiry=self, kind=EnquiryEmail.Kind.ORGANISER, to_email=event.organiser_address
                ),
                EnquiryEmail(
                    enquiry=self, kind=EnquiryEmail.Kind.CONFIRMATION, to_email=self.email
                ),
            ],
            ignore_conflicts=True,  # the unique constraint: a rerun finds its rows there
        )
        self.emails.all().enqueue()


EnquiryEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class EnquiryEmail(OutgoingEmail):
    """An email about an enquiry: to the organiser, or the artist's confirmation."""

    class Kind(models.TextChoices):
        ORGANISER = "organiser", "Enquiry, to the organiser"
        CONFIRMATION = "confirmation", "Confirmation, to the artist"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = (
        "enquiry__training_class__event__city",
        "enquiry__training_class__event__organiser_clinic",
        "enquiry__clinic__city",
    )
    objects = EnquiryEmailManager()

    class Meta(OutgoingEmail.Meta):
        constraints = [
            # The organiser and the artist are each emailed once per enquiry.
            models.UniqueConstraint(fields=["enquiry", "kind"], name="training_enquiry_email_once"),
        ]

    def reader_language(self) -> str:
        if self.kind == self.Kind.CONFIRMATION:
            return self.enquiry.language
        # A listed clinic that organises reads its own; any other organiser, English.
        organiser = self.enquiry.training_class.event.organiser_clinic
        return organiser.language if organiser is not None else super().reader_language()

    def refresh_address(self) -> None:
        # Staff may have corrected the organiser's address before resending.
        if self.kind == self.Kind.ORGANISER:
            address = self.enquiry.training_class.event.organiser_address
            if address:
                self.to_email = address
