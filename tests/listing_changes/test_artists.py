"""Artists on the listing, from the account: an owner edits any and asks for a new one
(staff check it); an artist member edits only the artist they are."""

import pytest

from clinics.models import Artist
from listing_changes.models import ListingChange
from members.models import ClinicMember
from tests.factories import ClinicFactory
from tests.members.support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

ARTISTS = "/clinic-account/listing/artists/"


@pytest.fixture
def clinic():
    clinic = ClinicFactory(name="Alder Ink")
    return clinic


def _artist_post(artist, **fields):
    prefix = f"artist-{artist.pk}"
    data = {
        "artist": str(artist.pk),
        f"{prefix}-name": artist.name,
        f"{prefix}-bio": artist.bio,
        f"{prefix}-since_year": "",
    }
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def test_an_owner_edits_a_bio_at_once_and_a_new_artist_waits(client, admin_client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    artist = clinic.artists.first()
    response = client.post(ARTISTS, _artist_post(artist, bio="Twelve years of hairlines."))
    assert response.status_code == 302
    assert "Twelve years of hairlines." in client.get(clinic.get_absolute_url()).content.decode()

    client.post(ARTISTS, {"artist": "new", "new-name": "Robin Vale", "new-bio": "Scar work."})
    client.post(ARTISTS, {"artist": "new", "new-name": "Sam Lee", "new-bio": ""})
    pending = list(ListingChange.objects.filter(status="pending"))
    assert len(pending) == 2
    assert not Artist.objects.filter(name="Robin Vale").exists()
    admin_client.post(
        f"/admin/listing_changes/listingchange/{pending[-1].pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    assert Artist.objects.filter(clinic=clinic, name__in=["Robin Vale", "Sam Lee"]).count() == 1


def test_an_artist_member_edits_only_their_own_artist(client, clinic):
    mine = clinic.artists.first()
    other = Artist.objects.create(clinic=clinic, name="Other Artist", bio="Theirs.")
    member = member_of(clinic, "ben@alder.example", role=ClinicMember.Role.ARTIST)
    member_of(clinic, "ana@alder.example")
    ClinicMember.objects.filter(pk=member.pk).update(artist=mine)
    sign_in(client, "ben@alder.example")
    page = client.get(ARTISTS).content.decode()
    assert mine.name in page and "Other Artist" not in page and "Add an artist" not in page
    client.post(ARTISTS, _artist_post(other, bio="Changed by someone else."))
    other.refresh_from_db()
    assert other.bio == "Theirs."
    client.post(ARTISTS, {"artist": "new", "new-name": "Sneaky", "new-bio": ""})
    assert not ListingChange.objects.exists()
    assert client.post(ARTISTS, _artist_post(mine, bio="My own words.")).status_code == 302
    mine.refresh_from_db()
    assert mine.bio == "My own words."


def test_an_owner_links_a_member_to_an_artist_of_their_own_clinic_only(client, clinic):
    member_of(clinic, "ana@alder.example")
    ben = member_of(clinic, "ben@alder.example", role=ClinicMember.Role.ARTIST)
    sign_in(client, "ana@alder.example")
    mine = clinic.artists.first()
    theirs = ClinicFactory().artists.first()
    team = "/clinic-account/team/"
    assert client.post(team, {"link_member": ben.pk, "artist": theirs.pk}).status_code == 404
    assert client.post(team, {"link_member": "x", "artist": mine.pk}).status_code == 404
    assert client.post(team, {"link_member": ben.pk, "artist": mine.pk}).status_code == 302
    ben.refresh_from_db()
    assert ben.artist == mine
