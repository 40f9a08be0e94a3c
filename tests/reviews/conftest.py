import pytest

from tests.factories import CityFactory, ClinicFactory


@pytest.fixture
def city():
    return CityFactory(name="Leeds", slug="leeds")


@pytest.fixture
def clinic(city):
    return ClinicFactory(city=city, name="Aire Scalp Studio", quote_email="aire@clinics.example")
