"""An owner runs the clinic's team: invites artists and owners, removes them (asked
first), and cannot remove the last owner or anyone of another clinic."""

import pytest
from django.core import mail

from members.models import ClinicMember
from tests.factories import ClinicFactory

from .support import last_link, member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

TEAM = "/clinic-account/team/"


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink")


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    mail.outbox.clear()
    return client


def test_an_owner_invites_an_artist_who_signs_in(owner, clinic):
    response = owner.post(TEAM, {"email": "Ben@Alder.example", "role": "artist"})
    assert response.status_code == 302
    assert "Invitation emailed to ben@alder.example." in owner.get(TEAM).content.decode()
    assert len(mail.outbox) == 1 and "as an artist" in mail.outbox[0].body
    artist = type(owner)()
    assert artist.post(last_link("ben@alder.example"))["Location"] == "/clinic-account/"
    assert ClinicMember.objects.get(user__email="ben@alder.example").role == "artist"
    # An artist has no team page.
    assert artist.get(TEAM).status_code == 403


def test_inviting_someone_twice_or_a_bad_address_gets_a_message(owner):
    owner.post(TEAM, {"email": "ben@alder.example", "role": "artist"})
    again = owner.post(TEAM, {"email": "ben@alder.example", "role": "owner"})
    assert again.status_code == 400 and b"This person is in the team already." in again.content
    bad = owner.post(TEAM, {"email": "ben at alder", "role": "artist"})
    assert bad.status_code == 400
    assert len(mail.outbox) == 1


def test_invitations_are_limited_a_day(owner):
    for n in range(10):
        assert (
            owner.post(TEAM, {"email": f"p{n}@alder.example", "role": "artist"}).status_code == 302
        )
    refused = owner.post(TEAM, {"email": "p99@alder.example", "role": "artist"})
    assert refused.status_code == 400 and b"10 invitations in the last day" in refused.content
    assert len(mail.outbox) == 10


def test_removing_asks_first_and_ends_their_access(owner, clinic):
    ben = member_of(clinic, "ben@alder.example", role="artist")
    his = type(owner)()
    sign_in(his, "ben@alder.example")
    url = f"{TEAM}{ben.pk}/remove/"
    page = owner.get(url)
    assert page.status_code == 200 and b"Remove ben@alder.example?" in page.content
    assert ClinicMember.objects.filter(pk=ben.pk).exists()  # opening the page removes nobody
    assert owner.post(url)["Location"] == TEAM
    assert his.get("/clinic-account/")["Location"] == "/clinic-account/sign-in/"


def test_the_last_owner_cannot_be_removed(owner, clinic):
    me = ClinicMember.objects.get(user__email="ana@alder.example")
    response = owner.post(f"{TEAM}{me.pk}/remove/")
    assert response.status_code == 200 and b"only owner" in response.content
    assert ClinicMember.objects.filter(pk=me.pk).exists()


def test_another_clinics_member_cannot_be_removed(owner):
    stranger = member_of(ClinicFactory(), "zoe@other.example")
    assert owner.get(f"{TEAM}{stranger.pk}/remove/").status_code == 404
    assert owner.post(f"{TEAM}{stranger.pk}/remove/").status_code == 404
    assert ClinicMember.objects.filter(pk=stranger.pk).exists()
