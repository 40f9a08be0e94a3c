"""Staff edit events with their classes (times in the venue's zone), duplicate an event for
next year, publish and unpublish, and see enquiries with their emails."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.factories import CityFactory
from tests.training.factories import (
    EventFactory,
    InstructorFactory,
    TrainingClassFactory,
    local,
    teach,
)
from training.models import Enquiry, EnquiryEmail, Event, TrainingClass

pytestmark = pytest.mark.django_db
EVENTS = reverse("admin:training_event_changelist")


def _event_form(venue, **overrides) -> dict:
    data = {
        "name": "Sydney Meeting 2031",
        "slug": "sydney-meeting-2031",
        "kind": "conference",
        "status": "published",
        "summary": "Masterclasses by the harbour.",
        "starts_on": "2031-03-14",
        "ends_on": "2031-03-15",
        "city": str(venue.pk),
        "venue_name": "Harbour Hall",
        "venue_address": "",
        "time_zone": "",
        "organiser_clinic": "",
        "organiser_name": "Harbour Meetings",
        "organiser_email": "harbour@training.example",
        "organiser_website": "",
        "description": "",
        "classes-TOTAL_FORMS": "1",
        "classes-INITIAL_FORMS": "0",
        "classes-MIN_NUM_FORMS": "0",
        "classes-MAX_NUM_FORMS": "1000",
        "classes-0-title": "Colour theory",
        "classes-0-slug": "colour-theory",
        "classes-0-kind": "masterclass",
        "classes-0-topic": "colour-theory",
        "classes-0-level": "advanced",
        "classes-0-language": "en",
        "classes-0-summary": "Colour that heals true.",
        "classes-0-starts_local": "2031-03-14T09:30",
        "classes-0-ends_local": "2031-03-14T12:30",
        "classes-0-price": "600",
        "classes-0-currency": "AUD",
        "classes-0-seats": "20",
        "classes-0-seats_taken": "0",
        "classes-0-includes_other": "",
        "classes-0-description": "",
        "classes-0-prerequisites": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def sydney():
    return CityFactory(
        name="Sydney",
        slug="sydney",
        country="AU",
        region="NSW",
        latitude=-33.8688,
        longitude=151.2093,
    )


def test_staff_add_an_event_with_a_class_typed_in_the_venues_time(admin_client, sydney):
    response = admin_client.post(reverse("admin:training_event_add"), _event_form(sydney))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    # Found from the city's coordinates.
    assert event.time_zone == "Australia/Sydney"
    training_class = TrainingClass.objects.get()
    # 09:30 in Sydney on 14 March 2031 (summer time, UTC+11) is 22:30 UTC the day before.
    assert training_class.starts_at == datetime(2031, 3, 13, 22, 30, tzinfo=UTC)
    page = admin_client.get(reverse("admin:training_event_change", args=[event.pk]))
    assert 'value="2031-03-14T09:30"' in page.content.decode()


def test_a_time_the_clocks_skip_is_refused(admin_client):
    london = CityFactory(name="London", slug="london")
    form = _event_form(
        london,
        starts_on="2031-03-30",
        ends_on="2031-03-30",
        **{
            "classes-0-starts_local": "2031-03-30T01:30",
            "classes-0-ends_local": "2031-03-30T04:00",
        },
    )
    response = admin_client.post(reverse("admin:training_event_add"), form)
    assert response.status_code == 200
    assert "does not exist in Europe/London" in response.content.decode()
    assert not Event.objects.exists()


def test_a_class_outside_the_events_dates_is_refused(admin_client, sydney):
    form = _event_form(
        sydney,
        **{
            "classes-0-starts_local": "2031-04-01T09:30",
            "classes-0-ends_local": "2031-04-01T12:30",
        },
    )
    response = admin_client.post(reverse("admin:training_event_add"), form)
    assert "The class must start during the event’s dates." in response.content.decode()
    assert not Event.objects.exists()


def test_an_in_person_event_needs_a_city_and_an_online_one_a_zone(admin_client, sydney):
    response = admin_client.post(reverse("admin:training_event_add"), _event_form(sydney, city=""))
    assert "Choose the venue’s city, or tick “online”." in response.content.decode()
    online = _event_form(sydney, city="", online="on")
    response = admin_client.post(reverse("admin:training_event_add"), online)
    assert "Give the time zone, e.g. Europe/London." in response.content.decode()
    online["time_zone"] = "Mars/Olympus"
    response = admin_client.post(reverse("admin:training_event_add"), online)
    assert "“Mars/Olympus” is not a time zone name" in response.content.decode()
    assert not Event.objects.exists()


def _act(client, action, objects):
    return client.post(
        EVENTS, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True
    )


def test_publish_and_unpublish_from_the_list(admin_client, client):
    training_class = TrainingClassFactory(event=EventFactory(draft=True))
    event = training_class.event
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Published 1 event(s)." in _act(admin_client, "publish", [event]).content.decode()
    assert client.get(training_class.get_absolute_url()).status_code == 200
    assert "Unpublished 1 event(s)." in _act(admin_client, "unpublish", [event]).content.decode()
    assert client.get(training_class.get_absolute_url()).status_code == 404


def test_duplicate_for_next_year_keeps_wall_clock_times_and_weekdays(admin_client):
    event = EventFactory(
        name="Meeting 2030",
        slug="meeting-2030",
        starts_on=date(2030, 3, 16),  # a Saturday, in winter time (GMT)
        ends_on=date(2030, 3, 17),
        time_zone="Europe/London",
    )
    training_class = TrainingClassFactory(
        event=event, starts_at=local("Europe/London", 2030, 3, 16, 9, 30), seats_taken=12
    )
    teach(training_class, InstructorFactory(name="Ana Ruiz"))
    response = _act(admin_client, "duplicate_for_next_year", [event])
    assert "Made 1 draft(s) 52 weeks later: Meeting 2031." in response.content.decode()
    copy = Event.objects.get(slug="meeting-2031")
    assert (copy.status, copy.starts_on, copy.starts_on.weekday()) == (
        "draft",
        date(2031, 3, 15),
        5,
    )
    [copied] = copy.classes.all()
    # 15 March 2031 is still winter time: 09:30 GMT again.
    assert copied.local_start.strftime("%H:%M %Z") == "09:30 GMT"
    assert copied.seats_taken == 0
    assert [i.name for i in copied.instructors.all()] == ["Ana Ruiz"]
    assert event.classes.count() == 1  # the original is untouched


def test_enquiries_are_listed_with_their_emails(admin_client):
    enquiry = Enquiry.objects.create(
        training_class=TrainingClassFactory(),
        name="Kim Artist",
        email="kim@artist.example",
        experience="new",
        submission_key="k1",
    )
    EnquiryEmail.objects.create(enquiry=enquiry, kind="organiser", to_email="o@training.example")
    html = admin_client.get(reverse("admin:training_enquiry_changelist")).content.decode()
    assert "Kim Artist" in html and "Enquiry, to the organiser: Pending" in html
    page = admin_client.get(reverse("admin:training_enquiry_change", args=[enquiry.pk]))
    assert "o@training.example" in page.content.decode()


def test_a_class_page_in_admin_takes_instructors(admin_client):
    training_class = TrainingClassFactory()
    response = admin_client.get(
        reverse("admin:training_trainingclass_change", args=[training_class.pk])
    )
    html = response.content.decode()
    assert 'name="class_instructors-0-instructor"' in html


def _change_form(event, training_class, **overrides) -> dict:
    local_start = training_class.local_start.strftime("%Y-%m-%dT%H:%M")
    local_end = training_class.local_end.strftime("%Y-%m-%dT%H:%M")
    data = _event_form(
        event.city,
        name=event.name,
        slug=event.slug,
        starts_on=event.starts_on.isoformat(),
        ends_on=event.ends_on.isoformat(),
        time_zone=event.time_zone,
        **{
            "classes-INITIAL_FORMS": "1",
            "classes-0-id": str(training_class.pk),
            "classes-0-event": str(event.pk),
            "classes-0-title": training_class.title,
            "classes-0-slug": training_class.slug,
            "classes-0-starts_local": local_start,
            "classes-0-ends_local": local_end,
        },
    )
    data.update(overrides)
    return data


def test_moving_the_venue_finds_its_zone_and_keeps_the_classes_wall_clock(admin_client, sydney):
    event = EventFactory(
        starts_on=date(2031, 3, 14), ends_on=date(2031, 3, 15), time_zone="Europe/London"
    )
    training_class = TrainingClassFactory(
        event=event, starts_at=local("Europe/London", 2031, 3, 14, 9, 30)
    )
    form = _change_form(event, training_class, city=str(sydney.pk))
    response = admin_client.post(reverse("admin:training_event_change", args=[event.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    training_class.refresh_from_db()
    assert event.time_zone == "Australia/Sydney"
    assert training_class.local_start.strftime("%d %H:%M %Z") == "14 09:30 AEDT"
