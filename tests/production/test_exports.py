"""Admin exports open safely in a spreadsheet: an applicant's formula is text, not a formula;
numbers stay numbers, and an export imports back unchanged."""

import csv
import io

import pytest
from django.urls import reverse
from import_export.formats.base_formats import CSV

from clinics.admin.resources import ClinicResource
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db


def test_a_clinic_name_written_as_a_formula_is_exported_as_text(admin_client):
    ClinicFactory(name='=HYPERLINK("https://evil.example","Click")', city__slug="york")
    ClinicFactory(name="+SUM(1,2)", city__slug="leeds")
    response = admin_client.post(
        reverse("admin:clinics_clinic_export"),
        {"format": "0", "resource": "0", "clinicresource_name": True, "clinicresource_city": True},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = sorted(row[0] for row in rows[1:])
    assert names == ["'+SUM(1,2)", '\'=HYPERLINK("https://evil.example","Click")']


def _clinics_csv() -> str:
    dataset = ClinicResource().export()
    return CSV().export_data(dataset)


def _import(text: str):
    resource = ClinicResource()
    return resource.import_data(CSV().create_dataset(text), dry_run=False, raise_errors=True)


def _fields(clinic) -> dict:
    clinic.refresh_from_db()
    return {
        name: getattr(clinic, name)
        for name in ("name", "phone", "address", "summary", "latitude", "longitude", "price_from")
    }


def test_an_export_imports_back_unchanged_numbers_and_escaped_text_alike():
    clinic = ClinicFactory(
        name='=HYPERLINK("https://evil.example","Click")',
        city__slug="london",
        latitude=51.5072,
        longitude=-0.1278,
        price_from=1200,
        phone="+44 20 7946 0000",
        address="-1 Basement, Old Street",
        summary="'=already quoted by its writer",
    )
    before = _fields(clinic)
    text = _clinics_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["longitude"], row["latitude"], row["price_from"]) for row in rows] == [
        ("-0.1278", "51.5072", "1200")
    ]
    assert rows[0]["name"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert rows[0]["phone"] == "'+44 20 7946 0000"
    assert rows[0]["address"] == "'-1 Basement, Old Street"
    assert rows[0]["summary"] == "''=already quoted by its writer"

    result = _import(text)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]  # nothing to change
    assert _fields(clinic) == before
    assert _clinics_csv() == text
