"""Factories for the training app (kept beside its tests; tests/browser uses them too)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from tests.factories import ArtistFactory, CityFactory
from training.models import ClassInstructor, Event, Instructor, TrainingClass


def local(zone: str, *args: int) -> datetime:
    """An aware wall-clock time in `zone`: local("Europe/London", 2027, 3, 14, 9, 30)."""
    return datetime(*args, tzinfo=ZoneInfo(zone))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"SMP Meeting {n}")
    slug = factory.Sequence(lambda n: f"smp-meeting-{n}")
    kind = Event.Kind.CONFERENCE
    status = Event.Status.PUBLISHED
    summary = "Masterclasses for working artists."
    description = "Two days of classes."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=1))
    city = factory.SubFactory(CityFactory)
    time_zone = "Europe/London"
    venue_name = "Hall One"
    venue_address = "1 Test Street"
    organiser_name = "Meeting Organisers"
    organiser_email = "organiser@training.example"

    class Params:
        draft = factory.Trait(status=Event.Status.DRAFT)
        online_event = factory.Trait(online=True, city=None, time_zone="Europe/Berlin")


class TrainingClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingClass

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Masterclass {n}")
    slug = factory.Sequence(lambda n: f"masterclass-{n}")
    topic = "colour-theory"
    level = "advanced"
    summary = "Colour that heals true."
    starts_at = factory.LazyAttribute(
        lambda o: datetime.combine(o.event.starts_on, datetime.min.time()).replace(
            hour=9, minute=30, tzinfo=ZoneInfo(o.event.time_zone or "UTC")
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    price = 450
    currency = "GBP"
    seats = 12
    seats_taken = 0


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    name = factory.Sequence(lambda n: f"Guest {n}")
    bio = "Teaches colour."


def teach(training_class: TrainingClass, instructor: Instructor, order: int = 0) -> None:
    ClassInstructor.objects.create(
        training_class=training_class, instructor=instructor, order=order
    )


def artist_instructor(**artist_fields) -> Instructor:
    return Instructor.objects.create(artist=ArtistFactory(**artist_fields))
