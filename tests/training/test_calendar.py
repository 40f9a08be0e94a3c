"""Calendar files: parsed back, each class starts at the same instant, in the venue's zone."""

from datetime import UTC

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.training.factories import (
    EventFactory,
    InstructorFactory,
    TrainingClassFactory,
    local,
    teach,
)

pytestmark = pytest.mark.django_db


def _calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    "zone", ["Europe/London", "Australia/Sydney", "America/New_York", "Asia/Kolkata"]
)
def test_a_class_file_starts_at_the_same_instant_in_utc(client, zone):
    event = EventFactory(time_zone=zone)
    training_class = TrainingClassFactory(
        event=event,
        title="Hairlines",
        starts_at=local(
            zone, event.starts_on.year, event.starts_on.month, event.starts_on.day, 9, 30
        ),
    )
    teach(training_class, InstructorFactory(name="Ana Ruiz"))
    calendar = _calendar(
        client, reverse("training:class-ics", args=[event.slug, training_class.slug])
    )
    [item] = calendar.walk("VEVENT")
    start, end = item.decoded("dtstart"), item.decoded("dtend")
    assert start.astimezone(UTC) == training_class.starts_at.astimezone(UTC)
    assert end.astimezone(UTC) == training_class.ends_at.astimezone(UTC)
    # The venue's wall clock, with its zone: calendars convert it for their reader.
    assert item["dtstart"].params["TZID"] == zone
    assert (start.hour, start.minute) == (9, 30)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert str(item["summary"]) == f"Hairlines ({event.name})"
    assert "With Ana Ruiz" in str(item["description"])
    assert str(item["url"]) == "http://testserver" + training_class.get_absolute_url()


def test_an_event_file_holds_every_class_once(client):
    event = EventFactory(time_zone="Europe/Berlin")
    classes = [
        TrainingClassFactory(event=event, starts_at=local("Europe/Berlin", 2031, 3, 29, hour))
        for hour in (9, 14)
    ]
    # 30 March 2031: the clocks go forward in Berlin; the day-two class is in summer time.
    classes.append(
        TrainingClassFactory(event=event, starts_at=local("Europe/Berlin", 2031, 3, 30, 9))
    )
    calendar = _calendar(client, reverse("training:event-ics", args=[event.slug]))
    items = calendar.walk("VEVENT")
    assert len({str(i["uid"]) for i in items}) == 3
    starts = sorted(i.decoded("dtstart").astimezone(UTC) for i in items)
    assert starts == sorted(c.starts_at.astimezone(UTC) for c in classes)
    assert [s.hour for s in starts] == [8, 13, 7]


def test_an_online_class_says_online(client):
    training_class = TrainingClassFactory(event=EventFactory(online_event=True))
    calendar = _calendar(
        client, reverse("training:class-ics", args=[training_class.event.slug, training_class.slug])
    )
    [item] = calendar.walk("VEVENT")
    assert str(item["location"]) == "Online"
    assert item["dtstart"].params["TZID"] == "Europe/Berlin"


def test_the_class_page_links_its_calendar_file(client):
    training_class = TrainingClassFactory()
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert (
        reverse("training:class-ics", args=[training_class.event.slug, training_class.slug]) in html
    )
    assert "Add to calendar" in html
