import pytest

from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import form_token, upload


@pytest.fixture(autouse=True)
def _quote_settings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "quote_photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.QUOTE_RATE_LIMIT = "0"
    settings.QUOTE_SEND_BACKOFF_SECONDS = 0
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in the test's own process; the integration tests use a real worker."""
    from smp_site.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def private_dir(tmp_path):
    return tmp_path / "private"


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
            "website": "",
            "form_token": form_token(),
            "photos": [upload()],
        }
        data.update(overrides)
        return data

    return make
