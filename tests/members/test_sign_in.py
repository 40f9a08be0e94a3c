"""Signing in to a clinic account with an emailed link: what a person sees, and what a
stranger, a scanner, a removed member or a suspended clinic cannot do."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from clinics.models import Clinic
from members.models import ClinicMember, SignInLink
from tests.factories import ClinicFactory

from .support import last_link, member_of, sign_in

pytestmark = pytest.mark.django_db

FORM = "/clinic-account/sign-in/"


def test_a_member_gets_one_link_and_it_signs_them_in_once(client):
    clinic = ClinicFactory(name="Kirkstall Scalp Studio")
    member_of(clinic, "ana@studio.example")

    response = client.post(FORM, {"email": "Ana@Studio.example "})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "If <strong>ana@studio.example</strong> belongs to a clinic" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Your sign-in link")
    path = last_link("ana@studio.example")

    # Opening the link (as a mail scanner does) signs nobody in and uses nothing up.
    page = client.get(path)
    assert page.status_code == 200 and b"You are signing in as" in page.content
    assert client.get("/clinic-account/")["Location"] == FORM
    assert SignInLink.objects.get().used_at is None

    assert client.post(path)["Location"] == "/clinic-account/"
    home = client.get("/clinic-account/").content.decode()
    assert "<h1>Kirkstall Scalp Studio</h1>" in home

    # The same link again, from anywhere: refused, and nobody else is signed in by it.
    other = client_class_like(client)
    again = other.post(path)
    assert again.status_code == 410 and b"This sign-in link no longer works" in again.content
    assert other.get("/clinic-account/").status_code == 302


def client_class_like(client):
    return type(client)()


def test_the_form_says_the_same_for_an_address_nobody_has(client):
    ClinicFactory(quote_email="quotes@studio.example")
    response = client.post(FORM, {"email": "nobody@else.example"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "If <strong>nobody@else.example</strong> belongs to a clinic" in page
    assert mail.outbox == [] and not SignInLink.objects.exists()


def test_an_expired_or_forged_link_opens_nothing(client, settings):
    member_of(ClinicFactory(), "ana@studio.example")
    client.post(FORM, {"email": "ana@studio.example"})
    path = last_link("ana@studio.example")

    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(forged).status_code == 410
    assert client.post("/clinic-account/sign-in/not-a-token/").status_code == 410

    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(path)
    assert response.status_code == 410 and b"Get a new sign-in link" in response.content
    assert client.get("/clinic-account/").status_code == 302
    assert SignInLink.objects.get().used_at is None


def test_a_removed_member_is_signed_out_at_the_next_page(client):
    membership = member_of(ClinicFactory(), "ana@studio.example")
    sign_in(client, "ana@studio.example")
    assert client.get("/clinic-account/").status_code == 200

    membership.delete()
    response = client.get("/clinic-account/requests/")
    assert response.status_code == 302 and response["Location"] == FORM
    page = client.get(FORM).content.decode()
    assert "You are signed out: your access to the clinic account has ended." in page
    assert "_auth_user_id" not in client.session


def test_a_suspended_clinic_cannot_sign_in_and_its_sessions_end(client):
    clinic = ClinicFactory()
    member_of(clinic, "ana@studio.example")
    client.post(FORM, {"email": "ana@studio.example"})
    path = last_link("ana@studio.example")
    other = client_class_like(client)
    sign_in(other, "ana@studio.example")

    Clinic.objects.filter(pk=clinic.pk).update(status=Clinic.Status.SUSPENDED)
    refused = client.post(path)
    assert refused.status_code == 403 and b"account is closed for now" in refused.content
    assert other.get("/clinic-account/").status_code == 302
    mail.outbox.clear()
    client.post(FORM, {"email": "ana@studio.example"})
    assert mail.outbox == []


def test_an_existing_clinic_is_claimed_through_its_quote_address_once(client):
    clinic = ClinicFactory(name="Leeds Hairline", quote_email="quotes@leeds.example")
    client.post(FORM, {"email": "quotes@leeds.example"})
    assert mail.outbox[0].subject == "Sign in to run Leeds Hairline on " + _site_name()
    client.post(last_link("quotes@leeds.example"))
    owner = ClinicMember.objects.get(clinic=clinic)
    assert owner.role == "owner" and owner.user.email == "quotes@leeds.example"
    assert "Leeds Hairline" in client.get("/clinic-account/").content.decode()

    # From now on that address signs in as a member; nobody can claim the clinic again.
    mail.outbox.clear()
    client_class_like(client).post(FORM, {"email": "quotes@leeds.example"})
    assert mail.outbox[0].subject.startswith("Your sign-in link")
    assert ClinicMember.objects.count() == 1


def _site_name():
    from django.conf import settings

    return settings.SITE_NAME


def test_a_staff_address_never_gets_a_clinic_link(client):
    get_user_model().objects.create(username="staffer", email="quotes@leeds.example", is_staff=True)
    ClinicFactory(quote_email="quotes@leeds.example")
    client.post(FORM, {"email": "quotes@leeds.example"})
    assert mail.outbox == [] and not ClinicMember.objects.exists()


def test_links_are_limited_per_address_whoever_it_is(client, settings):
    settings.MEMBER_SIGN_IN_ADDRESS_RATE_LIMIT = "2/h"
    member_of(ClinicFactory(), "ana@studio.example")
    for _ in range(2):
        assert client.post(FORM, {"email": "ana@studio.example"}).status_code == 302
        assert client.post(FORM, {"email": "nobody@else.example"}).status_code == 302
    member = client.post(FORM, {"email": "ana@studio.example"})
    stranger = client.post(FORM, {"email": "nobody@else.example"})
    # The same answer for a member and a stranger: being limited tells nobody anything.
    assert member.status_code == stranger.status_code == 429
    assert b"Too many sign-in links asked for" in member.content
    assert len(mail.outbox) == 2


def test_links_are_limited_per_connection(client, settings):
    settings.MEMBER_SIGN_IN_RATE_LIMIT = "3/h"
    for n in range(3):
        assert client.post(FORM, {"email": f"person{n}@else.example"}).status_code == 302
    assert client.post(FORM, {"email": "person9@else.example"}).status_code == 429


def test_bad_input_gets_a_message_and_nothing_else(client):
    response = client.post(FORM, {"email": "not an address"})
    assert response.status_code == 400
    assert b"Enter an email address like name@example.com." in response.content
    huge = client.post(FORM, {"email": "a" * 6_000_000 + "@x.example"})
    assert huge.status_code == 400 and b"Nothing was saved." in huge.content
    assert not SignInLink.objects.exists() and mail.outbox == []


def test_an_artist_member_cannot_reach_an_owners_page(client):
    # The account page lists the team to owners only.
    clinic = ClinicFactory()
    member_of(clinic, "owner@studio.example")
    member_of(clinic, "artist@studio.example", role=ClinicMember.Role.ARTIST)
    sign_in(client, "artist@studio.example")
    page = client.get("/clinic-account/").content.decode()
    assert "People in this account" not in page
    owner = client_class_like(client)
    sign_in(owner, "owner@studio.example")
    page = owner.get("/clinic-account/").content.decode()
    assert "People in this account" in page and "artist@studio.example: Artist" in page


def test_signing_out_ends_the_session(client):
    member_of(ClinicFactory(), "ana@studio.example")
    sign_in(client, "ana@studio.example")
    assert client.get("/clinic-account/sign-out/").status_code == 405
    response = client.post("/clinic-account/sign-out/")
    assert response["Location"] == FORM
    assert client.get("/clinic-account/").status_code == 302


def test_account_pages_are_private(client):
    member_of(ClinicFactory(), "ana@studio.example")
    sign_in(client, "ana@studio.example")
    for path in ("/clinic-account/", "/clinic-account/requests/", FORM):
        response = client.get(path, follow=True)
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
