"""JSON-LD on class and event pages, for each kind of event."""

import json
import re

import pytest

from tests.factories import ClinicFactory
from tests.training.factories import (
    EventFactory,
    InstructorFactory,
    TrainingClassFactory,
    artist_instructor,
    teach,
)
from training.models import Event

pytestmark = pytest.mark.django_db


def _json_ld(client, url) -> dict:
    html = client.get(url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_an_in_person_class_is_an_education_event_at_a_place(client):
    clinic = ClinicFactory(name="Aire Studio")
    training_class = TrainingClassFactory(
        title="Scalp colour theory",
        event=EventFactory(
            name="Meeting 2030",
            organiser_clinic=clinic,
            organiser_name="",
            venue_name="Hall One",
        ),
        seats=10,
        seats_taken=8,
        price=450,
        currency="GBP",
    )
    teach(training_class, artist_instructor(clinic=clinic, name="Ana Ruiz"))
    teach(training_class, InstructorFactory(name="Guest Person", bio="Chemist."), order=1)
    data = _json_ld(client, training_class.get_absolute_url())
    assert data["@type"] == "EducationEvent"
    assert data["name"] == "Scalp colour theory"
    assert data["startDate"] == training_class.local_start.isoformat()
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Hall One"
    assert data["location"]["address"]["addressCountry"] == "GB"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Aire Studio",
        "url": "http://testserver" + clinic.get_absolute_url(),
    }
    assert [p["name"] for p in data["performer"]] == ["Ana Ruiz", "Guest Person"]
    assert data["performer"][0]["worksFor"]["name"] == "Aire Studio"
    assert data["performer"][1]["description"] == "Chemist."
    assert data["offers"]["price"] == "450"
    assert data["offers"]["priceCurrency"] == "GBP"
    assert data["offers"]["availability"] == "https://schema.org/LimitedAvailability"
    assert data["remainingAttendeeCapacity"] == 2
    assert data["superEvent"]["name"] == "Meeting 2030"


def test_an_online_class_has_a_virtual_location(client):
    training_class = TrainingClassFactory(event=EventFactory(online_event=True))
    data = _json_ld(client, training_class.get_absolute_url())
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver" + training_class.get_absolute_url(),
    }
    assert data["startDate"].endswith("+01:00") or data["startDate"].endswith("+02:00")


def test_a_full_class_offers_no_seat(client):
    training_class = TrainingClassFactory(seats=5, seats_taken=5)
    data = _json_ld(client, training_class.get_absolute_url())
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_a_conference_is_an_event_with_its_classes_as_sub_events(client):
    event = EventFactory(name="Big Meeting")
    first = TrainingClassFactory(event=event, title="First")
    TrainingClassFactory(event=event, title="Second", starts_at=first.starts_at.replace(hour=14))
    data = _json_ld(client, event.get_absolute_url())
    assert data["@type"] == "Event"
    assert data["startDate"] == event.starts_on.isoformat()
    assert data["location"]["@type"] == "Place"
    assert data["organizer"]["name"] == "Meeting Organisers"
    assert [sub["name"] for sub in data["subEvent"]] == ["First", "Second"]
    assert {sub["@type"] for sub in data["subEvent"]} == {"EducationEvent"}
    assert all("offers" in sub for sub in data["subEvent"])


def test_a_repeating_course_is_a_course_with_an_instance_per_date(client):
    event = EventFactory(kind=Event.Kind.COURSE, name="Foundation course")
    spring = TrainingClassFactory(event=event, title="Spring intake", level="foundation")
    TrainingClassFactory(
        event=event,
        title="Autumn intake",
        level="foundation",
        starts_at=spring.starts_at.replace(hour=13),
    )
    data = _json_ld(client, event.get_absolute_url())
    assert data["@type"] == "Course"
    assert data["provider"]["name"] == "Meeting Organisers"
    instances = data["hasCourseInstance"]
    assert [i["@type"] for i in instances] == ["CourseInstance", "CourseInstance"]
    assert [i["name"] for i in instances] == ["Spring intake", "Autumn intake"]
    assert instances[0]["courseMode"] == "onsite"
    assert instances[0]["startDate"] == spring.local_start.isoformat()
    assert len(data["offers"]) == 2
    assert data["educationalLevel"] == "Foundation"
