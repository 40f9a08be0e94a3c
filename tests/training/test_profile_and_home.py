"""Where training shows outside its own pages: clinic profiles, the home page, the feed and
the sitemap."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import ArtistFactory, ClinicFactory
from tests.sitemaps import full_sitemap
from tests.training.factories import (
    EventFactory,
    TrainingClassFactory,
    artist_instructor,
    local,
    teach,
)
from training.models import Instructor

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return ClinicFactory(name="Aire Studio")


def test_a_clinic_whose_artist_teaches_shows_instructor_at_the_event(client, clinic):
    instructor = artist_instructor(clinic=clinic, name="Ana Ruiz")
    upcoming = TrainingClassFactory(title="Colour theory", event=EventFactory(name="Meeting 2030"))
    past = TrainingClassFactory(
        title="Old hairlines",
        event=EventFactory(
            name="Meeting 2020", starts_on=date(2020, 5, 1), ends_on=date(2020, 5, 1)
        ),
    )
    draft = TrainingClassFactory(
        title="Hidden", event=EventFactory(draft=True, name="Draft Meeting")
    )
    for training_class in (upcoming, past, draft):
        teach(training_class, instructor)
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Instructor at <a" in html
    assert html.index("Meeting 2030") < html.index("Meeting 2020")
    assert "<strong>Ana Ruiz</strong> teaches:" in html
    assert upcoming.get_absolute_url() in html and "Old hairlines</a> (Meeting 2020, past)" in html
    assert "Draft Meeting" not in html and "Hidden" not in html


def test_a_clinic_that_teaches_nothing_shows_no_teaching_section(client, clinic):
    ArtistFactory(clinic=clinic)
    assert "Teaching" not in client.get(clinic.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_the_teaching_section_costs_one_query(client, clinic, django_assert_num_queries, count):
    instructors = [artist_instructor(clinic=clinic) for _ in range(3)]
    for n in range(count):
        teach(TrainingClassFactory(), instructors[n % 3])
    # The clinic with its services, languages and artists (in its row), its public photos
    # (credentials and closures are on its row); and the teaching section.
    with django_assert_num_queries(3):
        assert client.get(clinic.get_absolute_url()).status_code == 200


def test_the_class_page_links_a_listed_artist_to_their_clinic_only_while_listed(client, clinic):
    training_class = TrainingClassFactory()
    teach(training_class, artist_instructor(clinic=clinic, name="Ana Ruiz"))
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert f'Artist at <a href="{clinic.get_absolute_url()}">Aire Studio</a>' in html
    clinic.suspend()
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert "Ana Ruiz" in html and clinic.get_absolute_url() not in html


def test_an_instructor_takes_the_artists_name(clinic):
    artist = ArtistFactory(clinic=clinic, name="Ana Ruiz")
    instructor = Instructor.objects.create(artist=artist, name="typed by hand")
    assert instructor.name == "Ana Ruiz"


def event_start(event, hour):
    day = event.starts_on
    return local(event.time_zone, day.year, day.month, day.day, hour)


def test_the_home_page_shows_the_next_three_classes(client):
    event = EventFactory()
    for n in range(4):
        TrainingClassFactory(event=event, title=f"Class {n}", starts_at=event_start(event, 9 + n))
    TrainingClassFactory(title="Draft class", event=EventFactory(draft=True))
    html = client.get("/").content.decode()
    assert "Latest training for artists" in html
    assert all(f"Class {n}" in html for n in range(3))
    assert "Class 3" not in html and "Draft class" not in html


def test_the_home_page_leaves_training_out_when_nothing_is_coming(client):
    TrainingClassFactory(event=EventFactory(draft=True))
    assert "Latest training" not in client.get("/").content.decode()


def test_the_feed_lists_upcoming_published_events_only(client):
    EventFactory(name="Soon Meeting")
    EventFactory(name="Past Meeting", starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 1))
    EventFactory(name="Draft Meeting", draft=True)
    response = client.get(reverse("training:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Soon Meeting" in xml
    assert "Past Meeting" not in xml and "Draft Meeting" not in xml


def test_the_sitemap_lists_published_events_and_classes_and_no_draft(client):
    training_class = TrainingClassFactory()
    past = EventFactory(starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 1))
    draft = TrainingClassFactory(event=EventFactory(draft=True))
    xml = full_sitemap(client)
    for url in (
        reverse("training:list"),
        reverse("training:archive"),
        training_class.event.get_absolute_url(),
        training_class.get_absolute_url(),
        past.get_absolute_url(),
    ):
        assert f"<loc>http://testserver{url}</loc>" in xml, url
    assert draft.event.slug not in xml
