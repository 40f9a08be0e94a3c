"""Seat enquiries: the organiser and the artist are each emailed once, whatever happens."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from outbox import sending
from tests.factories import ClinicFactory
from tests.quotes.support import form_token
from tests.training.factories import EventFactory, TrainingClassFactory
from training.models import Enquiry, EnquiryEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_class():
    return TrainingClassFactory(
        title="Scalp colour theory",
        event=EventFactory(name="Meeting 2030", organiser_email="organiser@training.example"),
        seats=10,
        seats_taken=4,
    )


def _url(training_class) -> str:
    return reverse("training:enquire", args=[training_class.event.slug, training_class.slug])


def _data(**overrides) -> dict:
    data = {
        "name": "Kim Artist",
        "email": "kim@artist.example",
        "clinic_name": "",
        "experience": "1-3",
        "message": "I would love to learn colour theory.",
        "form_token": form_token(),
        "leave_blank": "",
    }
    data.update(overrides)
    return data


def _post(client, training_class, data, capture):
    with capture(execute=True):
        return client.post(_url(training_class), data)


def test_an_enquiry_reaches_the_organiser_and_the_artist_once_each(
    client, training_class, django_capture_on_commit_callbacks
):
    response = _post(client, training_class, _data(), django_capture_on_commit_callbacks)
    sent = reverse("training:enquiry-sent", args=[training_class.event.slug, training_class.slug])
    assert response.status_code == 302 and response["Location"] == sent
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.waiting_list, enquiry.experience) == ("Kim Artist", False, "1-3")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kim@artist.example",
        "organiser@training.example",
    ]
    organiser = next(m for m in mail.outbox if m.to == ["organiser@training.example"])
    assert organiser.reply_to == ["kim@artist.example"]
    assert organiser.subject == "Seat enquiry: Scalp colour theory from Kim Artist"
    assert "I would love to learn colour theory." in organiser.body
    assert "http://testserver/training/seats/?key=" in organiser.body
    artist = next(m for m in mail.outbox if m.to == ["kim@artist.example"])
    assert artist.subject == "Your seat enquiry: Scalp colour theory"
    assert "organiser@training.example" not in artist.body + artist.alternatives[0][0]
    page = client.get(sent)
    assert "Thank you, your enquiry is on its way" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"


def test_posting_the_same_form_twice_makes_one_enquiry(
    client, training_class, django_capture_on_commit_callbacks
):
    data = _data()
    first = _post(client, training_class, data, django_capture_on_commit_callbacks)
    second = _post(client, training_class, data, django_capture_on_commit_callbacks)
    assert first["Location"] == second["Location"]
    assert Enquiry.objects.count() == 1
    assert EnquiryEmail.objects.count() == 2
    assert len(mail.outbox) == 2


def test_sending_each_email_again_sends_nothing_twice(
    client, training_class, django_capture_on_commit_callbacks
):
    _post(client, training_class, _data(), django_capture_on_commit_callbacks)
    for row in EnquiryEmail.objects.all():
        assert sending.send_email(EnquiryEmail, row.pk) is None
    Enquiry.objects.get().send_emails()
    assert EnquiryEmail.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_racing_posts_of_one_form_make_one_enquiry(training_class):
    data = _data()
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post():
        try:
            barrier.wait(timeout=30)
            statuses.append(Client().post(_url(training_class), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [302, 302]
    assert Enquiry.objects.count() == 1
    assert EnquiryEmail.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_full_class_takes_a_waiting_list_enquiry(
    client, training_class, django_capture_on_commit_callbacks
):
    training_class.mark_seats_taken(training_class.seats)
    page = client.get(training_class.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page and "All 10 seats are taken" in page
    response = _post(client, training_class, _data(), django_capture_on_commit_callbacks)
    assert response["Location"].endswith("?list=waiting")
    assert Enquiry.objects.get().waiting_list is True
    organiser = next(m for m in mail.outbox if m.to == ["organiser@training.example"])
    assert organiser.subject.startswith("Waiting list:")
    assert "waiting list" in client.get(response["Location"]).content.decode()


def test_the_honeypot_stores_and_sends_nothing(
    client, training_class, django_capture_on_commit_callbacks
):
    response = _post(
        client,
        training_class,
        _data(leave_blank="https://spam.example"),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert not Enquiry.objects.exists() and mail.outbox == []


def test_a_form_sent_very_fast_still_reaches_the_organiser(
    client, training_class, django_capture_on_commit_callbacks
):
    # A person who types fast is not a bot: only forged tokens and filled honeypots are.
    _post(
        client,
        training_class,
        _data(form_token=form_token(age=0)),
        django_capture_on_commit_callbacks,
    )
    assert Enquiry.objects.count() == 1 and len(mail.outbox) == 2


def test_missing_fields_get_clear_messages_and_keep_what_was_typed(client, training_class):
    response = client.post(
        _url(training_class), _data(name="", experience="", message="Kept words")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please give your name." in html
    assert "Please tell the organiser your experience." in html
    assert "Kept words" in html
    assert not Enquiry.objects.exists()


def test_an_overlong_message_is_refused(client, training_class):
    response = client.post(_url(training_class), _data(message="x" * 1501))
    assert "at most 1500 characters" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_listed_clinic_named_by_the_artist_is_linked_for_the_organiser(
    client, training_class, django_capture_on_commit_callbacks
):
    clinic = ClinicFactory(name="Aire Scalp Studio")
    _post(
        client,
        training_class,
        _data(clinic_name="aire scalp studio"),
        django_capture_on_commit_callbacks,
    )
    assert Enquiry.objects.get().clinic == clinic
    organiser = next(m for m in mail.outbox if m.to == ["organiser@training.example"])
    assert "http://testserver" + clinic.get_absolute_url() in organiser.body


def test_a_class_that_has_started_takes_no_enquiry(client, training_class, time_machine):
    time_machine.move_to(training_class.starts_at)
    response = client.post(_url(training_class), _data())
    assert response.status_code == 200
    assert "This class has started" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_draft_class_takes_no_enquiry(client):
    draft = TrainingClassFactory(event=EventFactory(draft=True))
    assert client.post(_url(draft), _data()).status_code == 404
    assert not Enquiry.objects.exists()


def test_the_cached_class_page_gives_each_visitor_their_own_tokens(
    client, training_class, settings
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get(training_class.get_absolute_url())
    second = client.get(training_class.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"

    def token(response):
        return response.content.decode().split('name="form_token" value="')[1].split('"')[0]

    assert token(first) != token(second)


def test_the_enquiry_url_answers_a_get_with_the_class_page(client, training_class):
    response = client.get(_url(training_class))
    assert response.status_code == 302
    assert response["Location"] == training_class.get_absolute_url() + "#enquire"
