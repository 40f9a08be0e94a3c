"""Clinic applications under a flood: one application per form token, and no receipt to
an address past the limits (staff still see every application)."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import ClinicApplication
from tests import images
from tests.applications.test_applications import ARTIST_AND_PORTFOLIO
from tests.factories import CityFactory, ServiceFactory
from tests.quotes.support import form_token, upload

pytestmark = pytest.mark.django_db
URL = reverse("applications:apply")
SPAM = "Cheap pills http://spam.example/0"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "3/h"
    settings.FORM_ADDRESS_RATE_LIMIT = "5/d"
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]


@pytest.fixture
def application_data():
    city = CityFactory(name="Leeds", slug="leeds")
    service = ServiceFactory(name="Men's SMP", slug="mens-smp")

    def make(**overrides):
        data = {
            "name": "Kirkstall Scalp Studio",
            "city": str(city.pk),
            "address": "1 Abbey Road, Leeds",
            "phone": "0113 496 0000",
            "services": [str(service.pk)],
            "currency": "GBP",
            "description": "Natural hairlines for men and women.",
            "photos": [upload("hairline.jpg", images.jpeg())],
            **ARTIST_AND_PORTFOLIO,
            "contact_name": "Kim Owner",
            "contact_email": "kim@kirkstall.example",
            "quote_email": "quotes@kirkstall.example",
            "consent": "on",
            "leave_blank": "",
            "form_token": form_token(),
        }
        data.update(overrides)
        return data

    return make


def _receipts() -> list[str]:
    return [m.to[0] for m in mail.outbox if m.to != ["staff@smp.example"]]


def test_one_form_token_makes_one_application_whatever_the_address(client, application_data):
    token = form_token()
    first = client.post(URL, application_data(form_token=token))
    for n in range(4):
        data = application_data(form_token=token, contact_email=f"victim{n}@stranger.example")
        assert client.post(URL, data)["Location"] == first["Location"]
    assert ClinicApplication.objects.count() == 1
    assert _receipts() == ["kim@kirkstall.example"]


def test_past_the_client_limit_the_application_is_kept_but_no_receipt_goes_out(
    client, application_data
):
    for n in range(5):
        response = client.post(
            URL, application_data(name=SPAM, contact_email=f"victim{n}@stranger.example")
        )
    assert ClinicApplication.objects.count() == 5
    assert len(_receipts()) == 3
    assert sum(m.to == ["staff@smp.example"] for m in mail.outbox) == 5  # staff see each
    page = client.get(response["Location"]).content.decode()
    assert "We have not emailed you a confirmation this time" in page


def test_past_the_address_limit_no_receipt_goes_to_it(client, application_data, settings):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "0"
    for n in range(7):
        client.post(
            URL,
            application_data(contact_email="victim@stranger.example"),
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    assert _receipts() == ["victim@stranger.example"] * 5
    reasons = ClinicApplication.objects.values_list("check_reason", flat=True)
    assert sorted(reasons).count("many messages to one address") == 2


def test_the_receipt_never_quotes_what_was_typed_in_its_subject_or_opening(
    client, application_data
):
    client.post(URL, application_data(name=SPAM, contact_name=SPAM))
    (receipt,) = [m for m in mail.outbox if m.to == ["kim@kirkstall.example"]]
    opening = "\n\n".join(receipt.body.split("\n\n")[:2])
    html_opening = receipt.alternatives[0][0].split("The clinic you applied for")[0]
    for text in (receipt.subject, opening, html_opening):
        assert "spam.example" not in text and "Cheap pills" not in text
