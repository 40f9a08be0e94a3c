"""/training/: upcoming classes soonest first, the filters, and past events in the archive."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CityFactory
from tests.training.factories import (
    EventFactory,
    InstructorFactory,
    TrainingClassFactory,
    local,
    teach,
)

pytestmark = pytest.mark.django_db
LIST = reverse("training:list")
ARCHIVE = reverse("training:archive")


def _titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


def test_it_lists_upcoming_classes_soonest_first(client):
    later = EventFactory(starts_on=date(2030, 6, 1), ends_on=date(2030, 6, 2))
    sooner = EventFactory(starts_on=date(2030, 3, 1), ends_on=date(2030, 3, 1))
    TrainingClassFactory(
        event=later, title="June afternoon", starts_at=local("Europe/London", 2030, 6, 1, 14)
    )
    TrainingClassFactory(
        event=later, title="June morning", starts_at=local("Europe/London", 2030, 6, 1, 9)
    )
    TrainingClassFactory(event=sooner, title="March")
    response = client.get(LIST)
    assert _titles(response) == ["March", "June morning", "June afternoon"]
    html = response.content.decode()
    assert "3 classes coming up, soonest first." in html


def test_past_classes_are_in_the_archive_not_the_list(client):
    with time_machine.travel(datetime(2030, 1, 10, 12, tzinfo=UTC), tick=False):
        past = EventFactory(
            name="Old Meeting",
            starts_on=date(2029, 5, 1),
            ends_on=date(2029, 5, 2),
        )
        TrainingClassFactory(event=past, title="Old class")
        TrainingClassFactory(title="New class")
        listed = client.get(LIST)
        archive = client.get(ARCHIVE)
    assert _titles(listed) == ["New class"]
    assert "Old class" not in listed.content.decode()
    assert [e.name for e in archive.context["page"].object_list] == ["Old Meeting"]


MARCH_14 = date(2030, 3, 14)


@pytest.mark.parametrize(
    ("zone", "moment", "past"),
    [
        # Sydney (UTC+11 in March): its 14 March ends at 13:00 UTC.
        ("Australia/Sydney", datetime(2030, 3, 14, 12, 59, tzinfo=UTC), False),
        ("Australia/Sydney", datetime(2030, 3, 14, 13, 0, tzinfo=UTC), True),
        # Los Angeles (UTC-7 in March): its 14 March ends at 07:00 UTC on the 15th, when
        # the date in UTC has long been the 15th.
        ("America/Los_Angeles", datetime(2030, 3, 15, 6, 59, tzinfo=UTC), False),
        ("America/Los_Angeles", datetime(2030, 3, 15, 7, 0, tzinfo=UTC), True),
        # London in March is UTC itself.
        ("Europe/London", datetime(2030, 3, 14, 23, 59, tzinfo=UTC), False),
        ("Europe/London", datetime(2030, 3, 15, 0, 0, tzinfo=UTC), True),
    ],
)
def test_an_event_turns_past_at_midnight_where_it_is_held(client, zone, moment, past):
    event = EventFactory(
        name="Boundary Meeting", starts_on=MARCH_14, ends_on=MARCH_14, time_zone=zone
    )
    with time_machine.travel(moment, tick=False):
        archive = client.get(ARCHIVE)
        page = client.get(event.get_absolute_url())
        feed = client.get(reverse("training:feed"))
    assert ("Boundary Meeting" in archive.content.decode()) is past
    assert ("This event has ended" in page.content.decode()) is past
    assert ("Boundary Meeting" in feed.content.decode()) is not past


def test_a_class_stays_listed_while_under_way_and_takes_no_more_enquiries(client):
    training_class = TrainingClassFactory(title="Running now")
    listed_at = training_class.starts_at + timedelta(minutes=30)
    with time_machine.travel(listed_at, tick=False):
        listed = client.get(LIST)
        page = client.get(training_class.get_absolute_url())
    assert _titles(listed) == ["Running now"]
    assert "under way" in listed.content.decode()
    assert "Enquiries are closed" in page.content.decode()
    # Hours later, the copy the page cache stored at half past has aged out (it keeps a
    # page PAGE_CACHE_SECONDS); travelling in time does not age Redis's entries, so:
    assert training_class.ends_at - listed_at > timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    cache.clear()
    with time_machine.travel(training_class.ends_at, tick=False):
        assert _titles(client.get(LIST)) == []


def test_filters_by_topic_level_country_and_online(client):
    berlin = CityFactory(name="Berlin", slug="berlin", country="DE", latitude=52.52, longitude=13.4)
    TrainingClassFactory(title="Colour GB", topic="colour-theory", level="advanced")
    TrainingClassFactory(
        title="Hairlines DE", topic="hairlines", level="foundation", event=EventFactory(city=berlin)
    )
    TrainingClassFactory(
        title="Business online",
        topic="business",
        level="foundation",
        event=EventFactory(online_event=True),
    )
    cases = {
        "?topic=hairlines": ["Hairlines DE"],
        "?level=foundation": ["Hairlines DE", "Business online"],
        "?country=DE": ["Hairlines DE"],
        "?format=online": ["Business online"],
        "?format=in-person&level=advanced": ["Colour GB"],
        "?topic=blending": [],
    }
    for query, expected in cases.items():
        response = client.get(LIST + query)
        assert sorted(_titles(response)) == sorted(expected), query
        html = response.content.decode()
        assert '<meta name="robots" content="noindex, follow">' in html
    empty = client.get(LIST + "?topic=blending").content.decode()
    assert "No upcoming class matches these filters." in empty


def test_the_country_filter_offers_only_countries_with_classes(client):
    TrainingClassFactory()
    TrainingClassFactory(event=EventFactory(online_event=True))
    form = client.get(LIST).context["form"]
    assert [code for code, _ in form.fields["country"].choices] == ["", "GB"]


def test_an_unknown_filter_value_is_ignored_not_an_error(client):
    TrainingClassFactory(title="Kept")
    response = client.get(LIST + "?topic=astrology&level=advanced")
    assert response.status_code == 200
    assert _titles(response) == ["Kept"]


def test_pages_keep_the_filters_in_their_links(client, settings):
    settings.TRAINING_CLASSES_PER_PAGE = 2
    for n in range(3):
        TrainingClassFactory(topic="hairlines", title=f"Hairlines {n}")
    html = client.get(LIST + "?topic=hairlines").content.decode()
    assert 'href="?topic=hairlines&amp;page=2"' in html


def test_drafts_appear_nowhere(client):
    draft = TrainingClassFactory(
        title="Secret class", event=EventFactory(draft=True, name="Secret Meeting")
    )
    past_draft = EventFactory(
        draft=True,
        name="Old Secret",
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 1, 1),
    )
    for url in (LIST, ARCHIVE, reverse("training:feed"), "/"):
        html = client.get(url).content.decode()
        assert "Secret" not in html, url
    for url in (
        draft.event.get_absolute_url(),
        draft.get_absolute_url(),
        reverse("training:class-ics", args=[draft.event.slug, draft.slug]),
        reverse("training:event-ics", args=[draft.event.slug]),
        past_draft.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("count", [10, 100])
def test_query_counts_are_fixed(client, django_assert_max_num_queries, count):
    event = EventFactory()
    for n in range(count):
        TrainingClassFactory(event=event if n % 2 else EventFactory(online_event=n % 3 == 0))
    instructor = InstructorFactory()
    for training_class in event.classes.all():
        teach(training_class, instructor)
    one = event.classes.first()
    past = EventFactory(starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 2))
    checks = [
        # Instructors are read with their classes' rows (TrainingClass.instructor_list).
        (LIST, 2),  # countries and the count, classes
        (LIST + "?level=advanced&format=in-person", 3),  # and the filtered count
        (ARCHIVE, 2),
        (event.get_absolute_url(), 2),  # event, classes
        (one.get_absolute_url(), 2),  # class, the event's other classes
        (reverse("training:event-ics", args=[event.slug]), 2),
        (reverse("training:feed"), 1),
        (past.get_absolute_url(), 2),
    ]
    for url, bound in checks:
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200, url


def test_each_page_has_its_own_title_and_description(client):
    a = TrainingClassFactory(title="Colour one")
    b = TrainingClassFactory(title="Colour two", event=a.event)
    pages = [LIST, ARCHIVE, a.event.get_absolute_url(), a.get_absolute_url(), b.get_absolute_url()]
    titles, descriptions = set(), set()
    for url in pages:
        html = client.get(url).content.decode()
        titles.add(html.split("<title>")[1].split("</title>")[0])
        descriptions.add(html.split('<meta name="description" content="')[1].split('"')[0])
    assert len(titles) == len(pages) and len(descriptions) == len(pages)
