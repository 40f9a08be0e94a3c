"""Sample training events: a past meeting, next year's meeting, a course with two intakes,
and an online workshop. Every event is marked `is_sample` and says so on its pages; the
names, texts and guest instructors were invented for this project, and the artists who
teach come from the sample directory.

Dates are set relative to the day `load_demo` runs, so the demo always has a past event
and upcoming ones. Reruns update the same events and remove sample events no longer made.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from clinics.models import Artist, City, Clinic, listed_q
from training import zones
from training.models import ClassInstructor, Event, Instructor, Level, Topic, TrainingClass

NOTE = "Sample event, made up for the SMP Clinic Finder demonstration. "


@dataclass(frozen=True)
class SampleClass:
    title: str
    slug: str
    kind: str
    topic: str
    level: str
    day: int  # days after the event's first day
    start: time
    hours: float
    price: int | None
    seats: int
    seats_taken: int
    summary: str
    teachers: tuple[str, ...]  # artist keys ("london:0") or guest names
    days: int = 1
    kit: bool = False
    certificate: bool = True
    models: bool = False
    prerequisites: str = ""


GUESTS = {
    "Imogen Hale": "Sample guest instructor: a pigment chemist who explains why dots shift "
    "colour as skin heals, and how to choose for each skin tone.",
    "Tomás Ferrer": "Sample guest instructor: a studio owner who teaches pricing, "
    "consultations and aftercare messages that keep clients coming back.",
}


def _meeting_classes(past: bool) -> list[SampleClass]:
    """The yearly meeting's programme: the three masterclasses the original site listed."""
    return [
        SampleClass(
            "Scalp colour theory",
            "scalp-colour-theory",
            TrainingClass.Kind.MASTERCLASS,
            Topic.COLOUR_THEORY,
            Level.ADVANCED,
            0,
            time(9, 30),
            3,
            450,
            20,
            20 if past else 14,
            "Why pigment heals blue or green on some skin, and how to mix and dilute "
            "so it never does.",
            ("Imogen Hale", "london:0"),
        ),
        SampleClass(
            "Advanced scars and hairlines",
            "advanced-scars-and-hairlines",
            TrainingClass.Kind.MASTERCLASS,
            Topic.SCAR_CAMOUFLAGE,
            Level.ADVANCED,
            0,
            time(14, 0),
            3.5,
            520,
            16,
            16,
            "Camouflaging FUT strips and FUE dots, then drawing a hairline that ages well.",
            ("manchester:0",),
            models=True,
            prerequisites="At least a year of paid SMP work, with photos of ten healed "
            "treatments to show on the day.",
        ),
        SampleClass(
            "Advanced blending",
            "advanced-blending",
            TrainingClass.Kind.WORKSHOP,
            Topic.BLENDING,
            Level.ADVANCED,
            1,
            time(10, 0),
            6,
            690,
            12,
            12 if past else 3,
            "Blending SMP into longer hair and into existing density, with supervised "
            "work on live models.",
            ("london:1", "manchester:0"),
            kit=True,
            models=True,
        ),
    ]


def _course_classes() -> list[SampleClass]:
    spring = SampleClass(
        "Foundation course: spring intake",
        "spring-intake",
        TrainingClass.Kind.COURSE,
        Topic.FOUNDATIONS,
        Level.FOUNDATION,
        0,
        time(9, 0),
        8,
        3200,
        6,
        2,
        "Three days from first principles: needles, pigment, hygiene, hairline design and "
        "a first supervised treatment.",
        ("leeds:0",),
        days=3,
        kit=True,
        models=True,
        prerequisites="None: this course is for people new to SMP. A tattoo or permanent "
        "make-up background helps but is not needed.",
    )
    summer = replace(
        spring,
        title="Foundation course: summer intake",
        slug="summer-intake",
        day=56,
        seats_taken=0,
    )
    return [spring, summer]


def _online_classes() -> list[SampleClass]:
    return [
        SampleClass(
            "Pricing and consultations for new studios",
            "pricing-and-consultations",
            TrainingClass.Kind.WORKSHOP,
            Topic.BUSINESS,
            Level.FOUNDATION,
            0,
            time(18, 0),
            2,
            95,
            40,
            11,
            "How to price a treatment, run a consultation that sets the right expectations, "
            "and write aftercare messages clients read.",
            ("Tomás Ferrer", "new-york:0"),
            certificate=False,
        ),
    ]


def _artists() -> dict[str, Artist]:
    """Sample artists of listed clinics, by "city-slug:n" (n-th artist of that city)."""
    found: dict[str, Artist] = {}
    for slug in ("london", "manchester", "leeds", "new-york"):
        artists = (
            Artist.objects.filter(
                listed_q("clinic__"),
                clinic__is_sample=True,
                clinic__city__slug=slug,
            )
            .select_related("clinic")
            .order_by("clinic__name", "order")
        )
        for n, artist in enumerate(artists[:3]):
            found[f"{slug}:{n}"] = artist
    return found


def _instructor(key: str, artists: dict[str, Artist]) -> Instructor | None:
    if key in GUESTS:
        instructor, _ = Instructor.objects.update_or_create(
            artist=None, name=key, defaults={"bio": GUESTS[key]}
        )
        return instructor
    artist = artists.get(key)
    if artist is None:
        return None
    instructor, _ = Instructor.objects.get_or_create(artist=artist)
    instructor.save()  # keeps the name in step with the artist's
    return instructor


def _event(
    slug: str, name: str, first_day: date, last_day: date, city: City | None, **fields
) -> Event:
    event, _ = Event.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "starts_on": first_day,
            "ends_on": last_day,
            "city": city,
            "online": city is None,
            "status": Event.Status.PUBLISHED,
            "is_sample": True,
            "time_zone": "",  # found again from the city (or the organiser's)
            **fields,
        },
    )
    return event


def _classes(event: Event, plans: list[SampleClass], artists: dict[str, Artist]) -> int:
    kept = []
    for plan in plans:
        day = event.starts_on + timedelta(days=plan.day)
        starts = zones.aware(datetime.combine(day, plan.start), event.zone)
        if plan.days > 1:
            end_day = day + timedelta(days=plan.days - 1)
            ends = zones.aware(datetime.combine(end_day, time(17, 0)), event.zone)
        else:
            ends = starts + timedelta(hours=plan.hours)
        training_class, _ = TrainingClass.objects.update_or_create(
            event=event,
            slug=plan.slug,
            defaults={
                "title": plan.title,
                "kind": plan.kind,
                "topic": plan.topic,
                "level": plan.level,
                "summary": plan.summary,
                "description": NOTE + plan.summary,
                "starts_at": starts,
                "ends_at": ends,
                "price": plan.price,
                "currency": _currency(event),
                "seats": plan.seats,
                "seats_taken": plan.seats_taken,
                "includes_kit": plan.kit,
                "includes_certificate": plan.certificate,
                "includes_models": plan.models,
                "prerequisites": plan.prerequisites,
            },
        )
        kept.append(training_class.pk)
        training_class.class_instructors.all().delete()
        instructors = [_instructor(key, artists) for key in plan.teachers]
        ClassInstructor.objects.bulk_create(
            [
                ClassInstructor(training_class=training_class, instructor=instructor, order=n)
                for n, instructor in enumerate(instructors)
                if instructor is not None
            ]
        )
    event.classes.exclude(pk__in=kept).delete()
    return len(kept)


def _currency(event: Event) -> str:
    if event.online or event.city is None:
        return "USD"
    return {"GB": "GBP", "US": "USD", "AU": "AUD", "CA": "CAD"}.get(event.city.country.code, "EUR")


@transaction.atomic
def load_training(today: date | None = None) -> dict[str, int]:
    """Create or update the sample events. Safe to run any number of times."""
    today = today or timezone.localdate()
    cities = {city.slug: city for city in City.objects.filter(country__in=["GB", "US"])}
    artists = _artists()
    organiser = Clinic.objects.listed().filter(is_sample=True, city__slug="new-york").first()
    upcoming = today + timedelta(weeks=9)
    # A year before, to the weekday; 53 weeks, so that it always falls in an earlier year.
    last = upcoming - timedelta(weeks=53)
    meeting = dict(
        kind=Event.Kind.CONFERENCE,
        summary="Sample event. Two days of masterclasses by working artists: colour, "
        "scars, hairlines and blending.",
        description=NOTE + "A yearly meeting of SMP artists, with masterclasses in the "
        "morning and supervised practice in the afternoon.",
        venue_name="Sample Hall",
        organiser_name="Northern SMP Meeting (sample organiser)",
        organiser_email="meeting@training.example",
        organiser_website="https://northern-smp-meeting.example",
    )
    plan = [
        (
            _event(
                f"northern-smp-meeting-{last.year}",
                f"Northern SMP Meeting {last.year}",
                last,
                last + timedelta(days=1),
                cities.get("manchester"),
                venue_address="1 Sample Quay",
                **meeting,
            ),
            _meeting_classes(past=True),
        ),
        (
            _event(
                f"northern-smp-meeting-{upcoming.year}",
                f"Northern SMP Meeting {upcoming.year}",
                upcoming,
                upcoming + timedelta(days=1),
                cities.get("london"),
                venue_address="20 Sample Row",
                **meeting,
            ),
            _meeting_classes(past=False),
        ),
        (
            _event(
                "foundation-smp-course-leeds",
                "Foundation SMP course, Leeds",
                today + timedelta(weeks=5),
                today + timedelta(weeks=13, days=2),
                cities.get("leeds"),
                kind=Event.Kind.COURSE,
                summary="Sample course. A three-day foundation course for new artists, "
                "run twice this year.",
                description=NOTE + "Small groups, one trainer for every three students, "
                "and a certificate once your first healed work has been checked.",
                venue_name="Sample Academy",
                venue_address="5 Sample Yard",
                organiser_name="Sample SMP Academy",
                organiser_email="academy@training.example",
            ),
            _course_classes(),
        ),
        (
            _event(
                "pricing-and-consultations-online",
                "Running an SMP studio: online evening",
                today + timedelta(weeks=3),
                today + timedelta(weeks=3),
                None,
                kind=Event.Kind.CONFERENCE,
                summary="Sample event. An online evening on pricing and consultations, "
                "for artists opening their first studio.",
                description=NOTE + "Live on video, with time for questions. The link comes "
                "from the organiser once your seat is confirmed.",
                organiser_clinic=organiser,
                organiser_name="" if organiser else "Sample online organiser",
                organiser_email="" if organiser else "online@training.example",
                # The organiser's zone: their clinic's city's, found on save.
                time_zone="" if organiser else "America/New_York",
            ),
            _online_classes(),
        ),
    ]
    counts = {"events": 0, "classes": 0}
    for event, classes in plan:
        counts["events"] += 1
        counts["classes"] += _classes(event, classes, artists)
    Event.objects.filter(is_sample=True).exclude(pk__in=[e.pk for e, _ in plan]).delete()
    counts["past"] = Event.objects.filter(is_sample=True).past().count()
    return counts
