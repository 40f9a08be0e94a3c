import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinics.models import Clinic
from quotes.links import compare_path, quote_id_from_thanks
from quotes.models import QuotePhoto, QuoteRequest
from tests import images
from tests.factories import ClinicFactory
from tests.quotes.support import form_token, nothing_enqueued, stored_files, upload

pytestmark = pytest.mark.django_db
URL = reverse("quotes:request")
MB15 = 15 * 1024 * 1024


def _post(client, data, **meta):
    return client.post(URL, data, **meta)


def _photo_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("photos", []))


def _thanks_quote_id(location: str) -> int | None:
    return quote_id_from_thanks(location.rstrip("/").split("/")[-1])


def test_a_valid_request_is_stored_and_redirects_to_its_thanks_page(client, quote_data, clinic):
    response = _post(client, quote_data(photos=[upload("a.jpg"), upload("b.png", images.png())]))
    quote = QuoteRequest.objects.get()
    assert response.status_code == 302
    assert _thanks_quote_id(response["Location"]) == quote.pk
    assert (quote.name, quote.email, quote.clinic, quote.mode) == (
        "Sam Client",
        "sam@client.example",
        clinic,
        "single",
    )
    assert quote.consent_at is not None
    assert quote.photos.count() == 2

    page = client.get(response["Location"])
    html = page.content.decode()
    assert quote.reference in html
    assert "What happens next" in html and clinic.name in html
    # The address used, so a typo shows, and the private page, so nothing depends on email.
    assert "sam@client.example" in html
    assert compare_path(quote.pk).split(":")[0] in html
    assert "noindex" in page["X-Robots-Tag"] and "no-store" in page["Cache-Control"]


def test_the_thanks_page_is_not_reachable_from_the_public_reference(client, quote_data):
    _post(client, quote_data())
    quote = QuoteRequest.objects.get()
    response = client.get(f"/quote/sent/{quote.reference}/")
    assert response.status_code == 410
    assert quote.email not in response.content.decode()


@pytest.mark.parametrize("path", ["/quote/sent/%00/", "/quote/sent/%00x:y:z/"])
def test_odd_thanks_links_get_a_calm_page(client, path):
    assert client.get(path).status_code == 410


def test_the_thanks_link_expires(client, quote_data, settings):
    settings.QUOTE_THANKS_LINK_HOURS = 1
    location = _post(client, quote_data())["Location"]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(location).status_code == 410


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.jpg", images.gif(), "“fake.jpg” is not really a JPG, PNG or HEIC image."),
        ("notes.jpg", b"just some text, not a picture\n" * 20, "“notes.jpg” is not really a JPG"),
        ("cut.jpg", images.jpeg()[:3000], "“cut.jpg” is damaged or incomplete"),
        ("cut.png", images.png()[:-40], "“cut.png” is damaged or incomplete"),
        ("bomb.png", images.png_bomb(), "“bomb.png” has too many pixels"),
        ("empty.jpg", b"", "“empty.jpg” is empty (0 bytes)."),
        ("tiny.jpg", images.jpeg(size=(150, 400)), "“tiny.jpg” is too small to be useful"),
        ("anim.gif", images.gif(), "“anim.gif” is not a photo we can use."),
        ("scan.pdf", b"%PDF-1.4", "“scan.pdf” is not a photo we can use."),
        ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic", "“IMG_0001.HEIC” is not really a JPG"),
        ("noextension", images.jpeg(), "“noextension” is not a photo we can use."),
    ],
)
def test_each_bad_photo_gets_its_own_message_and_nothing_is_stored(
    client, quote_data, private_dir, name, data, message
):
    response = _post(client, quote_data(photos=[upload(name, data)]))
    assert response.status_code == 200
    errors = _photo_errors(response)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert message in html.unescape(response.content.decode())
    assert not QuoteRequest.objects.exists() and not QuotePhoto.objects.exists()
    assert stored_files(private_dir) == []


def test_an_iphone_heic_photo_is_accepted_and_reaches_artists_as_a_clean_jpeg(
    client, quote_data, clinic, eager_celery, django_capture_on_commit_callbacks
):
    exif = images.exif_with_gps_and_orientation(1)
    photo = upload("IMG_0042.HEIC", images.heic(exif=exif), "image/heic")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, quote_data(photos=[photo]))
    assert response.status_code == 302
    stored = QuotePhoto.objects.get()
    assert (stored.sanitised, stored.format) == (True, "JPEG")
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert data[:2] == b"\xff\xd8" and b"PhoneMaker" not in data
    assert (stored.width, stored.height) == (1200, 900)


def _mdat_offset(heic: bytes) -> int:
    """Where the image data box starts (after `ftyp` and `meta`)."""
    return heic.index(b"mdat") - 4


@pytest.mark.parametrize(
    "cut",
    [
        lambda heic: len(heic) // 2,
        lambda heic: len(heic) - 1,
        _mdat_offset,  # cut exactly where the image data begins
        lambda heic: _mdat_offset(heic) + 8,  # only the image data box's header
    ],
    ids=["half", "one-byte-short", "no-image-data", "empty-image-data"],
)
def test_a_truncated_iphone_photo_is_refused_at_upload_with_a_clear_message(
    client, quote_data, private_dir, cut
):
    """Seen on main: a cut-short HEIC passed the upload check (its header opens), and the
    worker then dropped it without a word to the client."""
    whole = images.heic(size=(1200, 900))
    response = _post(
        client, quote_data(photos=[upload("IMG_0042.HEIC", whole[: cut(whole)], "image/heic")])
    )
    assert _photo_errors(response) == [
        "“IMG_0042.HEIC” is damaged or incomplete and can’t be opened. Please choose another photo."
    ]
    assert not QuoteRequest.objects.exists() and not QuotePhoto.objects.exists()
    assert stored_files(private_dir) == []


def test_a_photo_one_byte_over_15_mb_is_refused_while_streaming(client, quote_data, private_dir):
    big = images.padded(images.jpeg(), MB15 + 1)
    response = _post(client, quote_data(photos=[upload("huge.jpg", big)]))
    assert _photo_errors(response) == [
        "“huge.jpg” is larger than 15 MB. Please choose a smaller photo."
    ]
    assert not QuoteRequest.objects.exists()
    assert stored_files(private_dir) == []


def test_the_size_cap_keeps_the_other_fields_and_the_csrf_check(quote_data, private_dir):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(URL)
    token = page.cookies["csrftoken"].value
    big = images.padded(images.jpeg(), MB15 + 1)
    response = csrf_client.post(
        URL, {"csrfmiddlewaretoken": token, **quote_data(photos=[upload("huge.jpg", big)])}
    )
    assert response.status_code == 200  # the size message, not a CSRF failure
    assert "larger than 15 MB" in response.content.decode()
    assert response.context["form"]["message"].value() == "Thinning at the crown for five years."


def test_exactly_15_mb_is_accepted(client, quote_data):
    exact = images.padded(images.jpeg(), MB15)
    response = _post(client, quote_data(photos=[upload("exact.jpg", exact)]))
    assert response.status_code == 302
    assert QuotePhoto.objects.get().bytes > 0


def test_a_csrf_token_is_the_first_field_of_the_form(client, clinic):
    html = client.get(clinic.get_absolute_url()).content.decode()
    form = html[html.index('<form class="quote-form"') :]
    first_input = form[form.index("<input") : form.index(">", form.index("<input"))]
    assert 'name="csrfmiddlewaretoken"' in first_input
    assert form.index("csrfmiddlewaretoken") < form.index('type="file"')
    assert 'accept="image/jpeg,image/png,image/heic,image/heif,.heic,.heif"' in form


def test_six_photos_are_refused(client, quote_data):
    response = _post(client, quote_data(photos=[upload(f"p{i}.jpg") for i in range(6)]))
    assert _photo_errors(response) == ["Please choose at most 5 photos (you chose 6)."]
    assert not QuoteRequest.objects.exists()


def test_no_photo_is_refused(client, quote_data):
    response = _post(client, quote_data(photos=[]))
    assert _photo_errors(response) == ["Please add at least one photo of your hair loss."]


def test_one_bad_photo_among_good_ones_stores_nothing(client, quote_data, private_dir):
    photos = [
        upload("good.jpg"),
        upload("bad.jpg", images.gif()),
        upload("good2.png", images.png()),
    ]
    response = _post(client, quote_data(photos=photos))
    assert len(_photo_errors(response)) == 1
    assert not QuotePhoto.objects.exists() and stored_files(private_dir) == []


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.jpg", "..\\..\\win.jpg", ("x" * 300) + ".jpg", "a\x00b\nc.jpg"]
)
def test_client_file_names_never_become_paths(client, quote_data, private_dir, name):
    response = _post(client, quote_data(photos=[upload(name)]))
    assert response.status_code == 302
    photo = QuotePhoto.objects.get()
    stored = stored_files(private_dir)
    assert len(stored) == 1
    assert (
        ".." not in photo.file.name
        and "passwd" not in photo.file.name
        and "x" * 20 not in photo.file.name
    )
    assert stored[0].resolve().is_relative_to(private_dir.resolve())


@pytest.mark.parametrize("name", ["../../secret.gif", ("y" * 300) + ".gif"])
def test_refused_long_or_odd_names_are_shown_short_and_safe(client, quote_data, name):
    response = _post(client, quote_data(photos=[upload(name, images.gif())]))
    error = _photo_errors(response)[0]
    assert "/" not in error.split("”")[0] and len(error.split("”")[0]) <= 62
    assert not QuoteRequest.objects.exists()


def test_refusal_keeps_what_the_client_typed(client, quote_data):
    response = _post(client, quote_data(photos=[upload("x.gif", images.gif())]))
    html = response.content.decode()
    for value in ["Sam Client", "sam@client.example", "07700 900123", "Thinning at the crown"]:
        assert value in html
    assert "photos can’t be: please choose them again" in html


def test_a_form_without_photos_does_not_ask_to_choose_them_again(client, quote_data):
    response = _post(client, quote_data(photos=[]))
    html = response.content.decode()
    assert "Please add at least one photo of your hair loss." in html
    assert "choose them again" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter an email address like name@example.com."),
        ("name", "", "This field is required."),
        ("consent", "", "Please tick this box so we can send your request."),
        ("city", "999999", "Please choose a city from the list."),
        ("city", "", "Please choose your city."),
    ],
)
def test_field_errors_are_clear(client, quote_data, field, value, message):
    response = _post(client, quote_data(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert not QuoteRequest.objects.exists()


def test_standalone_form_asks_for_a_city_and_quotes_the_whole_city(client, city, clinic):
    page = client.get(URL)
    html = page.content.decode()
    assert '<select name="city"' in html and "Leeds" in html
    data = {
        "name": "Ali",
        "email": "ali@client.example",
        "city": str(city.pk),
        "mode": "single",  # ignored without a clinic
        "consent": "on",
        "form_token": form_token(),
        "photos": [upload()],
    }
    assert client.post(URL, data).status_code == 302
    quote = QuoteRequest.objects.get()
    assert quote.mode == "city" and quote.clinic is None and quote.city == city


def test_a_clinic_that_stopped_taking_requests_is_never_asked_alone(client, quote_data, clinic):
    ClinicFactory(city=clinic.city, name="Other Leeds Studio", quote_email="o@clinics.example")
    data = quote_data()  # the profile offered "only this clinic" when it was shown
    Clinic.objects.filter(pk=clinic.pk).update(accepts_quotes=False)
    response = _post(client, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "has just stopped taking requests online, so we haven’t sent yours" in html
    # Shown again on the profile it came from, not the generic form.
    assert f'<link rel="canonical" href="http://testserver{clinic.get_absolute_url()}">' in html
    assert not QuoteRequest.objects.exists()
    assert _post(client, quote_data(mode="city")).status_code == 302


def test_a_profile_offers_only_what_the_clinic_accepts(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(accepts_quotes=False)
    html = client.get(clinic.get_absolute_url()).content.decode()
    # No other artist in the city takes requests: no form, an honest sentence instead.
    assert 'name="photos"' not in html
    assert "isn’t taking requests online at the moment, and no other approved artist" in html
    ClinicFactory(city=clinic.city, name="Other Leeds Studio", quote_email="o@clinics.example")
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert 'name="photos"' in html and 'type="radio"' not in html
    assert "send your photos to the other approved artists in Leeds" in html
    assert 'name="mode" value="city"' in html


def test_a_form_with_errors_comes_back_on_the_profile_it_was_sent_from(client, quote_data, clinic):
    response = _post(client, quote_data(email="not-an-email"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://testserver{clinic.get_absolute_url()}">' in html
    assert "Enter an email address like name@example.com." in html


def test_an_unlisted_clinic_cannot_be_chosen(client, quote_data):
    hidden = ClinicFactory(status=Clinic.Status.SUSPENDED)
    response = _post(client, quote_data(clinic=str(hidden.pk)))
    assert response.status_code == 200
    assert not QuoteRequest.objects.exists()


def test_profile_shows_the_form_with_both_modes(client, clinic):
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Only Aire Scalp Studio" in html
    assert "Every approved artist in Leeds" in html
    assert 'name="photos"' in html and "multiple" in html


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"leave_blank": "http://spam.example"}, "honeypot"),
        ({"leave_blank": "Best SEO services, cheap"}, "honeypot"),
        ({"form_token": "forged"}, "bad token"),
        ({"form_token": ""}, "bad token"),
    ],
)
def test_spam_gets_a_calm_page_is_stored_as_spam_and_sends_nothing(
    client, quote_data, private_dir, overrides, reason
):
    response = _post(client, quote_data(**overrides))
    assert response.status_code == 302
    assert response["Location"] == reverse("quotes:request-received")
    assert "Thank you" in client.get(response["Location"]).content.decode()
    quote = QuoteRequest.objects.get()
    assert (quote.status, quote.spam_reason) == ("spam", reason)
    assert not QuotePhoto.objects.exists() and stored_files(private_dir) == []
    assert mail.outbox == []


def _held_page(client, response) -> str:
    assert response.status_code == 302 and "/quote/sent/" in response["Location"]
    return client.get(response["Location"]).content.decode()


def test_a_form_sent_too_fast_is_kept_and_held_and_the_person_told(client, quote_data):
    html = _held_page(client, _post(client, quote_data(form_token=form_token(age=0.5))))
    quote = QuoteRequest.objects.get()
    assert (quote.status, quote.hold_reason) == ("held", "sent very fast")
    assert quote.hold_until is not None and quote.photos.count() == 1
    assert quote.reference in html and "goes out after a quick check" in html
    assert "It will go to the artists by itself" in html
    assert mail.outbox == []


@pytest.mark.parametrize("value", ["sam@client.example", "07700 900123", "Sam Client"])
def test_a_password_manager_filling_the_hidden_field_is_held_for_staff(client, quote_data, value):
    _held_page(client, _post(client, quote_data(leave_blank=value)))
    quote = QuoteRequest.objects.get()
    assert (quote.status, quote.hold_reason) == ("held", "hidden field autofilled")
    assert quote.hold_until is None  # staff release it


def test_the_honeypot_keeps_autofill_out(client, clinic):
    html = client.get(clinic.get_absolute_url()).content.decode()
    field = re.search(r'<input[^>]*name="leave_blank"[^>]*>', html).group(0)
    for attribute in ('autocomplete="off"', "data-1p-ignore", 'data-lpignore="true"'):
        assert attribute in field
    assert 'name="website"' not in html


def test_over_the_rate_limit_a_request_is_held_not_thrown_away(
    client, quote_data, settings, monkeypatch
):
    nothing_enqueued(monkeypatch)  # each request as the form left it, before the worker
    settings.QUOTE_RATE_LIMIT = "2/h"
    responses = [_post(client, quote_data(email=f"person{n}@client.example")) for n in range(3)]
    statuses = list(QuoteRequest.objects.order_by("created_at").values_list("status", flat=True))
    assert statuses == ["received", "received", "held"]  # the first two go to the worker
    html = _held_page(client, responses[2])
    assert "Several requests came from your internet connection" in html


def test_far_past_any_household_s_daily_volume_it_is_held_for_staff_and_the_person_told(
    client, quote_data, settings, monkeypatch
):
    nothing_enqueued(monkeypatch)  # each request as the form left it, before the worker
    settings.QUOTE_RATE_LIMIT = "1/h"
    settings.QUOTE_DAILY_LIMIT = 3
    responses = [_post(client, quote_data(email=f"person{n}@client.example")) for n in range(4)]
    rows = QuoteRequest.objects.order_by("created_at").values_list("status", "hold_reason")
    assert [status for status, _reason in rows] == ["received", "held", "held", "held"]
    last = QuoteRequest.objects.order_by("created_at").last()
    assert (last.hold_reason, last.hold_until) == ("over the daily limit", None)  # staff's
    assert last.photos.count() == 1
    html = _held_page(client, responses[3])
    assert last.reference in html and "our team looks at your request" in html


def test_bot_traces_do_not_use_up_a_shared_address_s_daily_limit(
    client, quote_data, settings, monkeypatch
):
    nothing_enqueued(monkeypatch)  # each request as the form left it, before the worker
    settings.QUOTE_RATE_LIMIT = "1/h"
    settings.QUOTE_DAILY_LIMIT = 3
    for n in range(5):  # a bot on the same office network, caught by the honeypot
        _post(client, quote_data(email=f"bot{n}@client.example", leave_blank="http://spam"))
    assert QuoteRequest.objects.filter(status="spam").count() == 5
    _post(client, quote_data(email="first@client.example"))
    _post(client, quote_data(email="second@client.example"))
    real = QuoteRequest.objects.real().order_by("created_at")
    assert [(q.status, q.hold_reason) for q in real] == [
        ("received", ""),
        ("held", "many requests from one connection"),  # the rate limit, not the daily one
    ]


def test_the_daily_limit_counts_an_ipv6_client_s_whole_64(client, quote_data, settings):
    settings.QUOTE_RATE_LIMIT = "1/h"
    settings.QUOTE_DAILY_LIMIT = 2
    for n in range(3):  # one home network, a new address each time
        _post(
            client, quote_data(email=f"p{n}@client.example"), REMOTE_ADDR=f"2001:db8:1:2::{n + 1}"
        )
    reasons = list(
        QuoteRequest.objects.order_by("created_at").values_list("hold_reason", flat=True)
    )
    assert reasons == ["", "many requests from one connection", "over the daily limit"]


def test_the_rate_limit_can_be_turned_off(client, quote_data, settings):
    settings.QUOTE_RATE_LIMIT = "0"
    for n in range(4):
        _post(client, quote_data(email=f"p{n}@client.example"))
    assert not QuoteRequest.objects.filter(status="spam").exists()


def test_posting_the_same_form_twice_makes_one_request(
    client, quote_data, django_capture_on_commit_callbacks
):
    data = quote_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, data)
    data["photos"] = [upload()]
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(client, data)
    assert QuoteRequest.objects.count() == 1
    assert _thanks_quote_id(first["Location"]) == _thanks_quote_id(second["Location"])
    # The artist and the client were each emailed once.
    assert len(mail.outbox) == 2


def test_two_visitors_of_one_page_get_tokens_of_their_own(clinic):
    """A token makes one request at most, so no two people may ever share one."""
    from django.test import Client

    pages = [Client().get(clinic.get_absolute_url()).content.decode() for _ in range(2)]
    tokens = [re.search(r'name="form_token" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize(
    "email",
    [
        '"x,evil@attacker.example"@example.org',
        '"sam"@client.example',
        "sam@client.example, x@y.example",
    ],
)
def test_addresses_that_read_as_two_or_are_quoted_are_refused(client, quote_data, email):
    response = _post(client, quote_data(email=email))
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not QuoteRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message", "x" * 2001, "at most 2000 characters"),
        ("message", "crown\x00", "Null characters are not allowed."),
        ("name", "Sam\x1b[31m", "invisible control characters"),
    ],
)
def test_free_text_is_bounded_and_clean_on_the_server(client, quote_data, field, value, message):
    response = _post(client, quote_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not QuoteRequest.objects.exists()


def test_a_message_keeps_its_line_breaks(client, quote_data):
    _post(client, quote_data(message="Crown.\r\n\tSides too."))
    assert QuoteRequest.objects.get().message == "Crown.\r\n\tSides too."
