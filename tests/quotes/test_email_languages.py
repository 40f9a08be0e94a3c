"""Emails in their reader's language (#28): the client's in the language they asked in,
each clinic's in the one it chose, staff's in English; every link to that language's
pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from clinics.models import Clinic
from pages.models import ContactMessage
from quotes.models import QuoteRequest
from reviews.invites import send_review_invites
from reviews.models import ReviewEmail, ReviewInvite
from tests.factories import ClinicFactory
from tests.quotes.support import form_token
from tests.reviews.support import INVITE_DAYS, chosen_request

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _english_after():
    """A request to a /de/ address leaves German active in this thread (LocaleMiddleware
    activates, nothing deactivates): the next test's reverse() would lead to /de/."""
    yield
    translation.activate("en-gb")


def _in(language: str, viewname: str) -> str:
    with translation.override(language):
        return reverse(viewname)


def _to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def _links(message) -> list[str]:
    """Every link to the site's pages in the text and the HTML (not the logo's image)."""
    text = re.findall(r"https?://testserver[^\s\"<>]*", message.body)
    html = re.findall(r'href="(https?://testserver[^"]*)"', message.alternatives[0][0])
    return text + html


def _all_lead_to(message, prefix: str) -> None:
    links = _links(message)
    assert links, message.body
    assert all(link.startswith(SITE + prefix) for link in links), links


def test_a_german_request_is_confirmed_in_german_with_links_to_german_pages(
    client, quote_data, clinic
):
    response = client.post(_in("de", "quotes:request"), quote_data())
    assert response.status_code == 302
    quote = QuoteRequest.objects.get()
    assert quote.language == "de"

    confirmation = _to("sam@client.example")
    assert confirmation.subject == f"Ihre SMP-Angebotsanfrage {quote.reference}"
    assert "Hallo," in confirmation.body
    assert (
        "Dort können Sie einen Artist auswählen, die Anfrage abschließen oder sie mit allem, "
        "was dazugehört, löschen."
    ) in confirmation.body
    assert f"{SITE}/de/quote/compare/" in confirmation.body
    _all_lead_to(confirmation, "/de/")
    assert confirmation.extra_headers["Content-Language"] == "de"

    # The clinic chose nothing: English, at the addresses English always had.
    request = _to("aire@clinics.example")
    assert request.subject.startswith(f"Quote request {quote.reference} from Sam (")
    assert not any(link.startswith(SITE + "/de/") for link in _links(request))


def test_a_spanish_clinic_reads_the_request_in_spanish_and_the_german_client_in_german(
    client, quote_data, clinic
):
    Clinic.objects.filter(pk=clinic.pk).update(language="es")
    client.post(_in("de", "quotes:request"), quote_data())
    quote = QuoteRequest.objects.get()

    request = _to("aire@clinics.example")
    assert request.subject == f"Solicitud de presupuesto {quote.reference} de Sam (Leeds)"
    assert f"{SITE}/es/quote/reply/" in request.body
    _all_lead_to(request, "/es/")
    assert request.extra_headers["Content-Language"] == "es"

    confirmation = _to("sam@client.example")
    assert confirmation.subject == f"Ihre SMP-Angebotsanfrage {quote.reference}"
    _all_lead_to(confirmation, "/de/")


def test_an_english_request_stays_english_at_unprefixed_addresses(client, quote_data):
    client.post(_in("en-gb", "quotes:request"), quote_data())
    quote = QuoteRequest.objects.get()
    assert quote.language == "en-gb"
    confirmation = _to("sam@client.example")
    assert confirmation.subject == f"Your SMP quote request {quote.reference}"
    assert not any(re.match(rf"{SITE}/(de|es|fr)/", link) for link in _links(confirmation)), (
        confirmation.body
    )


def test_the_review_invitation_is_in_the_requests_language_and_the_clinics_notice_in_its_own(
    clinic,
):
    Clinic.objects.filter(pk=clinic.pk).update(language="fr")
    clinic.refresh_from_db()
    quote = chosen_request(clinic)
    QuoteRequest.objects.filter(pk=quote.pk).update(language="es")
    mail.outbox.clear()
    send_review_invites(now=timezone.now() + timedelta(days=INVITE_DAYS))
    invite = ReviewInvite.objects.get(quote=quote, stage=ReviewInvite.Stage.HEALED)

    invitation = _to("sam@client.example")
    assert invitation.subject == f"¿Qué tal fue su SMP con {clinic.name}?"
    assert f"{SITE}/es/reviews/write/" in invitation.body
    _all_lead_to(invitation, "/es/")
    assert invite.emails.get().reader_language() == "es"
    # Once a review is published, the clinic's notice about it is in the clinic's.
    notice = ReviewEmail(invite=invite, kind=ReviewEmail.Kind.CLINIC, to_email=clinic.quote_email)
    assert notice.reader_language() == "fr"


def test_the_chosen_artist_hears_in_its_language_and_the_client_in_theirs(city):
    clinic = ClinicFactory(city=city, name="Aire", quote_email="aire@clinics.example")
    Clinic.objects.filter(pk=clinic.pk).update(language="fr")
    clinic.refresh_from_db()
    quote = chosen_request(clinic)
    chosen = quote.deliveries.get(kind="chosen")
    chosen_client = quote.deliveries.get(kind="chosen_client")
    assert (chosen.reader_language(), chosen_client.reader_language()) == ("fr", "en-gb")


def test_staff_read_a_german_visitors_contact_message_in_english(client, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    settings.CONTACT_EMAILS = []
    settings.CONTACT_RATE_LIMIT = "0"
    data = {
        "name": "Robin Asker",
        "email": "robin@client.example",
        "topic": "quote",
        "reference": "",
        "message": "Ich habe die falsche Telefonnummer angegeben.",
        "leave_blank": "",
        "form_token": form_token(),
    }
    assert client.post(_in("de", "pages:contact"), data).status_code == 302
    assert ContactMessage.objects.get().language == "de"

    staff = _to("staff@smp.example")
    assert staff.subject == "Contact form: A quote request I sent"
    assert staff.extra_headers["Content-Language"] == "en-gb"
    assert not any(link.startswith(SITE + "/de/") for link in _links(staff))

    receipt = _to("robin@client.example")
    assert receipt.subject == "Ihre Nachricht ist bei uns angekommen"
    _all_lead_to(receipt, "/de/")
