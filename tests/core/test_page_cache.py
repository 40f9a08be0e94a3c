import re

import pytest
from django.test import Client
from django.urls import reverse

from clinics.models import Clinic
from smp_site import page_cache
from tests.factories import ClinicFactory
from tests.quotes.support import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def clinic():
    return ClinicFactory(city__name="Leeds", city__slug="leeds", name="Aire Scalp Studio")


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_second_visit_is_served_from_the_cache_without_queries(
    client, clinic, django_assert_num_queries
):
    url = clinic.city.get_absolute_url()
    assert _get(client, url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert "Aire Scalp Studio" in second.content.decode()


def test_the_shared_tier_serves_a_process_that_has_not_seen_the_page(client, clinic):
    url = clinic.get_absolute_url()
    _get(client, url)
    page_cache.local_pages.clear()  # another process: nothing in its own memory
    assert _get(client, url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("action", ["approve_clinics", "suspend_clinics"])
def test_a_staff_action_shows_on_cached_pages_at_once(admin_user, clinic, action):
    visitor, staff = Client(), Client()
    staff.force_login(admin_user)
    other = ClinicFactory(
        city=clinic.city,
        name="Second Studio",
        status=Clinic.Status.PENDING if action == "approve_clinics" else Clinic.Status.APPROVED,
    )
    url = clinic.city.get_absolute_url()
    before = _get(visitor, url).content.decode()
    assert ("Second Studio" in before) is (action == "suspend_clinics")
    _get(visitor, url)  # cached now

    staff.post(
        reverse("admin:clinics_clinic_changelist"),
        {"action": action, "_selected_action": [other.pk]},
    )
    after = _get(visitor, url)
    assert after["X-Page-Cache"] == "miss"
    assert ("Second Studio" in after.content.decode()) is (action == "approve_clinics")


def test_an_edit_made_in_another_process_is_seen_here(client, clinic):
    url = clinic.get_absolute_url()
    _get(client, url)
    # Another process saves the clinic: only the shared version number changes.
    Clinic.objects.filter(pk=clinic.pk).update(name="Renamed Studio")
    page_cache.bump_version()
    assert "Renamed Studio" in _get(client, url).content.decode()


def test_publishing_an_article_shows_at_once(client):
    from tests.factories import ArticleFactory

    article = ArticleFactory(draft=True, title="Brand new guide")
    assert "Brand new guide" not in _get(client, reverse("articles:list")).content.decode()
    article.publish()
    assert "Brand new guide" in _get(client, reverse("articles:list")).content.decode()


def test_staff_with_a_session_always_get_a_fresh_page(admin_client, clinic):
    url = clinic.get_absolute_url()
    _get(admin_client, url)
    assert "X-Page-Cache" not in _get(admin_client, url)


def test_a_cached_profile_gives_each_visitor_a_working_csrf_token_and_form_token(clinic):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = clinic.get_absolute_url()
    _get(first, url)
    pages = [_get(second, url), _get(Client(), url)]
    assert all(page["X-Page-Cache"] == "hit" for page in pages)
    html = pages[0].content.decode()
    assert "PLACEHOLDER" not in html
    tokens = [
        re.search(r'name="form_token" value="([^"]+)"', p.content.decode()).group(1) for p in pages
    ]
    assert tokens[0] != tokens[1]

    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(
        reverse("quotes:request"),
        {
            "csrfmiddlewaretoken": csrf,
            "form_token": tokens[0],
            "clinic": clinic.pk,
            "city": clinic.city_id,
            "mode": "single",
            "name": "Sam",
            "email": "sam@client.example",
            "consent": "on",
            "photos": [upload()],
        },
    )
    assert response.status_code == 302  # not a CSRF failure; "too fast" spam, calmly


def test_pages_with_personal_data_are_never_cached(client, clinic):
    assert "X-Page-Cache" not in client.get(reverse("quotes:request"))
    assert "no-cache" in client.get(reverse("quotes:request"))["Cache-Control"]
