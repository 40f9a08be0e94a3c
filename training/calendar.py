"""Calendar files (.ics, RFC 5545) for a class or a whole event, built with icalendar.

Start and end carry the event's IANA zone (TZID) and the file holds that zone's VTIMEZONE,
so a calendar shows the venue's wall-clock time converted to the reader's own zone.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event, TrainingClass

PRODUCT = "-//SMP Clinic Finder//Training//EN"


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def _component(training_class: TrainingClass, url: str, stamp: datetime) -> CalendarEvent:
    event = training_class.event
    item = CalendarEvent()
    item.add("uid", f"training-class-{training_class.pk}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("dtstart", training_class.local_start)
    item.add("dtend", training_class.local_end)
    item.add("summary", f"{training_class.title} ({event.name})")
    lines = [training_class.summary]
    if training_class.instructor_list:
        names = ", ".join(i.name for i in training_class.instructor_list)
        lines.append(gettext("With %(names)s") % {"names": names})
    lines.append(url)
    item.add("description", "\n\n".join(lines))
    if event.online:
        item.add("location", gettext("Online"))
    else:
        parts = [event.venue_name, event.venue_address, event.place]
        item.add("location", ", ".join(p for p in parts if p))
    item.add("url", url)
    item.add("last-modified", training_class.updated_at)
    return item


def calendar_for(classes: list[TrainingClass], absolute, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for training_class in classes:
        url = absolute(training_class.get_absolute_url())
        calendar.add_component(_component(training_class, url, stamp))
    # Each TZID used above gets its VTIMEZONE, from the same zoneinfo data, with the
    # zone's rules for a year either side (not 1970 to 2038: a file of a few KB, not 20).
    if classes:
        first = min(c.local_start.date() for c in classes) - timedelta(days=366)
        last = max(c.local_end.date() for c in classes) + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def event_calendar(event: Event, classes: list[TrainingClass], absolute) -> bytes:
    return calendar_for(classes, absolute, event.name)
