"""Pages say "sample data" only while sample clinics exist."""

import pytest
from pytest_django.asserts import assertNumQueries

from clinics.models import Clinic
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db
NOTICE = "sample data, not real businesses"


def test_the_notice_shows_while_sample_clinics_exist_and_goes_with_them(
    client, django_capture_on_commit_callbacks
):
    assert NOTICE not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sample = ClinicFactory(is_sample=True)
    assert NOTICE in client.get("/").content.decode()
    assert NOTICE in client.get("/clinics/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Clinic.objects.filter(pk=sample.pk).delete()
    assert NOTICE not in client.get("/").content.decode()


def test_real_clinics_alone_bring_no_notice(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ClinicFactory(is_sample=False)
    assert NOTICE not in client.get("/").content.decode()


def test_the_answer_is_read_once_per_content_version(
    client, settings, django_capture_on_commit_callbacks
):
    # Renders are counted: a page from the page cache would ask nothing at all. And
    # pytest-django's own counter: tests/conftest.py's asks the question before counting.
    settings.PAGE_CACHE_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        ClinicFactory(is_sample=True)
    client.get("/robots.txt")  # no template: nothing asked
    first = client.get("/faq/")
    assert NOTICE in first.content.decode()
    with assertNumQueries(1):  # the FAQ's own query; the answer is remembered
        assert NOTICE in client.get("/faq/").content.decode()
