"""How people join a clinic's account: the approval of its application invites the
applicant as owner (in the approval email itself), and staff invite or remove members."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from members.models import ClinicMember, SignInLink
from tests.applications import test_application_portfolio as portfolio
from tests.factories import ClinicFactory

from .support import LINK, last_link, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

_application_settings = portfolio._application_settings
application_data = portfolio.application_data
city = portfolio.city
service = portfolio.service


def test_an_approved_applicant_gets_one_email_that_signs_them_in_as_owner(
    client, admin_user, application_data
):
    application = portfolio._apply(client, application_data)
    assert application.approve(admin_user)
    emails = [m for m in mail.outbox if m.to == [application.contact_email]]
    assert len(emails) == 1, [m.subject for m in emails]
    path = LINK.search(emails[0].body).group(1)
    assert path in emails[0].alternatives[0][0]

    assert client.post(path)["Location"] == "/clinic-account/"
    home = client.get("/clinic-account/").content.decode()
    assert f"<h1>{application.clinic.name}</h1>" in home
    member = ClinicMember.objects.get(clinic=application.clinic)
    assert member.role == "owner" and member.user.email == application.contact_email
    # The invitation is used up; from now on the address signs in like any member's.
    assert client.__class__().post(path).status_code == 410
    mail.outbox.clear()
    sign_in(client.__class__(), application.contact_email)


def test_staff_invite_a_member_from_admin_and_removing_them_ends_access(client, admin_client):
    clinic = ClinicFactory(name="Alder Ink")
    response = admin_client.post(
        "/admin/members/invitation/add/",
        {"clinic": clinic.pk, "email": "New.Artist@Alder.example", "role": "artist"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("You are invited to run Alder Ink")
    assert "as an artist" in mail.outbox[0].body
    path = last_link("new.artist@alder.example")
    assert client.post(path)["Location"] == "/clinic-account/"
    member = ClinicMember.objects.get(user__email="new.artist@alder.example")
    assert member.role == "artist" and member.clinic == clinic

    delete = f"/admin/members/clinicmember/{member.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert client.get("/clinic-account/")["Location"] == "/clinic-account/sign-in/"


def test_an_invitation_withdrawn_before_it_is_used_signs_nobody_in(client):
    from members.signin import invite

    clinic = ClinicFactory()
    link = invite(clinic, "late@alder.example", "artist")
    path = last_link("late@alder.example")
    ClinicMember.objects.filter(clinic=clinic).delete()
    refused = client.post(path)
    assert refused.status_code == 403 and b"This invitation was withdrawn" in refused.content
    link.refresh_from_db()
    assert link.used_at is None


def test_staff_cannot_invite_a_staff_address(admin_client):
    get_user_model().objects.create(username="s2", email="staff@site.example", is_staff=True)
    clinic = ClinicFactory()
    page = admin_client.post(
        "/admin/members/invitation/add/",
        {"clinic": clinic.pk, "email": "staff@site.example", "role": "owner"},
    )
    assert page.status_code == 200
    assert b"This address belongs to a staff account" in page.content
    assert not SignInLink.objects.exists() and mail.outbox == []
