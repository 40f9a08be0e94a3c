"""A clinic that applies in a language hears from the site in it (#28): the receipt, and
every email after, follows `Clinic.language`; staff's notice stays English."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from applications.models import ClinicApplication
from tests.applications.test_application_limits import application_data  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staff(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    yield
    translation.activate("en-gb")  # the /fr/ request left French active in this thread


def test_a_clinic_applying_in_french_gets_its_receipt_in_french_and_staff_read_english(
    client,
    application_data,  # noqa: F811
):
    with translation.override("fr"):
        url = reverse("applications:apply")
    assert client.post(url, application_data()).status_code == 302
    clinic = ClinicApplication.objects.get().clinic
    assert clinic.language == "fr"

    (receipt,) = [m for m in mail.outbox if m.to == ["kim@kirkstall.example"]]
    assert receipt.subject == "Nous avons bien reçu votre demande de référencement"
    (staff,) = [m for m in mail.outbox if m.to == ["staff@smp.example"]]
    assert staff.subject == "New clinic application: Kirkstall Scalp Studio"
    assert "/fr/" not in staff.body
