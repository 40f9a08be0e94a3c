"""A clinic's owner edits its listing: practical details publish at once, the description
waits for staff, who approve it from a before/after view or send it back; pausing
requests takes the clinic out of city-wide requests until its return date."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clinics.models import Clinic, ClinicClosure, Language
from listing_changes.models import ListingChange
from members.models import ClinicMember
from quotes import pipeline
from tests.factories import CityFactory, ClinicFactory
from tests.members.support import member_of, sign_in
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

EDIT = "/clinic-account/listing/"


@pytest.fixture
def clinic():
    return ClinicFactory(name="Alder Ink", opening_hours="Mo-Fr 10:00-18:00")


@pytest.fixture
def owner(client, clinic):
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")
    return client


def _about(clinic, **fields):
    data = {
        "section": "about",
        "name": clinic.name,
        "address": clinic.address,
        "website": clinic.website,
        "text_language": clinic.text_language,
        "summary": clinic.summary,
        "description": clinic.description,
    }
    data.update(fields)
    return data


def _practical(**fields):
    data = {
        "section": "practical",
        "opening_hours": "Mo-Sa 09:00-17:00",
        "consults_in_person": "on",
        "consults_online": "on",
    }
    data.update(fields)
    return data


def test_hours_publish_at_once_and_are_recorded(owner, client, clinic):
    spanish = Language.objects.get_or_create(name="Spanish", defaults={"code": "es"})[0]
    response = owner.post(EDIT, _practical(languages=[spanish.pk]))
    assert response.status_code == 302
    profile = client.get(clinic.get_absolute_url()).content.decode()
    assert "09:00" in profile and "Spanish" in profile
    change = ListingChange.objects.get()
    assert change.status == "published" and change.made_by.email == "ana@alder.example"
    assert change.changes["opening_hours"]["before"] == "Mo-Fr 10:00-18:00"
    assert change.changes["languages"]["after"] == ["Spanish"]
    assert "Saved: your profile shows it now." in owner.get(EDIT).content.decode()


def test_bad_hours_get_a_message_and_change_nothing(owner, clinic):
    response = owner.post(EDIT, _practical(opening_hours="whenever"))
    assert response.status_code == 400
    assert "is not understood" in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.opening_hours == "Mo-Fr 10:00-18:00" and not ListingChange.objects.exists()


def test_a_description_waits_for_staff_who_approve_it_from_a_diff(
    owner, client, admin_client, clinic
):
    old_reviewed = Clinic.objects.get(pk=clinic.pk).reviewed_at
    response = owner.post(EDIT, _about(clinic, description="We <b>love</b> dots."))
    assert response.status_code == 302
    assert "We &lt;b&gt;love" not in client.get(clinic.get_absolute_url()).content.decode()
    clinic.refresh_from_db()
    assert clinic.description == ""
    change = ListingChange.objects.get()
    assert change.status == "pending"
    assert "Waiting for our staff" in owner.get(EDIT).content.decode()

    page = admin_client.get(f"/admin/listing_changes/listingchange/{change.pk}/change/")
    html = page.content.decode()
    # The diff shows the text escaped: what the clinic typed never runs in staff's browser.
    assert "Before" in html and "After" in html and "&lt;b&gt;love&lt;/b&gt;" in html
    response = admin_client.post(
        f"/admin/listing_changes/listingchange/{change.pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.description == "We <b>love</b> dots."
    assert clinic.reviewed_at > old_reviewed
    profile = client.get(clinic.get_absolute_url()).content.decode()
    assert "We &lt;b&gt;love&lt;/b&gt; dots." in profile
    assert f'listing reviewed <time datetime="{timezone.localdate():%Y-%m-%d}"' in profile


def test_staff_send_a_change_back_with_a_reason_the_clinic_reads(owner, admin_client, clinic):
    owner.post(EDIT, _about(clinic, summary="Best in the world!"))
    change = ListingChange.objects.get()
    url = f"/admin/listing_changes/listingchange/{change.pk}/change/"
    refused = admin_client.post(url, {"decision": "send_back", "reason": ""})
    assert refused.status_code == 200 and b"Say why, for the clinic" in refused.content
    admin_client.post(url, {"decision": "send_back", "reason": "Please no superlatives."})
    clinic.refresh_from_db()
    assert clinic.summary != "Best in the world!"
    page = owner.get(EDIT).content.decode()
    assert "Sent back by staff" in page and "Please no superlatives." in page


def test_a_newer_description_replaces_the_pending_one(owner, clinic):
    owner.post(EDIT, _about(clinic, description="First."))
    owner.post(EDIT, _about(clinic, description="Second."))
    statuses = dict(ListingChange.objects.values_list("changes__description__after", "status"))
    assert statuses == {"First.": "replaced", "Second.": "pending"}


def test_six_megabytes_of_text_change_nothing(owner, clinic):
    response = owner.post(EDIT, _about(clinic, description="x" * 6_000_000))
    assert response.status_code == 400 and b"Nothing was saved." in response.content
    response = owner.post(EDIT, _about(clinic, description="x" * 6_000))
    assert response.status_code == 400
    assert "Please keep the description to 5,000 characters" in response.content.decode()
    assert not ListingChange.objects.exists()


def test_an_artist_member_cannot_edit_the_listing(client, clinic):
    member_of(clinic, "artist@alder.example", role=ClinicMember.Role.ARTIST)
    sign_in(client, "artist@alder.example")
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, _practical()).status_code == 403
    clinic.refresh_from_db()
    assert clinic.opening_hours == "Mo-Fr 10:00-18:00"


def test_a_closure_shows_at_once_and_another_clinics_closure_cannot_be_removed(
    owner, client, clinic
):
    start = timezone.localdate() + timedelta(days=3)
    owner.post(
        EDIT,
        {
            "section": "closure",
            "first_day": start.isoformat(),
            "last_day": (start + timedelta(days=4)).isoformat(),
            "note": "Summer break",
        },
    )
    assert "Summer break" in client.get(clinic.get_absolute_url()).content.decode()
    other = ClinicFactory()
    theirs = other.closures.create(first_day=start, last_day=start, note="Theirs")
    assert owner.post(f"{EDIT}closures/{theirs.pk}/remove/").status_code == 404
    assert other.closures.count() == 1
    mine = clinic.closures.get()
    assert owner.post(f"{EDIT}closures/{mine.pk}/remove/").status_code == 302
    assert not clinic.closures.exists()


def test_a_paused_clinic_is_left_out_of_city_requests_until_its_date(owner, client):
    city = CityFactory(name="Leeds", slug="leeds")
    paused = ClinicFactory(city=city, name="Paused Studio")
    member_of(paused, "pat@paused.example")
    ClinicFactory(city=city, name="Open Studio")
    other = type(client)()
    sign_in(other, "pat@paused.example")
    back = timezone.localdate() + timedelta(days=10)
    response = other.post(
        EDIT, {"section": "pause", "state": "pause", "resume_on": back.isoformat()}
    )
    assert response.status_code == 302

    profile = client.get(paused.get_absolute_url()).content.decode()
    assert f"Paused Studio has paused requests until {back:%-d %B %Y}." in profile
    quote = make_quote(city, photos=0)
    pipeline.process_quote(quote.pk)
    assert sorted(
        quote.deliveries.filter(kind="artist").values_list("clinic__name", flat=True)
    ) == ["Open Studio"]

    # On its date it takes requests again, before the daily task has cleared the flag.
    with time_machine.travel(timezone.now() + timedelta(days=10, hours=1), tick=False):
        later = make_quote(city, photos=0)
        pipeline.process_quote(later.pk)
        names = later.deliveries.filter(kind="artist").values_list("clinic__name", flat=True)
        assert sorted(names) == ["Open Studio", "Paused Studio"]
        assert Clinic.objects.resume_paused_requests() == 1
    paused.refresh_from_db()
    assert not paused.requests_paused and paused.requests_resume_on is None


def test_a_pause_date_in_the_past_is_refused(owner, clinic):
    response = owner.post(
        EDIT,
        {"section": "pause", "state": "pause", "resume_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and b"Choose a date after today." in response.content
    clinic.refresh_from_db()
    assert not clinic.requests_paused


def test_withdrawing_asks_first_then_staff_confirm_and_the_account_closes(
    owner, client, admin_client, clinic
):
    url = EDIT + "withdraw/"
    page = owner.get(url)
    assert page.status_code == 200 and b"Withdraw your listing?" in page.content
    assert not ListingChange.objects.exists()
    assert owner.post(url)["Location"] == EDIT
    assert b"Your request to withdraw is with our staff" in owner.get(url).content
    owner.post(url)  # asked twice: still one request
    change = ListingChange.objects.get()
    assert client.get(clinic.get_absolute_url()).status_code == 200  # not before staff confirm

    admin_client.post(
        f"/admin/listing_changes/listingchange/{change.pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    clinic.refresh_from_db()
    assert clinic.status == "withdrawn"
    assert client.get(clinic.get_absolute_url()).status_code == 404
    assert owner.get("/clinic-account/")["Location"] == "/clinic-account/sign-in/"


def test_a_new_name_waits_for_staff_and_search_finds_it_once_approved(
    owner, client, admin_client, clinic
):
    owner.post(EDIT, _about(clinic, name="Alder Ink Studio"))
    clinic.refresh_from_db()
    assert clinic.name == "Alder Ink"
    change = ListingChange.objects.get()
    admin_client.post(
        f"/admin/listing_changes/listingchange/{change.pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    clinic.refresh_from_db()
    assert clinic.name == "Alder Ink Studio" and "studio" in clinic.search_name


def _services(clinic, **fields):
    data = {"section": "services", "price_from": "1000", "price_to": "2000"}
    data.update(fields)
    return data


def test_services_and_usual_prices_publish_at_once(owner, client, clinic):
    from tests.factories import ServiceFactory

    womens = ServiceFactory(name="Scar camouflage", slug="scar-camouflage")
    clinic.city.quoted_prices = {"GBP": {"low": 1200, "median": 1500, "high": 1800}}
    clinic.city.save()
    response = owner.post(EDIT, _services(clinic, services=[womens.pk], price_from="900"))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.price_from == 900 and list(clinic.services.all()) == [womens]
    assert ListingChange.objects.get().status == "published"
    assert "Scar camouflage" in client.get(clinic.get_absolute_url()).content.decode()


def test_prices_far_from_the_citys_wait_for_staff(owner, clinic):
    clinic.city.quoted_prices = {"GBP": {"low": 1200, "median": 1500, "high": 1800}}
    clinic.city.save()
    old = (clinic.price_from, clinic.price_to)
    owner.post(EDIT, _services(clinic, price_from="200", price_to="2000"))
    clinic.refresh_from_db()
    assert (clinic.price_from, clinic.price_to) == old
    change = ListingChange.objects.get()
    assert change.status == "pending" and change.changes["price_from"]["after"] == 200
    assert "far from what artists quote" in owner.get(EDIT).content.decode()


def test_a_price_range_upside_down_gets_a_message(owner, clinic):
    response = owner.post(EDIT, _services(clinic, price_from="3000", price_to="1000"))
    assert response.status_code == 400
    assert "The lowest price can’t be above the highest." in response.content.decode()
    assert not ListingChange.objects.exists()


@pytest.mark.parametrize("count", [1, 200])
def test_the_editor_makes_the_same_queries_for_1_and_200_changes(
    owner, clinic, count, django_assert_num_queries
):
    ListingChange.objects.bulk_create(
        ListingChange(
            clinic=clinic,
            changes={"opening_hours": {"label": "Opening hours", "before": "", "after": "Mo"}},
            status="published",
        )
        for _ in range(count)
    )
    start = timezone.localdate() + timedelta(days=2)
    ClinicClosure.objects.bulk_create(
        ClinicClosure(clinic=clinic, first_day=start, last_day=start, note=f"n{n}")
        for n in range(count)
    )
    owner.get(EDIT)
    # Session (read and saved), user, authenticator, membership, the clinic with its
    # languages, services and closures, the languages and services to choose from, the
    # pending changes and the recent ones.
    with django_assert_num_queries(15):
        page = owner.get(EDIT).content.decode()
    assert page.count("Remove</button>") == count


def test_the_sign_in_pages_make_no_query_for_a_stranger(client, django_assert_num_queries):
    client.get("/clinic-account/sign-in/")
    with django_assert_num_queries(0):
        assert client.get("/clinic-account/sign-in/").status_code == 200
