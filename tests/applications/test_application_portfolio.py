"""An application carries its artists and a portfolio of healed results, each photo with
the client's consent; the photos stay private until staff approve the clinic on the
application's one page, which publishes the ticked ones and lists the clinic."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import ApplicationUpload, ClinicApplication
from clinics.models import Clinic, ClinicPhoto
from quotes.models import QuoteRequest
from tests import images
from tests.applications import test_applications
from tests.factories import ClinicFactory, ClinicPhotoFactory
from tests.quotes.support import stored_files, upload
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db(transaction=True)
URL = test_applications.URL
# The application form's fixtures, shared with tests/applications/test_applications.py.
_application_settings = test_applications._application_settings
application_data = test_applications.application_data
city = test_applications.city
service = test_applications.service


def _change_url(application) -> str:
    return reverse("admin:applications_clinicapplication_change", args=[application.pk])


def _apply(client, application_data, **overrides) -> ClinicApplication:
    response = client.post(URL, application_data(**overrides))
    assert response.status_code == 302, response.context["form"].errors
    mail.outbox.clear()  # the receipt
    return ClinicApplication.objects.select_related("clinic__city").get()


def _approve_on_its_page(admin_client, application, publish: list[int]):
    """Post the application's page as staff do: its contact fields, the portfolio's
    "publish" boxes and the Approve button, all in the one form."""
    page = admin_client.get(_change_url(application))
    data = {
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "publish": [str(pk) for pk in publish],
        "_approve": "Approve",
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return admin_client.post(_change_url(application), data, follow=True)


def _city_page(client, clinic) -> str:
    return client.get(clinic.city.get_absolute_url()).content.decode()


# The form


def test_an_application_without_an_artist_is_refused_and_keeps_what_was_typed(
    client, application_data, settings
):
    response = client.post(URL, application_data(artist_1_name="", artist_1_bio=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["artist_1_name"] == [
        "Please name at least one artist who works at the clinic, with a short bio."
    ]
    html = response.content.decode()
    assert 'value="Kirkstall Scalp Studio"' in html and "Natural hairlines for men" in html
    assert not Clinic.objects.exists() and not ClinicApplication.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"artist_1_bio": ""}, "artist_1_bio", "Please add a short bio for Kim Owner."),
        ({"artist_2_bio": "Ten years."}, "artist_2_name", "Please give this artist’s name."),
        ({"photos_artist": "2"}, "photos_artist", "Artist 2 has no name above"),
        ({"photo_consent": ""}, "photo_consent", "Please confirm your clients agreed"),
        ({"months_healed": ""}, "months_healed", "This field is required."),
        ({"artist_1_bio": "x" * 601}, "artist_1_bio", "at most 600 characters"),
    ],
)
def test_artists_and_consent_are_checked_and_nothing_is_half_stored(
    client, application_data, private_dir, overrides, field, message
):
    response = client.post(URL, application_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Clinic.objects.exists() and stored_files(private_dir) == []


def test_each_portfolio_photo_records_whose_work_how_long_healed_and_the_consent(
    client, application_data
):
    application = _apply(
        client,
        application_data,
        artist_2_name="Jo Second",
        artist_2_bio="Scar camouflage.",
        photos_artist="2",
        months_healed="14",
    )
    names = list(application.clinic.artists.values_list("name", flat=True))
    assert names == ["Kim Owner", "Jo Second"]
    uploads = list(application.uploads.select_related("artist"))
    assert [(u.artist.name, u.months_healed, u.ready) for u in uploads] == [
        ("Jo Second", 14, True),
        ("Jo Second", 14, True),
    ]
    assert all(u.client_consent_at is not None for u in uploads)


# Private until approved (item 9's leftover)


def test_a_pending_applicants_photo_has_no_public_address_and_staff_can_open_it(
    client, admin_client, application_data, settings, private_dir
):
    application = _apply(client, application_data)
    # No file under the public media folder: nothing there to guess an address for.
    assert stored_files(settings.MEDIA_ROOT) == [] and not ClinicPhoto.objects.exists()
    upload = application.uploads.first()
    url = reverse("admin:applications_clinicapplication_upload", args=[application.pk, upload.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    page = admin_client.get(_change_url(application)).content.decode()
    assert f'src="{url}"' in page  # staff see it on the application's page
    staff = admin_client.get(url)
    assert staff.status_code == 200 and staff["Content-Type"] == "image/jpeg"
    assert b"".join(staff.streaming_content)[:2] == b"\xff\xd8"
    assert "private, no-store" in staff["Cache-Control"]


# Approving on one screen (item 15's leftover)


def test_staff_approve_on_the_applications_page_and_the_ticked_photos_list_the_clinic(
    client, admin_client, application_data
):
    application = _apply(client, application_data)
    first, second = application.uploads.all()
    page = admin_client.get(_change_url(application)).content.decode()
    # What staff decide on: whose work, the applicant's word on consent, the copy check.
    for text in ["Kim Owner, healed 8 months", "Confirmed by the applicant on", "No match"]:
        assert text in page, text
    assert page.count('name="publish"') == 2

    response = _approve_on_its_page(admin_client, application, publish=[first.pk])
    assert "Approved 1 application" in response.content.decode()
    clinic = Clinic.objects.get(pk=application.clinic_id)
    photos = list(clinic.photos.order_by("order"))
    assert [(p.stage, p.artist.name, p.months_healed) for p in photos] == [
        ("healed", "Kim Owner", 8),
        ("healed", "Kim Owner", 8),
    ]
    assert [p.is_public() for p in photos] == [True, False]  # only the ticked one
    assert photos[0].consent_confirmed_by is not None
    assert not ApplicationUpload.objects.exists()

    assert clinic.is_listed()
    assert clinic.name in _city_page(client, clinic)
    assert client.get(clinic.get_absolute_url()).status_code == 200
    assert clinic.get_absolute_url() in full_sitemap(client)
    search = client.get(reverse("clinics:search"), {"q": "Kirkstall"}).content.decode()
    assert clinic.get_absolute_url() in search
    request = QuoteRequest(city=clinic.city, mode=QuoteRequest.Mode.CITY)
    assert clinic in request.recipients()


def test_approved_with_no_photo_published_the_clinic_waits_and_staff_see_why(
    client, admin_client, application_data
):
    application = _apply(client, application_data)
    response = _approve_on_its_page(admin_client, application, publish=[])
    html = response.content.decode()
    assert (
        "Approved but not listed yet: Kirkstall Scalp Studio (needs a consented public photo)"
        in (html)
    )
    clinic = Clinic.objects.get(pk=application.clinic_id)
    assert clinic.status == Clinic.Status.APPROVED and not clinic.is_listed()
    assert "Kirkstall Scalp Studio" not in _city_page(client, clinic)
    assert client.get(clinic.get_absolute_url()).status_code == 404
    request = QuoteRequest(city=clinic.city, mode=QuoteRequest.Mode.CITY)
    assert clinic not in request.recipients()
    changelist = admin_client.get(reverse("admin:clinics_clinic_changelist")).content.decode()
    assert "Approved, not listed yet: needs a consented public photo." in changelist
    # The email says so too, rather than "your listing is now live".
    approved = mail.outbox[-1]
    assert "is now live" not in approved.body
    said = " ".join(approved.body.split())
    assert (
        "It goes on the site once it shows at least one artist and at least one photo we may "
        "publish." in said
    )

    # Staff publish one photo from the gallery: the clinic is listed.
    photo = clinic.photos.first()
    admin_client.post(
        reverse("admin:clinics_clinicphoto_changelist"),
        {"action": "confirm_consent", "_selected_action": [photo.pk]},
    )
    clinic.refresh_from_db()
    assert clinic.is_listed() and "Kirkstall Scalp Studio" in _city_page(client, clinic)


def test_a_photo_copied_from_another_clinic_is_shown_unticked_and_held_unless_staff_clear_it(
    client, admin_client, application_data
):
    other = ClinicFactory(name="Original Clinic")
    picture = images.photo_jpeg(4242, size=(800, 600))
    ClinicPhotoFactory(clinic=other, image=SimpleUploadedFile("o.jpg", picture))
    application = _apply(
        client, application_data, photos=[upload("copy.jpg", picture), upload("own.jpg")]
    )
    copied = application.uploads.get(display_name="copy.jpg")
    assert "Original Clinic" in copied.match_details
    page = admin_client.get(_change_url(application)).content.decode()
    assert "Possible copy, compare them:" in page
    boxes = re.findall(r'<input type="checkbox" name="publish" value="(\d+)"( checked)?>', page)
    assert sorted(boxes) == sorted([(str(copied.pk), ""), (str(copied.pk + 1), " checked")])

    # Approved from the list (the default boxes): the copy is held back for a look.
    client_list = reverse("admin:applications_clinicapplication_changelist")
    admin_client.post(
        client_list, {"action": "approve_applications", "_selected_action": [application.pk]}
    )
    held = ClinicPhoto.objects.get(clinic=application.clinic, alt_text=copied.alt_text)
    assert not held.is_public() and held.match_found_at is not None
    assert Clinic.objects.get(pk=application.clinic_id).is_listed()  # the other photo


def test_ticking_a_flagged_photo_clears_it_as_the_clinics_own(
    client, admin_client, application_data
):
    other = ClinicFactory(name="Original Clinic")
    picture = images.photo_jpeg(4343, size=(800, 600))
    ClinicPhotoFactory(clinic=other, image=SimpleUploadedFile("o.jpg", picture))
    application = _apply(client, application_data, photos=[upload("copy.jpg", picture)])
    copied = application.uploads.get()
    _approve_on_its_page(admin_client, application, publish=[copied.pk])
    photo = ClinicPhoto.objects.get(clinic=application.clinic)
    assert photo.is_public() and photo.match_cleared_by is not None


# The approval email


def test_the_approval_email_shows_how_to_answer_a_request_with_a_price(
    client, admin_client, application_data, settings
):
    application = _apply(client, application_data)
    _approve_on_its_page(admin_client, application, publish=[application.uploads.first().pk])
    email = mail.outbox[-1]
    assert email.subject == "Kirkstall Scalp Studio is now listed on " + settings.SITE_NAME
    body = " ".join(email.body.split())
    assert "Reply to them directly" not in body
    assert "your listing is now live: http://testserver/clinics/" in body
    assert "comes by email to quotes@kirkstall.example" in body
    assert (
        "Open the request in your account, or the link in the request's email "
        '("Send your price here")' in body
    )
    # The approval is the applicant's invitation too: the same email carries the link.
    assert "You are the owner of Kirkstall Scalp Studio's account" in body
    assert re.search(r"http://testserver/clinic-account/sign-in/[^/\s]+/", body)
    assert "your price range, whether it is fixed or an estimate" in body
    assert "side by side with the other clinics' on their comparison page" in body
    assert "A reply to the email itself reaches the client, but puts no price on that page" in body
    html = email.alternatives[0][0]
    assert "How to answer with a price" in html and "Send your price here" in html


def test_the_form_asks_for_the_first_artist_and_offers_the_others(client):
    """A listing needs an artist: the first one is not marked optional (and the browser
    asks for it); the second and third are."""
    page = client.get(reverse("applications:apply")).content.decode()
    labels = dict(re.findall(r'<label for="id_(artist_\d_\w+)">(.*?)</label>', page, re.S))
    assert (
        "(optional)" not in labels["artist_1_name"] and "(optional)" not in labels["artist_1_bio"]
    )
    assert "(optional)" in labels["artist_2_name"] and "(optional)" in labels["artist_3_bio"]
    assert re.search(r'<input[^>]*name="artist_1_name"[^>]*required', page)
