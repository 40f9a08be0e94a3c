"""A profile's practical details: opening hours and closures, languages, consultations,
directions, their schema.org data, and where staff and applicants write them."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinics import hours
from clinics.models import Clinic, ClinicClosure, Language
from tests.factories import CityFactory, ClinicFactory

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


@pytest.fixture
def clinic():
    clinic = ClinicFactory(
        name="Kirkgate Scalp Studio",
        address="4 Kirkgate",
        postcode="LS1 6BY",
        city__name="Leeds",
        city__slug="leeds",
        opening_hours="Mo-Fr 10:00-18:00; Sa 10:00-13:00,14:00-16:00",
        consults_in_person=True,
        consults_online=True,
    )
    clinic.languages.set(
        [
            Language.objects.get_or_create(code="en", defaults={"name": "English"})[0],
            Language.objects.get_or_create(code="pl", defaults={"name": "Polish"})[0],
        ]
    )
    return clinic


def test_the_profile_shows_hours_languages_consultations_and_directions(client, clinic):
    html = client.get(clinic.get_absolute_url()).content.decode()
    monday = (
        r"<th scope=\"row\">Monday</th>\s*<td><span class=\"practical__range\">10:00–18:00</span>"
    )
    assert re.search(monday + "</td>", html)
    saturday = r"<th scope=\"row\">Saturday</th>\s*<td>" + ", ".join(
        f'<span class="practical__range">{hours}</span>' for hours in ("10:00–13:00", "14:00–16:00")
    )
    assert re.search(saturday + "</td>", html)  # each range kept on one line
    assert re.search(r"<th scope=\"row\">Sunday</th>\s*<td>Closed</td>", html)
    assert "In person at the studio, or online by video call" in html
    assert "English, Polish" in html
    link = re.search(r'<a class="practical__directions" href="([^"]+)"', html).group(1)
    assert link.startswith("https://www.google.com/maps/dir/?api=1&amp;destination=4+Kirkgate")
    assert "LS1+6BY" in link


def test_only_closures_still_to_come_are_shown(client, clinic):
    today = timezone.localdate()
    ClinicClosure.objects.create(
        clinic=clinic, first_day=today - timedelta(days=30), last_day=today - timedelta(days=20)
    )
    ClinicClosure.objects.create(
        clinic=clinic,
        first_day=today + timedelta(days=5),
        last_day=today + timedelta(days=9),
        note="Training week",
    )
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert html.count("<li>Closed ") == 1 and "(Training week)" in html
    data = _json_ld(html)
    assert data["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": (today + timedelta(days=5)).isoformat(),
            "validThrough": (today + timedelta(days=9)).isoformat(),
            "opens": "00:00",
            "closes": "00:00",
        }
    ]


def test_a_closure_edited_or_deleted_is_on_the_profile_at_once(client, clinic):
    """Closures are stored on the clinic's row (Clinic.closure_days) by every save and
    delete of one: the profile and its JSON-LD follow."""
    today = timezone.localdate()
    closure = ClinicClosure.objects.create(
        clinic=clinic, first_day=today + timedelta(days=5), last_day=today + timedelta(days=9)
    )
    closure.note = "Moving studio"
    closure.last_day = today + timedelta(days=12)
    closure.save()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "(Moving studio)" in html
    assert (
        _json_ld(html)["specialOpeningHoursSpecification"][0]["validThrough"]
        == (today + timedelta(days=12)).isoformat()
    )

    closure.delete()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Moving studio" not in html
    assert "specialOpeningHoursSpecification" not in _json_ld(html)


def test_json_ld_has_opening_hours_and_languages(client, clinic):
    data = _json_ld(client.get(clinic.get_absolute_url()).content.decode())
    assert data["knowsLanguage"] == ["en", "pl"]
    monday = {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "10:00",
        "closes": "18:00",
    }
    assert monday in data["openingHoursSpecification"]
    assert len(data["openingHoursSpecification"]) == 5 + 2  # weekdays, two Saturday ranges


def test_a_profile_without_hours_shows_no_table(client):
    clinic = ClinicFactory(opening_hours="", consults_online=False)
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Opening hours" not in html and "In person at the studio" in html
    assert "openingHoursSpecification" not in html


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Mo-Fr 10:00-18:00; Sa 10:00-14:00", "Mo-Fr 10:00-18:00; Sa 10:00-14:00"),
        ("mon 9:00-17:00\ntue-fri 9:00-17:00", "Mo-Fr 09:00-17:00"),
        ("Mo,We,Fr 09:30-17:30; Su closed", "Mo 09:30-17:30; We 09:30-17:30; Fr 09:30-17:30"),
        ("", ""),
    ],
)
def test_hours_are_read_leniently_and_stored_one_way(text, canonical):
    assert hours.canonical(text) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Xy 10:00-12:00", "is not a day"),
        ("Mo 10-12", "is not a time"),
        ("Mo 18:00-09:00", "closing time must come after"),
        ("Mo 10:00-12:00; Mo 13:00-15:00", "Monday is given twice"),
        ("Fr-Mo 10:00-12:00", "week order"),
        ("open most days", "is not understood"),
        ("Mo 10:00-25:00", "is not a time"),
    ],
)
def test_bad_hours_get_a_clear_message(text, message):
    with pytest.raises(ValidationError) as error:
        hours.validate(text)
    assert message in " ".join(error.value.messages)


def test_staff_edit_hours_languages_consultations_and_closures_in_admin(admin_client, clinic):
    url = reverse("admin:clinics_clinic_change", args=[clinic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    spanish = Language.objects.get_or_create(code="es", defaults={"name": "Spanish"})[0]
    data.update(
        {
            "city": clinic.city.pk,
            "services": [],
            "languages": [spanish.pk],
            "opening_hours": "tu-sa 11:00-19:00",
            "consults_online": "",
            "artists-TOTAL_FORMS": 0,
            "artists-INITIAL_FORMS": 0,
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "credentials-TOTAL_FORMS": 0,
            "credentials-INITIAL_FORMS": 0,
            "closures-TOTAL_FORMS": 1,
            "closures-INITIAL_FORMS": 0,
            "closures-0-first_day": "2030-12-24",
            "closures-0-last_day": "2030-12-27",
            "closures-0-note": "Christmas",
        }
    )
    data.pop("consults_online")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.opening_hours == "Tu-Sa 11:00-19:00"
    assert [lang.code for lang in clinic.languages.all()] == ["es"]
    assert clinic.consults_online is False
    assert clinic.closures.get().note == "Christmas"
    data["opening_hours"] = "whenever"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not understood" in response.content.decode()


def test_the_csv_import_carries_hours_languages_and_consultations(admin_client):
    CityFactory(name="Leeds", slug="leeds")
    Language.objects.get_or_create(code="en", defaults={"name": "English"})
    Language.objects.get_or_create(code="ur", defaults={"name": "Urdu"})
    csv = (
        "name,slug,city,status,languages,consults_in_person,consults_online,opening_hours\n"
        'Aire Scalp,aire-scalp,GB/leeds,approved,en|ur,1,1,"Mo-Fr 09:00-17:00"\n'
    )
    response = admin_client.post(
        reverse("admin:clinics_clinic_import"),
        {
            "import_file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
    )
    confirm = response.context["confirm_form"]
    admin_client.post(reverse("admin:clinics_clinic_process_import"), confirm.initial)
    clinic = Clinic.objects.get()
    assert sorted(lang.code for lang in clinic.languages.all()) == ["en", "ur"]
    assert (clinic.consults_in_person, clinic.consults_online) == (True, True)
    assert clinic.opening_hours == "Mo-Fr 09:00-17:00"


def test_the_csv_import_refuses_unreadable_hours(admin_client):
    CityFactory(name="Leeds", slug="leeds")
    csv = "name,slug,city,status,opening_hours\nAire Scalp,aire-scalp,GB/leeds,pending,sometimes\n"
    response = admin_client.post(
        reverse("admin:clinics_clinic_import"),
        {
            "import_file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
    )
    assert "is not understood" in response.content.decode()
    assert not Clinic.objects.exists()


def test_the_application_form_asks_for_them(client):
    html = client.get(reverse("applications:apply")).content.decode()
    for text in [
        "Languages you speak with clients",
        "We offer consultations in person",
        "We offer consultations online",
        'name="opening_hours"',
        "Mo-Fr 10:00-18:00; Sa 10:00-14:00",
    ]:
        assert text in html, text
