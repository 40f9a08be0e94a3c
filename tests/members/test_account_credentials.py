"""A clinic's credentials in its account: each one's expiry and reminder date, and a
renewed document that reaches staff privately, checked like staff's own uploads."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credentials.models import Credential, CredentialRenewal
from tests import images
from tests.factories import ClinicFactory

from .support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

CREDENTIALS = "/clinic-account/credentials/"


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink")


@pytest.fixture
def insurance(clinic):
    return Credential.objects.create(
        clinic=clinic,
        kind=Credential.Kind.INSURANCE,
        issuer="Sample Mutual",
        expires_on=timezone.localdate() + timedelta(days=20),
    )


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    return client


def test_each_credential_shows_its_expiry_and_reminder(owner, insurance, settings):
    page = " ".join(owner.get(CREDENTIALS).content.decode().split())
    reminder = insurance.expires_on - timedelta(days=settings.CREDENTIAL_REMINDER_DAYS)
    assert "Sample Mutual" in page and "Runs out soon" in page
    assert f"emailed on {reminder:%-d %B %Y}" in page


def test_a_renewed_pdf_reaches_staff_privately(owner, insurance, admin_client, client):
    response = owner.post(
        f"{CREDENTIALS}{insurance.pk}/renew/",
        {
            "document": SimpleUploadedFile(
                "policy-2027.pdf", b"%PDF-1.7\n1 0 obj", "application/pdf"
            ),
            "note": "Renewed for another year.",
        },
    )
    assert response.status_code == 302
    renewal = CredentialRenewal.objects.get()
    assert renewal.status == "waiting" and renewal.uploaded_by.email == "ana@alder.example"
    page = " ".join(owner.get(CREDENTIALS).content.decode().split())
    assert "Waiting for staff" in page
    # Staff open it from admin; nobody else can.
    listing = admin_client.get(f"/admin/credentials/credentialrenewal/{renewal.pk}/change/")
    assert b"Open (staff only)" in listing.content
    document = admin_client.get(f"/admin/credentials/credentialrenewal/{renewal.pk}/document/")
    assert b"".join(document.streaming_content).startswith(b"%PDF-1.7")
    assert (
        client.get(f"/admin/credentials/credentialrenewal/{renewal.pk}/document/").status_code
        == 302
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.pdf", b"not a pdf at all", b"This file is not a PDF"),
        ("scan.jpg", b"%PDF-1.4 not a photo", b"scan.jpg"),
        ("policy.exe", b"MZ", b"File extension"),
        ("bomb.png", images.png_bomb(), b"has too many pixels"),
    ],
)
def test_a_bad_document_gets_a_message_and_nothing_is_kept(
    owner, insurance, name, content, message, settings
):
    response = owner.post(
        f"{CREDENTIALS}{insurance.pk}/renew/", {"document": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400 and message in response.content
    assert not CredentialRenewal.objects.exists()
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert not any(p.is_file() for p in private.rglob("*")) if private.exists() else True


def test_another_clinics_credential_cannot_be_renewed(owner):
    theirs = Credential.objects.create(
        clinic=ClinicFactory(), kind=Credential.Kind.LICENCE, issuer="Council"
    )
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.7")
    assert owner.post(f"{CREDENTIALS}{theirs.pk}/renew/", {"document": pdf}).status_code == 404
    assert not CredentialRenewal.objects.exists()
