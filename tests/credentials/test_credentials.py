"""Credentials staff checked: public badges that go by themselves on expiry, one reminder
to the clinic 30 days before, private documents, and what lapses on the admin index."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credentials.models import Credential, CredentialEmail
from credentials.reminders import send_expiry_reminders
from tests import images
from tests.factories import ArtistFactory, ClinicFactory

pytestmark = pytest.mark.django_db

BADGE = 'checked <time datetime="2027-03-03">3 March 2027</time>, valid to '


@pytest.fixture
def clinic():
    return ClinicFactory(name="Aire Scalp Studio", quote_email="aire@clinics.example")


def _insurance(clinic, expires=date(2028, 2, 29), issued=date(2027, 3, 1), **fields):
    return Credential.objects.create(
        clinic=clinic,
        kind=Credential.Kind.INSURANCE,
        issuer="Sample Mutual",
        number="POL-123",
        issued_on=issued,
        expires_on=expires,
        checked_on=date(2027, 3, 3),
        **fields,
    )


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)  # the site's TIME_ZONE


def test_a_badge_names_its_kind_in_the_readers_language_and_a_title_as_typed(client, clinic):
    with time_machine.travel(_noon(date(2027, 6, 1)), tick=False):
        _insurance(clinic)
        Credential.objects.create(
            clinic=clinic,
            kind="training",
            title="Advanced hairline course",
            issuer="SMP Academy",
            checked_on=date(2027, 3, 3),
        )
        pages = {
            prefix: client.get(prefix + clinic.get_absolute_url()).content.decode()
            for prefix in ("", "/de", "/es", "/fr")
        }
    assert "<strong>Insurance</strong>, from Sample Mutual" in pages[""]
    assert "<strong>Versicherung</strong>, von Sample Mutual" in pages["/de"]
    assert "<strong>Seguro</strong>" in pages["/es"]
    assert "<strong>Assurance</strong>" in pages["/fr"]
    for html in pages.values():
        assert "<strong>Advanced hairline course</strong>" in html  # staff's words
    assert "<strong>Insurance</strong>" not in pages["/de"] + pages["/es"] + pages["/fr"]


def test_the_badge_says_what_was_checked_and_goes_the_day_after_expiry(client, clinic, settings):
    _insurance(clinic)
    artist = ArtistFactory(clinic=clinic, name="Sam Lee")
    Credential.objects.create(
        clinic=clinic,
        artist=artist,
        kind="training",
        issuer="SMP Academy",
        checked_on=date(2027, 3, 3),
    )
    settings.PAGE_CACHE_ENABLED = True  # a page cached before midnight must not outlive it
    with time_machine.travel(_noon(date(2028, 2, 29)), tick=False):
        html = client.get(clinic.get_absolute_url()).content.decode()
        assert "<strong>Insurance</strong>, from Sample Mutual: " + BADGE in html
        assert '<time datetime="2028-02-29">29 February 2028</time>' in html
        assert "<strong>Training certificate</strong> (Sam Lee), from SMP Academy" in html
        assert "POL-123" not in html  # the number is for staff
        client.get(clinic.get_absolute_url())  # now served from the cache
    with time_machine.travel(_noon(date(2028, 3, 1)) - timedelta(hours=11, minutes=59), tick=False):
        html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Sample Mutual" not in html
    assert "SMP Academy" in html  # no expiry: it stays


def test_no_other_page_shows_a_badge(client, clinic):
    _insurance(clinic, expires=timezone.localdate() + timedelta(days=100), issued=None)
    for url in [clinic.city.get_absolute_url(), reverse("clinics:search") + "?q=aire", "/"]:
        assert "Sample Mutual" not in client.get(url).content.decode()


def test_the_clinic_is_reminded_once_thirty_days_before(
    clinic, settings, django_capture_on_commit_callbacks
):
    settings.CREDENTIAL_REMINDER_DAYS = 30
    credential = _insurance(clinic, expires=date(2028, 2, 29))
    assert send_expiry_reminders(today=date(2028, 1, 29)) == 0
    with django_capture_on_commit_callbacks(execute=True):  # the email goes out on commit
        assert send_expiry_reminders(today=date(2028, 1, 30)) == 1
    assert send_expiry_reminders(today=date(2028, 1, 30)) == 0
    assert send_expiry_reminders(today=date(2028, 2, 10)) == 0
    [reminder] = mail.outbox
    assert reminder.to == ["aire@clinics.example"]
    assert reminder.subject == "Insurance for Aire Scalp Studio runs out on 29 February 2028"
    # It leads to the clinic account's upload for this credential.
    renew = f"/clinic-account/credentials/{credential.pk}/renew/"
    assert f"Upload it here: http://testserver{renew}" in reminder.body
    assert f'href="http://testserver{renew}"' in reminder.alternatives[0][0]
    # Renewed: the new expiry is reminded in its turn, once.
    credential.expires_on = date(2029, 2, 28)
    credential.save()
    assert send_expiry_reminders(today=date(2029, 2, 1)) == 1
    assert send_expiry_reminders(today=date(2029, 2, 2)) == 0
    assert CredentialEmail.objects.count() == 2


def test_a_suspended_clinic_gets_no_reminder(clinic):
    _insurance(clinic, expires=date(2028, 2, 29))
    clinic.suspend()
    assert send_expiry_reminders(today=date(2028, 2, 1)) == 0


def test_licences_and_insurance_need_an_expiry_date(clinic):
    credential = Credential(clinic=clinic, kind="licence", issuer="Leeds City Council")
    with pytest.raises(ValidationError) as error:
        credential.full_clean()
    assert "expires_on" in error.value.message_dict
    other = Credential(clinic=clinic, artist=ArtistFactory(), kind="training", issuer="Academy")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert error.value.message_dict["artist"] == ["Choose one of this clinic's artists."]


def test_the_document_is_private_and_staff_open_it_from_admin(client, admin_client, clinic):
    credential = _insurance(clinic)
    credential.document.save("policy.pdf", ContentFile(b"%PDF-1.4 sample"), save=True)
    # Private storage: nothing under the public media address serves it.
    assert client.get(credential.document.url).status_code == 404
    url = reverse("admin:credentials_credential_document", args=[credential.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 sample"
    assert "private, no-store" in response["Cache-Control"]
    html = admin_client.get(reverse("admin:clinics_clinic_change", args=[clinic.pk])).content
    assert url.encode() in html


def test_the_admin_index_lists_what_is_about_to_lapse(admin_client, clinic):
    today = timezone.localdate()
    _insurance(clinic, expires=today + timedelta(days=12), issued=None)
    Credential.objects.create(
        clinic=clinic,
        kind="licence",
        title="Tattoo licence",
        issuer="Council",
        expires_on=today + timedelta(days=200),
        checked_on=today,
    )
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Credentials running out" in html
    assert "Insurance" in html and "Aire Scalp Studio" in html
    assert "Tattoo licence" not in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("policy.pdf", b"<html><script>alert(1)</script></html>"),
        ("policy.pdf", b""),
        ("scan.jpg", b"%PDF-1.4 not a photo"),
        ("scan.jpg", images.png()),  # a PNG named .jpg
        ("scan.png", images.jpeg()[:400]),  # cut short
    ],
)
def test_a_document_is_checked_by_its_content_not_its_name(clinic, name, content):
    credential = _insurance(clinic)
    credential.checked_on = timezone.localdate()
    credential.document = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as error:
        credential.full_clean()
    assert list(error.value.message_dict) == ["document"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("policy.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("scan.jpg", images.jpeg()),
        ("scan.PNG", images.png()),
    ],
)
def test_a_real_pdf_or_photo_is_accepted(clinic, name, content):
    credential = _insurance(clinic)
    credential.checked_on = timezone.localdate()
    credential.document = SimpleUploadedFile(name, content)
    credential.full_clean()


def test_the_badge_follows_every_change_to_its_credential_and_artist(client, clinic):
    """The badges are stored on the clinic's row (Clinic.credential_badges): each edit
    of a credential, or of the artist a badge names, is on the profile at once."""
    artist = ArtistFactory(clinic=clinic, name="Sam Lee")
    credential = Credential.objects.create(
        clinic=clinic, artist=artist, kind="training", issuer="SMP Academy"
    )
    assert "(Sam Lee), from SMP Academy" in client.get(clinic.get_absolute_url()).content.decode()

    artist.name = "Sam Lee-Park"
    artist.save()
    credential.issuer = "Scalp Institute"
    credential.save()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "(Sam Lee-Park), from Scalp Institute" in html
    assert "SMP Academy" not in html

    other = ClinicFactory(name="Other Studio")
    credential.clinic, credential.artist = other, None
    credential.save()
    assert "Scalp Institute" not in client.get(clinic.get_absolute_url()).content.decode()
    assert "Scalp Institute" in client.get(other.get_absolute_url()).content.decode()

    credential.delete()
    assert "Scalp Institute" not in client.get(other.get_absolute_url()).content.decode()


def test_a_credential_already_expired_when_saved_shows_no_badge(client, clinic):
    _insurance(clinic, expires=timezone.localdate() - timedelta(days=1), issued=None)
    assert "Sample Mutual" not in client.get(clinic.get_absolute_url()).content.decode()
