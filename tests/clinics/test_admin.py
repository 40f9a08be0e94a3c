import pytest
from django.urls import reverse

from clinics.models import Clinic
from tests.factories import CityFactory, ClinicFactory, ServiceFactory
from tests.sitemaps import full_sitemap

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:clinics_clinic_changelist")


def _act(client, action, clinics):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in clinics]},
        follow=True,
    )


def test_approving_in_admin_makes_a_clinic_public_at_once(admin_client, admin_user, client):
    clinic = ClinicFactory(status=Clinic.Status.PENDING, approved_at=None, reviewed_at=None)
    assert client.get(clinic.get_absolute_url()).status_code == 404

    response = _act(admin_client, "approve_clinics", [clinic])
    assert "Approved 1 clinic." in response.content.decode()

    clinic.refresh_from_db()
    assert clinic.approved_by == admin_user and clinic.approved_at and clinic.reviewed_at
    assert client.get(clinic.get_absolute_url()).status_code == 200
    assert clinic.get_absolute_url() in full_sitemap(client)


def test_suspending_hides_a_clinic_everywhere(admin_client, client):
    clinic = ClinicFactory(name="Vanishing Clinic")
    ClinicFactory(city=clinic.city)  # keeps the city itself listed
    _act(admin_client, "suspend_clinics", [clinic])
    pages = [
        clinic.get_absolute_url(),
        clinic.city.get_absolute_url(),
        reverse("clinics:search") + "?q=vanishing",
    ]
    assert client.get(pages[0]).status_code == 404
    for url in pages[1:]:
        body = client.get(url).content.decode()
        assert "Vanishing Clinic" not in body and clinic.get_absolute_url() not in body, url
    assert clinic.get_absolute_url() not in full_sitemap(client)


def test_editing_in_admin_changes_the_public_page_and_records_the_review(admin_client, client):
    clinic = ClinicFactory(reviewed_at=None)
    url = reverse("admin:clinics_clinic_change", args=[clinic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": "Renamed Clinic",
            "city": clinic.city.pk,
            "services": [],
            "summary": "Now with evening appointments.",
            "artists-TOTAL_FORMS": 0,
            "artists-INITIAL_FORMS": 0,
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "credentials-TOTAL_FORMS": 0,
            "credentials-INITIAL_FORMS": 0,
            "closures-TOTAL_FORMS": 0,
            "closures-INITIAL_FORMS": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.reviewed_at is not None
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Renamed Clinic" in html and "Now with evening appointments." in html


def test_changelist_filters_and_search(admin_client):
    berlin = CityFactory(country="DE", name="Berlin", slug="berlin")
    ClinicFactory(city=berlin, name="Spree Dots")
    ClinicFactory(name="Thames Dots", status=Clinic.Status.PENDING)
    assert "Spree Dots" in admin_client.get(CHANGELIST, {"country": "DE"}).content.decode()
    pending = admin_client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert "Thames Dots" in pending and "Spree Dots" not in pending
    assert "Spree Dots" in admin_client.get(CHANGELIST, {"q": "spree"}).content.decode()


def test_city_autocomplete_answers(admin_client):
    CityFactory(name="Glasgow", slug="glasgow")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "clinics", "model_name": "clinic", "field_name": "city", "term": "glas"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Glasgow, United Kingdom"]


def test_csv_import_previews_before_it_saves(admin_client):
    city = CityFactory(name="Leeds", slug="leeds")
    ServiceFactory(slug="scar-camouflage", name="Scar camouflage")
    csv = (
        "name,slug,city,status,services,price_from,price_to,currency,accepts_quotes\n"
        "Aire Scalp,aire-scalp,GB/leeds,approved,scar-camouflage,1100,2000,GBP,1\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("clinics.csv", csv.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:clinics_clinic_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "Aire Scalp" in response.content.decode()  # the preview
    assert not Clinic.objects.exists()  # nothing saved until confirmed

    confirm = response.context["confirm_form"]
    response = admin_client.post(
        reverse("admin:clinics_clinic_process_import"), confirm.initial, follow=True
    )
    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.city, clinic.status) == ("Aire Scalp", city, "approved")
    assert [s.slug for s in clinic.services.all()] == ["scar-camouflage"]
    assert clinic.approved_at is not None


def test_csv_import_reports_an_unknown_city(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "name,slug,city,status\nNowhere Ink,nowhere-ink,GB/atlantis,pending\n"
    response = admin_client.post(
        reverse("admin:clinics_clinic_import"),
        {
            "import_file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
    )
    assert "Unknown city" in response.content.decode()
    assert not Clinic.objects.exists()


def test_csv_export_lists_clinics(admin_client):
    ClinicFactory(name="Export Me", city__slug="york")
    response = admin_client.post(
        reverse("admin:clinics_clinic_export"),
        {"format": "0", "resource": "0", "clinicresource_name": True, "clinicresource_city": True},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Export Me" in body and "GB/york" in body


def _import(admin_client, csv: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return admin_client.post(
        reverse("admin:clinics_clinic_import"),
        {
            "import_file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("currency", "XYZ", "“XYZ” isn’t a currency code"),
        ("established_year", "1800", "“1800” isn’t a year between 1980 and"),
        ("established_year", "soon", "“soon” isn’t a year"),
        ("services", "mens-smp|telepathy", "Unknown service “telepathy”"),
        ("accepts_quotes", "maybe", "“maybe” isn’t yes or no"),
        ("latitude", "abc", "“abc” isn’t a number of degrees"),
        ("latitude", "123", "“123” isn’t between -90 and 90"),
        ("price_from", "lots", "“lots” isn’t a price"),
    ],
)
def test_csv_import_says_in_words_what_is_wrong_with_a_cell(admin_client, column, value, message):
    CityFactory(name="Leeds", slug="leeds")
    ServiceFactory(slug="mens-smp", name="Men's SMP")
    row = {
        "name": "Aire Scalp",
        "slug": "aire-scalp",
        "city": "GB/leeds",
        "status": "pending",
        "currency": "GBP",
        "services": "mens-smp",
        column: value,
    }
    csv = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    html = _import(admin_client, csv).content.decode().replace("&#x27;", "'")
    assert message in html.replace("&quot;", '"')
    assert "<class" not in html and "ConversionSyntax" not in html
    assert not Clinic.objects.exists()


def test_csv_import_explains_a_reversed_price_range_without_constraint_names(admin_client):
    CityFactory(name="Leeds", slug="leeds")
    csv = (
        "name,slug,city,status,price_from,price_to,currency\n"
        "Aire Scalp,aire-scalp,GB/leeds,pending,2000,1000,GBP\n"
    )
    html = _import(admin_client, csv).content.decode()
    assert "The lowest price can’t be above the highest." in html
    assert "clinics_clinic_price_range_ordered" not in html
    assert not Clinic.objects.exists()


def test_the_country_filter_lists_only_countries_with_clinics(admin_client):
    ClinicFactory(city__country="DE", city__slug="berlin")
    ClinicFactory(city__country="GB", city__slug="york")
    html = admin_client.get(reverse("admin:clinics_clinic_changelist")).content.decode()
    assert "?country=DE" in html and "?country=GB" in html
    assert "?country=FR" not in html and "Afghanistan" not in html


@pytest.mark.parametrize(("count", "text"), [(1, "Approved 1 clinic."), (2, "Approved 2 clinics.")])
def test_staff_messages_count_in_words(admin_client, count, text):
    clinics = ClinicFactory.create_batch(count, status=Clinic.Status.PENDING)
    response = admin_client.post(
        reverse("admin:clinics_clinic_changelist"),
        {"action": "approve_clinics", "_selected_action": [c.pk for c in clinics]},
        follow=True,
    )
    assert text in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/admin/clinics/clinic/?country=%00",  # CountryFilter
        "/admin/clinics/clinic/?status=%00",
        "/admin/clinics/city/?country=%00",
        "/admin/quotes/quoterequest/?country=%00",
        "/admin/clinics/clinic/?q=%00",
    ],
)
def test_a_nul_in_a_list_filter_gets_a_clear_400_not_a_500(admin_client, address):
    """PostgreSQL refuses NUL in any string: the filter used to pass it on (a 500)."""
    ClinicFactory()
    response = admin_client.get(address)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
