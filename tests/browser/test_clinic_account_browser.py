"""A clinic's account on a phone: staff approve an application, the applicant signs in
through the one email it gets, edits hours (public at once) and the description
(pending until staff approve it from a diff), answers a request from the inbox, and
pauses requests; with axe checks on every account page."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import ClinicApplication
from listing_changes.models import ListingChange
from quotes import pipeline
from tests import images
from tests.applications import test_application_portfolio as portfolio
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_application_settings = portfolio._application_settings
application_data = portfolio.application_data
city = portfolio.city
service = portfolio.service

LINK = re.compile(r"https?://[^/\s]+(/clinic-account/sign-in/[^/\s]+/)")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "scrolls sideways"


def test_an_approved_clinic_runs_its_listing_and_requests_from_a_phone(
    page, live_server, application_data, admin_user, city, axe_check, eager_celery
):
    page.set_viewport_size({"width": 375, "height": 740})
    applicant = Client()
    portfolio._apply(applicant, application_data)
    application = ClinicApplication.objects.select_related("clinic").get()
    ClinicFactory(city=city, name="Other Leeds Studio")
    staff = Client()
    staff.force_login(admin_user)
    # Staff approve it (publishing its portfolio, so it is listed).
    portfolio._approve_on_its_page(
        staff, application, publish=list(application.uploads.values_list("pk", flat=True))
    )
    clinic = application.clinic
    clinic.refresh_from_db()
    assert clinic.is_listed()
    emails = [m for m in mail.outbox if m.to == [application.contact_email]]
    assert len(emails) == 1
    path = LINK.search(emails[0].body).group(1)

    # The applicant signs in through the link in the approval email.
    page.goto(live_server.url + path)
    axe_check(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(clinic.name)
    axe_check(page)
    _no_sideways_scroll(page)

    # Hours: public at once. Description: waits for staff.
    page.get_by_role("link", name="Edit your listing").click()
    axe_check(page)
    page.get_by_label("Opening hours").fill("Tu-Sa 09:30-17:30")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("status").first).to_contain_text("your profile shows it now")
    page.get_by_role("textbox", name=re.compile("^Description")).fill(
        "Every client sees healed work before booking."
    )
    page.get_by_role("button", name="Send to staff").click()
    expect(page.get_by_text("Waiting for our staff since")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    profile = Client().get(clinic.get_absolute_url()).content.decode()
    assert "09:30" in profile and "Every client sees healed work" not in profile

    change = ListingChange.objects.get(status="pending")
    diff = staff.get(f"/admin/listing_changes/listingchange/{change.pk}/change/")
    assert "Every client sees healed" in diff.content.decode().replace("&nbsp;", " ")
    staff.post(
        f"/admin/listing_changes/listingchange/{change.pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    page.goto(live_server.url + clinic.get_absolute_url())
    expect(page.get_by_text("Every client sees healed work before booking.")).to_be_visible()
    expect(page.get_by_text("09:30").first).to_be_visible()

    # A request to every artist in the city reaches the inbox and is answered there.
    quote = make_quote(city, photos=1)
    pipeline.process_quote(quote.pk)
    page.goto(live_server.url + "/clinic-account/requests/")
    axe_check(page)
    page.get_by_role("link", name=re.compile("New")).click()
    expect(page.get_by_role("img", name="Client photo 1")).to_be_visible()
    page.get_by_label(re.compile(r"Price from")).fill("1500")
    page.get_by_label(re.compile(r"Price up to")).fill("1500")
    page.get_by_label("A fixed price").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("status").first).to_contain_text("your answer is saved")
    axe_check(page)
    _no_sideways_scroll(page)

    # Pausing: the profile says so and the next city-wide request leaves the clinic out.
    back = timezone.localdate() + timedelta(days=14)
    page.get_by_role("link", name="Listing", exact=True).click()
    page.get_by_label("Pause requests").check()
    page.get_by_label("Take requests again on").fill(back.isoformat())
    page.locator("form", has=page.get_by_label("Pause requests")).get_by_role(
        "button", name="Save"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Requests are paused until")
    page.goto(live_server.url + clinic.get_absolute_url())
    expect(page.get_by_text(f"has paused requests until {back:%-d %B %Y}")).to_be_visible()
    later = make_quote(city, photos=0)
    pipeline.process_quote(later.pk)
    names = set(later.deliveries.filter(kind="artist").values_list("clinic__name", flat=True))
    assert names == {"Other Leeds Studio"}


ACCOUNT_PAGES = [
    "/clinic-account/",
    "/clinic-account/requests/",
    "/clinic-account/listing/",
    "/clinic-account/listing/artists/",
    "/clinic-account/listing/withdraw/",
    "/clinic-account/listing/photos/",
    "/clinic-account/reviews/",
    "/clinic-account/credentials/",
    "/clinic-account/training/",
    "/clinic-account/team/",
    "/clinic-account/security/",
]


def test_every_account_page_reads_on_a_phone(page, live_server, axe_check):
    """One signed-in session walks every page of the account (one test: a browser
    test's database is emptied after it, seconds each)."""
    from members.models import ClinicMember
    from members.signin import invite

    clinic = ClinicFactory(name="Alder Ink")
    invite(clinic, "ana@alder.example", ClinicMember.Role.OWNER)
    link = LINK.search(mail.outbox[-1].body).group(1)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Sign in").click()
    asked_first = [
        f"/clinic-account/listing/artists/{clinic.artists.first().pk}/portrait/",
        f"/clinic-account/listing/photos/{clinic.photos.first().pk}/remove/",
    ]
    for path in ACCOUNT_PAGES + asked_first:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
        _no_sideways_scroll(page)

    # A healed result from the phone's camera roll: sent to staff, not yet on the profile.
    photo = io.BytesIO()
    images.photo_like(5).save(photo, "JPEG", quality=88)
    artist = clinic.artists.first()
    page.goto(live_server.url + "/clinic-account/listing/photos/")
    page.get_by_label("Photo", exact=True).set_input_files(
        files=[{"name": "healed.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    page.get_by_label("What it shows").select_option("healed")
    page.get_by_label("Whose work it is").select_option(str(artist.pk))
    page.get_by_label("Months since the last session").fill("9")
    page.get_by_label("Describe the photo").fill("Healed crown, nine months on")
    page.get_by_label("The client shown agreed in writing").check()
    page.get_by_role("button", name="Send to our staff").click()
    expect(page.get_by_role("status").first).to_contain_text("our staff check every new photo")
    expect(page.get_by_text("Waiting for our staff")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    assert ListingChange.objects.filter(
        status="pending", changes__has_key=f"new_photo:{clinic.photos.latest('pk').pk}"
    ).exists()
