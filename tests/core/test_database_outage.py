"""A database that is briefly away (issue 26): public pages and forms answer a calm 503
with Retry-After that says what did and did not happen, never a generic 500; the quote form
stores its request once when the connection drops under it."""

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from quotes.models import QuoteRequest
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import form_token, stored_files, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_away():
    """This process's connection points at a port nobody listens on, as during a database
    restart; the real address comes back afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("a server that goes away needs PostgreSQL (DATABASE_URL)")
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict["PORT"] = port


@pytest.fixture
def browser_client():
    """A client that gets the page a browser would, not the exception."""
    return Client(raise_request_exception=False)


def test_a_page_while_the_database_is_away_is_a_calm_503(browser_client, database_away):
    response = browser_client.get("/clinics/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Our database is briefly unavailable, so this page could not be shown." in page
    assert "something went wrong" not in page.lower()


def test_a_form_posted_while_the_database_is_away_says_it_was_not_finished(
    browser_client, database_away
):
    data = {
        "name": "Robin Asker",
        "email": "robin@client.example",
        "topic": "other",
        "reference": "",
        "message": "Do you list clinics in Leeds?",
        "leave_blank": "",
        "form_token": form_token(),
    }
    response = browser_client.post("/contact/", data)
    assert response.status_code == 503
    page = response.content.decode()
    assert "we could not finish what you sent" in page
    assert "please go back and send it again" in page


def test_a_connection_dropped_while_storing_a_quote_stores_it_once(
    client, monkeypatch, private_dir
):
    if connection.vendor != "postgresql":
        pytest.skip("dropping a connection needs PostgreSQL (DATABASE_URL)")
    city = CityFactory(name="Leeds", slug="leeds")
    clinic = ClinicFactory(city=city, name="Aire Scalp Studio", quote_email="aire@clinics.example")
    from quotes.forms import QuoteForm

    save_request = QuoteForm.save_request
    drops = []

    def dropped_on_the_first_try(form, **kwargs):
        if not drops:  # the server ends this connection, as a restart or failover would
            pid = connection.connection.info.backend_pid
            other = psycopg2.connect(**connection.get_connection_params())
            try:
                other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
            finally:
                other.close()
            drops.append(pid)
        return save_request(form, **kwargs)

    monkeypatch.setattr(QuoteForm, "save_request", dropped_on_the_first_try)
    response = client.post(
        reverse("quotes:request"),
        {
            "name": "Sam Client",
            "email": "sam@client.example",
            "phone": "07700 900123",
            "city": str(city.pk),
            "clinic": str(clinic.pk),
            "mode": "single",
            "message": "Thinning at the crown for five years.",
            "consent": "on",
            "leave_blank": "",
            "form_token": form_token(),
            "photos": [upload()],
        },
    )
    assert drops, "the connection was never dropped"
    assert response.status_code == 302  # to the thanks page, as with no fault
    assert QuoteRequest.objects.count() == 1
    assert QuoteRequest.objects.get().photos.count() == 1
    assert len(stored_files(private_dir)) == 1  # the first try's photo did not stay behind
