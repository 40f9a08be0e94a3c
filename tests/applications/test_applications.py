"""Clinics apply to be listed: the public form, the pending clinic, and staff's decision."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from applications.models import UPLOAD_STORAGE, ApplicationUpload, ClinicApplication
from clinics.models import Clinic, ClinicPhoto
from tests import images
from tests.factories import CityFactory, ServiceFactory
from tests.quotes.support import form_token, stored_files, upload
from tests.sitemaps import full_sitemap

# The emails are sent once the application (or decision) has committed: every database
# test's code commits as in production (tests/conftest.py, `_commits_by_default`).
pytestmark = pytest.mark.django_db
URL = reverse("applications:apply")
SENT = reverse("applications:apply-sent")
CHANGELIST = reverse("admin:applications_clinicapplication_changelist")
MB15 = 15 * 1024 * 1024
# What the form asks about the clinic's artists and its portfolio of healed results.
ARTIST_AND_PORTFOLIO = {
    "artist_1_name": "Kim Owner",
    "artist_1_bio": "Ten years of hairlines and scar camouflage.",
    "artist_2_name": "",
    "artist_2_bio": "",
    "artist_3_name": "",
    "artist_3_bio": "",
    "photos_artist": "1",
    "months_healed": "8",
    "photo_consent": "on",
}


@pytest.fixture(autouse=True)
def _application_settings(settings):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "0"
    settings.STAFF_NOTIFICATION_EMAILS = []
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def city():
    return CityFactory(name="Leeds", slug="leeds")


@pytest.fixture
def service():
    return ServiceFactory(name="Men's SMP", slug="mens-smp")


@pytest.fixture
def media(settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def application_data(city, service):
    def make(**overrides):
        data = {
            "name": "Kirkstall Scalp Studio",
            "city": str(city.pk),
            "other_city": "",
            "address": "1 Abbey Road, Leeds",
            "phone": "0113 496 0000",
            "clinic_website": "https://kirkstall.example",
            "instagram": "@kirkstallsmp",
            "services": [str(service.pk)],
            "price_from": "1200",
            "price_to": "2000",
            "currency": "GBP",
            "established_year": "2016",
            "description": "Natural hairlines for men and women.",
            "photos": [upload("hairline.jpg"), upload("crown.png", images.png())],
            "photo_description": "Hairline after three sessions",
            **ARTIST_AND_PORTFOLIO,
            "contact_name": "Kim Owner",
            "contact_email": "kim@kirkstall.example",
            "contact_phone": "07700 900456",
            "quote_email": "quotes@kirkstall.example",
            "consent": "on",
            "leave_blank": "",
            "form_token": form_token(),
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def applied(client, application_data):
    """A submitted application, as staff find it."""
    response = client.post(URL, application_data())
    assert response.status_code == 302, response.context["form"].errors
    mail.outbox.clear()  # the applicant's receipt
    return ClinicApplication.objects.select_related("clinic__city").get()


def _photo_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("photos", []))


def _nothing_stored(media) -> bool:
    return (
        not Clinic.objects.exists()
        and not ClinicPhoto.objects.exists()
        and not ClinicApplication.objects.exists()
        and stored_files(media) == []
    )


def _run_action(client, action, applications, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in applications], **extra},
    )


# The form


def test_the_form_is_linked_from_the_footer_and_home_page(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert html.count(f'href="{URL}"') >= 2  # the home page section and the footer


def test_the_form_puts_the_csrf_token_first_and_groups_cities_by_country(client, city):
    CityFactory(name="Porto", slug="porto", country="PT")
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    form = html[html.index('<form class="application-form"') :]
    first_input = form[form.index("<input") : form.index(">", form.index("<input"))]
    assert 'name="csrfmiddlewaretoken"' in first_input
    assert form.index("csrfmiddlewaretoken") < form.index('type="file"')
    assert '<optgroup label="Portugal">' in form and '<optgroup label="United Kingdom">' in form
    assert 'name="leave_blank"' in form and 'name="form_token"' in form


def test_an_application_becomes_a_pending_clinic_with_photos_and_a_contact(
    client, application_data, city, service
):
    response = client.post(URL, application_data())
    assert response.status_code == 302 and response["Location"] == SENT
    assert "Thank you for your application" in client.get(SENT).content.decode()

    application = ClinicApplication.objects.select_related("clinic").get()
    clinic = application.clinic
    assert clinic.status == Clinic.Status.PENDING and not clinic.is_listed()
    assert (clinic.name, clinic.slug, clinic.city) == (
        "Kirkstall Scalp Studio",
        "kirkstall-scalp-studio",
        city,
    )
    assert clinic.website == "https://kirkstall.example" and clinic.instagram == "kirkstallsmp"
    assert clinic.quote_email == "quotes@kirkstall.example"
    assert (clinic.price_from, clinic.price_to, clinic.currency) == (1200, 2000, "GBP")
    assert list(clinic.services.all()) == [service]
    assert (application.contact_name, application.contact_email) == (
        "Kim Owner",
        "kim@kirkstall.example",
    )
    assert application.status == ClinicApplication.Status.SUBMITTED
    assert application.submitted_at is not None and len(application.ip_hash) == 64
    # Its artist, and its portfolio kept privately until staff decide: none is a gallery
    # photo yet, each says whose work it is, how long healed, and the client's consent.
    assert [(a.name, a.bio) for a in clinic.artists.all()] == [
        ("Kim Owner", "Ten years of hairlines and scar camouflage.")
    ]
    assert not clinic.photos.exists()
    uploads = list(application.uploads.all())
    assert [(u.order, u.ready, u.artist.name, u.months_healed) for u in uploads] == [
        (1, True, "Kim Owner", 8),
        (2, True, "Kim Owner", 8),
    ]
    assert all(u.client_consent_at is not None and u.fingerprint for u in uploads)
    assert uploads[0].alt_text == (
        "Hairline after three sessions (portfolio photo 1 from Kirkstall Scalp Studio)"
    )


def test_photos_without_a_description_get_a_generic_alt_text(client, application_data):
    client.post(URL, application_data(photo_description=""))
    alts = list(ApplicationUpload.objects.values_list("alt_text", flat=True))
    assert alts == [
        "Portfolio photo 1 from Kirkstall Scalp Studio",
        "Portfolio photo 2 from Kirkstall Scalp Studio",
    ]


def test_a_city_not_listed_is_kept_for_staff_to_resolve(client, application_data):
    response = client.post(URL, application_data(city="", other_city="Porto, Portugal"))
    assert response.status_code == 302
    application = ClinicApplication.objects.get()
    assert application.clinic.city is None
    assert application.requested_city == "Porto, Portugal"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"city": "", "other_city": ""}, "city", "Please choose your city"),
        ({"price_from": "3000"}, "price_to", "can’t be below the lowest"),
        ({"services": []}, "services", "Please tick at least one service."),
        ({"consent": ""}, "consent", "Please tick this box"),
        (
            {"contact_email": "not-an-email"},
            "contact_email",
            "Enter an email address like name@example.com.",
        ),
    ],
)
def test_field_errors_are_clear_and_nothing_is_stored(
    client, application_data, media, overrides, field, message
):
    response = client.post(URL, application_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert _nothing_stored(media)


# Invisible until approved


def test_a_pending_clinic_is_on_no_public_page(client, applied):
    clinic = applied.clinic
    assert client.get(clinic.get_absolute_url()).status_code == 404
    assert clinic.name not in client.get(clinic.city.get_absolute_url()).content.decode()
    search = client.get(reverse("clinics:search"), {"q": "Kirkstall"}).content.decode()
    assert clinic.name not in search
    assert clinic.slug not in full_sitemap(client)


def test_approving_lists_the_clinic_and_emails_the_contact_once(admin_client, applied):
    for _ in range(2):  # the action run twice, e.g. by two staff at once
        _run_action(admin_client, "approve_applications", [applied])
    applied.refresh_from_db()
    clinic = applied.clinic
    clinic.refresh_from_db()
    assert applied.status == ClinicApplication.Status.APPROVED
    assert applied.decided_at is not None and applied.decided_by.is_staff
    assert clinic.status == Clinic.Status.APPROVED and clinic.approved_by == applied.decided_by
    assert clinic.reviewed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kim@kirkstall.example"]
    assert "now listed" in message.subject
    assert f"http://testserver{clinic.get_absolute_url()}" in message.body
    assert message.alternatives[0][1] == "text/html"

    from django.test import Client

    public = Client()
    assert public.get(clinic.get_absolute_url()).status_code == 200
    assert clinic.name in public.get(clinic.city.get_absolute_url()).content.decode()
    assert clinic.slug in full_sitemap(public)


def test_approving_the_clinic_itself_decides_its_application_and_emails_once(admin_client, applied):
    for _ in range(2):
        admin_client.post(
            reverse("admin:clinics_clinic_changelist"),
            {"action": "approve_clinics", "_selected_action": [applied.clinic.pk]},
        )
    applied.refresh_from_db()
    applied.clinic.refresh_from_db()
    assert applied.status == ClinicApplication.Status.APPROVED
    assert applied.clinic.status == Clinic.Status.APPROVED
    assert [m.to for m in mail.outbox] == [["kim@kirkstall.example"]]


def test_an_application_without_a_city_cannot_be_approved_until_staff_choose_one(
    admin_client, client, application_data, city
):
    client.post(URL, application_data(city="", other_city="Leeds-on-Sea"))
    mail.outbox.clear()  # the receipt
    application = ClinicApplication.objects.get()
    _run_action(admin_client, "approve_applications", [application])
    application.refresh_from_db()
    assert application.status == ClinicApplication.Status.SUBMITTED and mail.outbox == []

    Clinic.objects.filter(pk=application.clinic_id).update(city=city)
    _run_action(admin_client, "approve_applications", [application])
    application.refresh_from_db()
    assert application.status == ClinicApplication.Status.APPROVED and len(mail.outbox) == 1


def test_rejecting_asks_for_a_reason_then_emails_it_once(admin_client, applied):
    page = _run_action(admin_client, "reject_applications", [applied])
    assert page.status_code == 200
    assert "Reason (sent to the applicant)" in page.content.decode()
    empty = _run_action(admin_client, "reject_applications", [applied], reason="")
    assert "This field is required" in empty.content.decode()
    applied.refresh_from_db()
    assert applied.status == ClinicApplication.Status.SUBMITTED and mail.outbox == []

    reason = "We could not verify that the portfolio photos are your own work."
    for _ in range(2):
        response = _run_action(admin_client, "reject_applications", [applied], reason=reason)
        assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == ClinicApplication.Status.REJECTED
    assert applied.rejection_reason == reason and applied.decided_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@kirkstall.example"] and reason in mail.outbox[0].body
    applied.clinic.refresh_from_db()
    assert applied.clinic.status == Clinic.Status.PENDING
    assert admin_client.get(applied.clinic.get_absolute_url()).status_code == 404


def test_a_rejected_application_cannot_then_be_approved(admin_client, applied):
    _run_action(admin_client, "reject_applications", [applied], reason="Not SMP work.")
    _run_action(admin_client, "approve_applications", [applied])
    applied.clinic.refresh_from_db()
    assert applied.clinic.status == Clinic.Status.PENDING and len(mail.outbox) == 1


def test_staff_see_applications_with_their_photos_as_thumbnails(admin_client, applied):
    listing = admin_client.get(CHANGELIST, {"status__exact": "submitted"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Kirkstall Scalp Studio" in html and "Leeds" in html
    change = admin_client.get(
        reverse("admin:applications_clinicapplication_change", args=[applied.pk])
    ).content.decode()
    for photo in applied.clinic.photos.all():
        assert photo.thumbnail.url in change


# Upload rules: the same as the quote form's


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        (
            [upload("fake.jpg", images.gif())],
            "“fake.jpg” is not really a JPG, PNG or HEIC image. Please choose a photo file.",
        ),
        (
            [upload("huge.jpg", images.padded(images.jpeg(), MB15 + 1))],
            "“huge.jpg” is larger than 15 MB. Please choose a smaller photo.",
        ),
        (
            [upload(f"p{n}.jpg") for n in range(6)],
            "Please choose at most 5 photos (you chose 6).",
        ),
        ([], "Please add at least one photo of your work."),
        (
            [upload("tiny.jpg", images.jpeg(size=(120, 90)))],
            "“tiny.jpg” is too small to be useful",
        ),
    ],
    ids=["gif-named-jpg", "15-mb-plus-one", "six-photos", "no-photo", "too-small"],
)
def test_bad_photos_get_clear_messages_and_nothing_is_stored(
    client, application_data, media, photos, message
):
    response = client.post(URL, application_data(photos=photos))
    assert response.status_code == 200
    errors = _photo_errors(response)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert _nothing_stored(media)


def test_one_bad_photo_among_good_ones_stores_nothing(client, application_data, media):
    photos = [upload("good.jpg"), upload("bad.png", b"not a png")]
    response = client.post(URL, application_data(photos=photos))
    assert _photo_errors(response) == [
        "“bad.png” is not really a JPG, PNG or HEIC image. Please choose a photo file."
    ]
    assert _nothing_stored(media)


def test_a_photo_with_gps_is_stored_without_its_metadata(client, application_data):
    exif = images.exif_with_gps_and_orientation(orientation=6)
    photo = upload("gps.jpg", images.jpeg(size=(800, 600), exif=exif, comment=b"secret"))
    client.post(URL, application_data(photos=[photo]))
    stored = ApplicationUpload.objects.get(ready=True)
    with storages[UPLOAD_STORAGE].open(stored.file_name, "rb") as file:
        data = file.read()
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
        assert image.size == (600, 800)  # turned upright before the metadata went


def test_a_failure_after_the_photos_leaves_no_rows_and_no_files(
    client, application_data, media, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ClinicApplication.objects, "create", fail)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(URL, application_data())
    assert _nothing_stored(media)


# Spam: a calm thanks page, and nothing stored (no clinic, no photos, no record, no email)


@pytest.mark.parametrize(
    "overrides",
    [
        {"leave_blank": "http://spam.example"},
        {"form_token": ""},
        {"form_token": "forged"},
    ],
    ids=["honeypot", "no-token", "bad-token"],
)
def test_spam_gets_a_calm_page_and_nothing_is_stored(
    client, application_data, media, settings, overrides
):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    overrides = {k: v() if callable(v) else v for k, v in overrides.items()}
    response = client.post(URL, application_data(**overrides))
    assert response.status_code == 302 and response["Location"] == SENT
    assert _nothing_stored(media) and mail.outbox == []


def test_over_the_rate_limit_an_application_is_kept_and_marked_for_staff(
    client, application_data, settings
):
    settings.CLINIC_APPLICATION_RATE_LIMIT = "2/h"
    locations = []
    for n in range(3):
        response = client.post(
            URL, application_data(name=f"Studio {n}", contact_email=f"owner{n}@studio.example")
        )
        locations.append(response["Location"])
    # Past the limit no receipt goes out, and the thanks page says so.
    assert locations == [SENT, SENT, SENT + "?receipt=withheld"]
    reasons = list(
        ClinicApplication.objects.order_by("submitted_at").values_list("check_reason", flat=True)
    )
    assert reasons == ["", "", "many applications from one connection"]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"form_token": "fast"}, "sent very fast"),
        ({"leave_blank": "kim@kirkstall.example"}, "hidden field autofilled"),
    ],
)
def test_a_doubtful_application_from_a_person_is_kept_for_staff(
    client, application_data, overrides, reason
):
    if overrides.get("form_token") == "fast":
        overrides["form_token"] = form_token(age=0.5)
    client.post(URL, application_data(**overrides))
    assert ClinicApplication.objects.get().check_reason == reason


def test_a_full_disk_while_applying_keeps_what_was_typed_and_stores_nothing(
    client, application_data, disk, private_dir, media
):
    disk.full = True
    response = client.post(URL, application_data())
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "We could not store your photos just now, so nothing was sent." in html
    assert 'value="Kirkstall Scalp Studio"' in html  # what they typed is kept
    assert _nothing_stored(media) and stored_files(private_dir) == []
    assert mail.outbox == []


def test_posting_the_same_form_twice_makes_one_application(client, application_data):
    data = application_data()
    client.post(URL, data)
    data["photos"] = [upload("hairline.jpg")]
    response = client.post(URL, data)
    assert response["Location"] == SENT
    assert ClinicApplication.objects.count() == 1


# Telling staff


def test_the_applicant_and_each_staff_address_are_emailed_once_after_the_commit(
    client, application_data, settings
):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example", "lead@smp.example"]
    data = application_data()
    client.post(URL, data)
    client.post(URL, data)  # posted again: no second application, no second email
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kim@kirkstall.example",
        "lead@smp.example",
        "staff@smp.example",
    ]
    receipt = next(m for m in mail.outbox if m.to == ["kim@kirkstall.example"])
    assert receipt.subject == "We received your application to list a clinic"
    assert "stays off the site until it is approved" in receipt.body
    message = next(m for m in mail.outbox if m.to == ["staff@smp.example"])
    assert message.subject == "New clinic application: Kirkstall Scalp Studio"
    application = ClinicApplication.objects.get()
    review = reverse("admin:applications_clinicapplication_change", args=[application.pk])
    assert f"http://testserver{review}" in message.body and "Kim Owner" in message.body
    assert application.emails.filter(status="sent").count() == 3


def test_nothing_is_emailed_before_the_commit(
    client, application_data, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    from django.db import transaction

    with transaction.atomic():
        client.post(URL, application_data())
        assert mail.outbox == []
    assert len(mail.outbox) == 2


def test_no_staff_addresses_means_only_the_receipt(client, application_data):
    client.post(URL, application_data())
    assert ClinicApplication.objects.exists()
    assert [m.to for m in mail.outbox] == [["kim@kirkstall.example"]]


def test_an_application_s_page_shows_what_was_sent_and_decides_in_one_click(admin_client, applied):
    page = admin_client.get(
        reverse("admin:applications_clinicapplication_change", args=[applied.pk])
    ).content.decode()
    for text in [
        "Kirkstall Scalp Studio",
        "1 Abbey Road, Leeds",
        "0113 496 0000",
        "https://kirkstall.example",
        "@kirkstallsmp",
        "Men&#x27;s SMP",
        "£1,200–£2,000",
        "2016",
        "quotes@kirkstall.example",
        "Natural hairlines for men and women.",
        "Approve, publish the ticked photos and list the clinic",
        "Reject…",
    ]:
        assert text in page, text
    response = admin_client.post(
        CHANGELIST,
        {"action": "approve_applications", ACTION_CHECKBOX_NAME: [applied.pk]},
        follow=True,
    )
    assert "Approved 1 application; its contact is being emailed." in response.content.decode()
    applied.refresh_from_db()
    assert applied.status == ClinicApplication.Status.APPROVED
    page = admin_client.get(
        reverse("admin:applications_clinicapplication_change", args=[applied.pk])
    ).content.decode()
    assert "list the clinic" not in page  # decided: no buttons


def test_an_application_records_languages_hours_and_consultations(client, application_data):
    from clinics.models import Language

    polish = Language.objects.get_or_create(code="pl", defaults={"name": "Polish"})[0]
    data = application_data(
        languages=[str(polish.pk)], opening_hours="tu-sa 10:00-18:00", consults_online="on"
    )
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    clinic = Clinic.objects.get()
    assert [lang.code for lang in clinic.languages.all()] == ["pl"]
    assert clinic.opening_hours == "Tu-Sa 10:00-18:00"
    assert clinic.consults_online is True


def test_staff_see_the_languages_hours_and_consultations_the_applicant_gave(
    client, admin_client, application_data
):
    from clinics.models import Language

    polish = Language.objects.get_or_create(code="pl", defaults={"name": "Polish"})[0]
    welsh = Language.objects.get_or_create(code="cy", defaults={"name": "Welsh"})[0]
    data = application_data(
        languages=[str(polish.pk), str(welsh.pk)],
        opening_hours="tu-sa 10:00-18:00",
        consults_online="on",
    )
    assert client.post(URL, data).status_code == 302
    application = ClinicApplication.objects.get()
    response = admin_client.get(
        reverse("admin:applications_clinicapplication_change", args=[application.pk])
    )
    page = response.content.decode()
    assert "<dt>Languages spoken with clients</dt><dd>Polish, Welsh</dd>" in page
    assert "<dt>Consultations</dt><dd>online, by video call</dd>" in page
    assert "<tr><th>Tuesday</th><td>10:00–18:00</td></tr>" in page
    assert "<tr><th>Monday</th><td>Closed</td></tr>" in page
    # Read-only: nothing on the page lets staff change them here.
    assert 'name="languages"' not in page and 'name="opening_hours"' not in page


def test_an_application_without_hours_or_consultations_says_so(admin_client, applied):
    page = admin_client.get(
        reverse("admin:applications_clinicapplication_change", args=[applied.pk])
    ).content.decode()
    assert "<dt>Languages spoken with clients</dt><dd>—</dd>" in page
    assert "<dt>Consultations</dt><dd>none offered</dd>" in page
    assert "Not given (the profile shows no hours)" in page


def test_unreadable_opening_hours_get_a_clear_message(client, application_data, media):
    response = client.post(URL, application_data(opening_hours="weekdays"))
    assert response.status_code == 200
    assert "is not understood" in response.content.decode()
    assert _nothing_stored(media)


def test_the_error_banner_asks_for_photos_again_only_when_some_were_sent(client, application_data):
    with_photos = client.post(URL, application_data(price_from="lots")).content.decode()
    assert "please choose your photos again" in with_photos
    without = client.post(URL, application_data(photos=[], price_from="lots")).content.decode()
    assert "What you typed is kept." in without
    assert "choose your photos again" not in without


def test_a_link_to_an_applications_old_admin_address_still_opens_it(admin_client, applied):
    """Staff emails sent before applications left the clinics app link to /admin/clinics/…."""
    old = f"/admin/clinics/clinicapplication/{applied.pk}/change/"
    response = admin_client.get(old, follow=True)
    new = reverse("admin:applications_clinicapplication_change", args=[applied.pk])
    assert response.redirect_chain[0] == (new, 302)
    assert response.status_code == 200 and "Kirkstall Scalp Studio" in response.content.decode()
