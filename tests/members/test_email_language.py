"""The language of the site's emails to a clinic: its owner chooses it on the account's
home page (only an owner), staff in the admin, and every email to the clinic follows."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from clinics.models import Clinic
from members.models import ClinicMember
from tests.factories import ClinicFactory

from .support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

HOME = "/clinic-account/"
CHOOSE = "/clinic-account/email-language/"


@pytest.fixture(autouse=True)
def _english_after():
    """A request to a /fr/ address leaves French active in this thread."""
    yield
    translation.activate("en-gb")


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink")


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    mail.outbox.clear()
    return client


def test_the_owner_chooses_the_language_of_the_clinics_emails(owner, clinic):
    page = owner.get(HOME).content.decode()
    assert "Language of our emails" in page and f'action="{CHOOSE}"' in page
    # Once, in the page: the tab's title is the clinic's name and the account's.
    assert page.count(f'action="{CHOOSE}"') == 1
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "your clinic account" in title

    response = owner.post(CHOOSE, {"language": "fr"})
    assert response.status_code == 302 and response["Location"] == HOME
    clinic.refresh_from_db()
    assert clinic.language == "fr"
    assert "Saved: our emails to your clinic are in this language now." in (
        owner.get(HOME).content.decode()
    )


def test_a_language_the_site_does_not_have_is_refused(owner, clinic):
    assert owner.post(CHOOSE, {"language": "xx"}).status_code == 302
    clinic.refresh_from_db()
    assert clinic.language == "en-gb"
    assert "Please choose one of the languages offered." in owner.get(HOME).content.decode()


def test_an_artist_member_sees_the_language_but_cannot_change_it(client, clinic):
    member_of(clinic, "ben@alder.example", role=ClinicMember.Role.ARTIST)
    sign_in(client, "ben@alder.example")
    Clinic.objects.filter(pk=clinic.pk).update(language="de")
    page = client.get(HOME).content.decode()
    assert "Language of our emails" not in page
    assert "Our emails to your clinic are in Deutsch." in page

    assert client.post(CHOOSE, {"language": "fr"}).status_code == 403
    clinic.refresh_from_db()
    assert clinic.language == "de"


def test_nobody_signed_in_changes_nothing(client, clinic):
    response = client.post(CHOOSE, {"language": "fr"})
    assert response.status_code == 302 and "sign-in" in response["Location"]
    clinic.refresh_from_db()
    assert clinic.language == "en-gb"


def test_a_french_clinics_sign_in_link_is_in_french_and_leads_to_the_french_page(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(language="fr")
    member_of(clinic, "ana@alder.example")
    response = client.post("/clinic-account/sign-in/", {"email": "ana@alder.example"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("Votre lien de connexion à ")
    link = re.search(r"http://testserver(/fr/clinic-account/sign-in/[^/\s]+/)", message.body)
    assert link, message.body
    # The French address of the link signs in as the English one does.
    assert client.post(link.group(1))["Location"] == "/fr/clinic-account/"


def test_staff_change_it_in_the_admin(admin_client, clinic):
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    page = admin_client.get(f"/admin/clinics/clinic/{clinic.pk}/change/")
    if page.status_code == 302:  # the second factor, when the settings ask for it
        pytest.skip("the admin asks for a second factor here")
    assert 'name="language"' in page.content.decode()
