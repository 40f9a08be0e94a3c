"""Admin exports open safely in a spreadsheet: an applicant's formula is text, not a formula."""

import csv
import io

import pytest
from django.urls import reverse

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
