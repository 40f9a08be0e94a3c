import pytest

from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import form_token, upload


@pytest.fixture
def city():
    return CityFactory(name="Leeds", slug="leeds")


@pytest.fixture
def clinic(city):
    return ClinicFactory(city=city, name="Aire Scalp Studio", quote_email="aire@clinics.example")


@pytest.fixture
def quote_data(clinic):
    """A complete, valid submission from the clinic's profile, minus the photos."""

    def make(**overrides):
        data = {
            "name": "Sam Client",
            "email": "sam@client.example",
            "phone": "07700 900123",
            "city": str(clinic.city_id),
            "clinic": str(clinic.pk),
            "mode": "single",
            "message": "Thinning at the crown for five years.",
            "consent": "on",
            "leave_blank": "",
            "form_token": form_token(),
            "photos": [upload()],
        }
        data.update(overrides)
        return data

    return make
