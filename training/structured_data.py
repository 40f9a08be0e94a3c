"""schema.org data for search engines: EducationEvent for a class, Event for a conference,
Course with hasCourseInstance for a course that runs on several dates.

`absolute` turns a path into a full URL (`common.addresses.absolute_url`: SITE_URL's,
never the Host header).
"""

from collections.abc import Callable
from typing import Any

from .models import Event, TrainingClass

Absolute = Callable[[str], str]
CONTEXT = "https://schema.org"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
SCHEDULED = "https://schema.org/EventScheduled"


def _location(event: Event, url: str) -> dict[str, Any]:
    if event.online or event.city is None:
        return {"@type": "VirtualLocation", "url": url}
    city = event.city
    return {
        "@type": "Place",
        "name": event.venue_name or city.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.venue_address,
            "addressLocality": city.name,
            "addressRegion": city.region,
            "addressCountry": city.country.code,
        },
    }


def _organizer(event: Event, absolute: Absolute) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": event.organiser}
    clinic = event.organiser_listed_clinic
    if clinic is not None:
        data["url"] = absolute(clinic.get_absolute_url())
    elif event.organiser_website:
        data["url"] = event.organiser_website
    return data


def _people(training_class: TrainingClass, absolute: Absolute) -> list[dict[str, Any]]:
    people = []
    for instructor in training_class.instructor_list:
        person: dict[str, Any] = {"@type": "Person", "name": instructor.name}
        clinic = instructor.listed_clinic
        if clinic is not None:
            person["url"] = absolute(clinic.get_absolute_url())
            person["worksFor"] = {"@type": "Organization", "name": clinic.name}
        elif instructor.website:
            person["url"] = instructor.website
        if instructor.short_bio:
            person["description"] = instructor.short_bio
        people.append(person)
    return people


def _offer(training_class: TrainingClass, url: str) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": url,
        "availability": training_class.availability,
        "priceCurrency": training_class.currency,
    }
    if training_class.price is not None:
        offer["price"] = str(training_class.price)
    if training_class.event.published_at:
        offer["validFrom"] = training_class.event.published_at.replace(microsecond=0).isoformat()
    return offer


def _when(training_class: TrainingClass) -> dict[str, str]:
    return {
        "startDate": training_class.local_start.isoformat(),
        "endDate": training_class.local_end.isoformat(),
    }


def education_event(training_class: TrainingClass, absolute: Absolute) -> dict[str, Any]:
    """A class: an EducationEvent with its place, organiser, instructors and seat offer."""
    event = training_class.event
    url = absolute(training_class.get_absolute_url())
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "EducationEvent",
        "name": training_class.title,
        "description": training_class.summary,
        "url": url,
        **_when(training_class),
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": ONLINE if event.online else OFFLINE,
        "location": _location(event, url),
        "organizer": _organizer(event, absolute),
        "performer": _people(training_class, absolute),
        "offers": _offer(training_class, url),
        "educationalLevel": training_class.get_level_display(),
        "teaches": training_class.get_topic_display(),
        "inLanguage": training_class.language,
        "maximumAttendeeCapacity": training_class.seats,
        "remainingAttendeeCapacity": training_class.seats_left,
        "superEvent": {
            "@type": "Event",
            "name": event.name,
            "url": absolute(event.get_absolute_url()),
        },
    }
    return data


def _course_instance(training_class: TrainingClass, absolute: Absolute) -> dict[str, Any]:
    event = training_class.event
    url = absolute(training_class.get_absolute_url())
    return {
        "@type": "CourseInstance",
        "name": training_class.title,
        "url": url,
        "courseMode": "online" if event.online else "onsite",
        **_when(training_class),
        "location": _location(event, url),
        "instructor": _people(training_class, absolute),
        "offers": _offer(training_class, url),
        "inLanguage": training_class.language,
    }


def event_data(event: Event, classes: list[TrainingClass], absolute: Absolute) -> dict[str, Any]:
    """An event's page: a Course with its runs, or an Event with its classes as sub-events."""
    url = absolute(event.get_absolute_url())
    if event.kind == Event.Kind.COURSE:
        data: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "Course",
            "name": event.name,
            "description": event.summary,
            "url": url,
            "provider": _organizer(event, absolute),
            "hasCourseInstance": [_course_instance(c, absolute) for c in classes],
        }
        if classes:
            first = classes[0]
            data["educationalLevel"] = first.get_level_display()
            data["teaches"] = first.get_topic_display()
            data["offers"] = [_offer(c, absolute(c.get_absolute_url())) for c in classes]
        return data
    sub_events = []
    for training_class in classes:
        sub_event = education_event(training_class, absolute)
        del sub_event["@context"], sub_event["superEvent"]
        sub_events.append(sub_event)
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.name,
        "description": event.summary,
        "url": url,
        "startDate": event.starts_on.isoformat(),
        "endDate": event.ends_on.isoformat(),
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": ONLINE if event.online else OFFLINE,
        "location": _location(event, url),
        "organizer": _organizer(event, absolute),
        "subEvent": sub_events,
    }
