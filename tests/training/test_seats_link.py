"""The organiser's signed seat link: GET shows, POST changes, anything else is refused."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from tests.training.factories import EventFactory, TrainingClassFactory
from training.links import SEATS_SALT, seats_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_class():
    return TrainingClassFactory(
        event=EventFactory(organiser_email="organiser@training.example"), seats=10, seats_taken=3
    )


@pytest.fixture
def link(training_class) -> str:
    return seats_path(training_class.pk, "organiser@training.example")


def _key(link: str) -> str:
    return parse_qs(urlsplit(link).query)["key"][0]


def test_the_link_shows_the_count_and_a_get_writes_nothing(client, training_class, link):
    before = training_class.updated_at
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="3"' in html and "Save seats taken" in html
    training_class.refresh_from_db()
    assert (training_class.seats_taken, training_class.updated_at) == (3, before)
    # Behind a secret link: never cached, never indexed, no Referer to other sites.
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_post_saves_the_count_and_the_class_page_shows_it(client, training_class, link):
    response = client.post(link, {"seats_taken": "7", "save": "1"})
    assert response.status_code == 302 and "saved=1" in response["Location"]
    training_class.refresh_from_db()
    assert training_class.seats_taken == 7
    assert "3 of 10 seats left" in client.get(training_class.get_absolute_url()).content.decode()
    assert "Saved: 7 of 10 seats taken." in client.get(response["Location"]).content.decode()


def test_marking_all_seats_taken_opens_the_waiting_list(
    client, training_class, link, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    client.get(training_class.get_absolute_url())  # cached before the change
    with django_capture_on_commit_callbacks(execute=True):  # the cache's version bump
        client.post(link, {"seats_taken": "3", "all": "1"})
    training_class.refresh_from_db()
    assert training_class.is_full
    page = client.get(training_class.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page


def test_more_seats_than_the_class_has_is_refused_with_a_message(client, training_class, link):
    response = client.post(link, {"seats_taken": "11", "save": "1"})
    assert response.status_code == 200
    assert "The class has 10 seats: enter at most 10." in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.seats_taken == 3


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key[:-2] + ("aa" if not key.endswith("aa") else "bb"),  # a changed signature
        lambda key: "",
        lambda key: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused(client, training_class, link, mangle):
    response = client.get("/training/seats/?key=" + mangle(_key(link)))
    assert response.status_code == 410
    assert "This seat link no longer works" in response.content.decode()
    post = client.post("/training/seats/?key=" + mangle(_key(link)), {"seats_taken": "10"})
    assert post.status_code == 410
    training_class.refresh_from_db()
    assert training_class.seats_taken == 3


def test_a_link_for_another_class_cannot_be_made_by_editing_the_id(client, training_class):
    other = TrainingClassFactory(event=training_class.event)
    forged = signing.dumps({"c": other.pk, "o": "0" * 16}, salt=SEATS_SALT)
    assert client.get("/training/seats/?key=" + forged).status_code == 410


def test_an_expired_link_is_refused(client, training_class, link, settings, time_machine):
    time_machine.move_to(
        training_class.created_at + timedelta(days=settings.TRAINING_SEAT_LINK_DAYS, minutes=1)
    )
    assert client.get(link).status_code == 410
    time_machine.move_to(
        training_class.created_at + timedelta(days=settings.TRAINING_SEAT_LINK_DAYS - 1)
    )
    assert client.get(link).status_code == 200


def test_a_link_sent_to_a_former_organiser_stops_working(client, training_class, link):
    event = training_class.event
    event.organiser_email = "new-organiser@training.example"
    event.save()
    assert client.get(link).status_code == 410


def test_refused_links_leave_no_secret_in_the_logs(client, link, caplog):
    key = _key(link)
    with caplog.at_level(logging.DEBUG):
        client.get("/training/seats/?key=" + key[:-3] + "xyz")
        client.put(link)  # 405
        client.post(link, {"seats_taken": "1"}, HTTP_X_CSRFTOKEN="bad")
    assert "Gone: /training/seats/" in caplog.text
    assert "Method Not Allowed" in caplog.text
    assert key[:20] not in caplog.text and key[-20:] not in caplog.text
