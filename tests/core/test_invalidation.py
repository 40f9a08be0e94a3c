"""Every model's write makes cached pages stale, unless no public page shows the model.

The contract behind common/page_cache.py's invalidation: it is on by default, so a model
added later cannot be forgotten. Here a row of every installed model is saved (from the
sample data, plus a few places the demo leaves to the gazetteer) while a page is cached:
the next visit must be rendered afresh, or the model must be on the deny-list.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from clinics.models import Clinic, ClinicClosure
from clinics.own_pages import OWN_ROWS
from common import page_cache
from places.models import Place, PlaceAlias, PlaceName
from reviews.models import Review, ReviewPhoto
from tests.images import jpeg

pytestmark = pytest.mark.django_db


def _answer(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"]


def _what_the_demo_leaves_out() -> None:
    """Rows of the shown models the sample data has none of: places (the demo leaves them
    to the gazetteer, 20 s to load), a closure and a review photo."""
    clinic = Clinic.objects.listed().first()
    ClinicClosure.objects.create(
        clinic=clinic, first_day=date(2027, 12, 24), last_day=date(2027, 12, 27)
    )
    review = Review.objects.published().first()
    ReviewPhoto.objects.create(review=review, file=ContentFile(jpeg(), name="healed.jpg"))
    place = Place.objects.create(
        geonames_id=2643743,
        name="London",
        country="GB",
        latitude=51.5085,
        longitude=-0.1257,
        population=8_961_989,
    )
    PlaceName.objects.create(place=place, name="Londres")
    PlaceAlias.objects.create(place=place, alias="ldn")


@pytest.mark.slow
def test_a_saved_row_of_every_shown_model_makes_cached_pages_stale(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    call_command("load_demo", "--skip-gazetteer")
    _what_the_demo_leaves_out()
    url = "/faq/"
    # A profile and a city's page are keyed by their own versions too
    # (clinics/own_pages.py): a row that is no clinic's own makes them stale as well.
    clinic = Clinic.objects.listed().select_related("city").order_by("pk").first()
    owned = [clinic.get_absolute_url(), clinic.city.get_absolute_url()]
    models = apps.get_models()
    stayed_fresh, not_stale, owned_not_stale, missing = [], [], [], []
    for model in models:
        label = model._meta.label
        row = model._default_manager.order_by("pk").last()
        if row is None:
            missing.append(label)
            continue
        _answer(client, url)
        assert _answer(client, url) == "hit"
        for page in owned:
            _answer(client, page)
            assert _answer(client, page) == "hit"
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            row.save()
        answer = _answer(client, url)
        if label in page_cache.NOT_ON_PUBLIC_PAGES:
            if answer != "hit":
                stayed_fresh.append(label)
        elif answer != "miss":
            not_stale.append(label)
        elif model not in (Clinic, *OWN_ROWS) and any(_answer(client, p) != "miss" for p in owned):
            owned_not_stale.append(label)
    assert not_stale == [], "a save of these left a cached page as it was"
    assert owned_not_stale == [], "a save of these left a profile or a city page as it was"
    # A deny-listed model that bumps anyway costs only needless renders: still say so.
    assert stayed_fresh == [], "these are deny-listed but made pages stale"
    # Every shown model was tried: the demo (and _what_the_demo_leaves_out) must hold a row of each.
    shown_missing = [m for m in missing if m not in page_cache.NOT_ON_PUBLIC_PAGES]
    assert shown_missing == [], "no row to save: add one to the demo or to this test"


def test_the_deny_list_names_only_installed_models():
    installed = {model._meta.label for model in apps.get_models()}
    assert page_cache.NOT_ON_PUBLIC_PAGES <= installed


def test_a_privacy_page_edit_is_on_the_next_visit(
    client, settings, django_capture_on_commit_callbacks
):
    """The bug this contract was written for: SitePage was missing from a hand-kept list."""
    from pages.models import SitePage

    settings.PAGE_CACHE_ENABLED = True
    privacy = SitePage.objects.get(slug="privacy")
    url = privacy.get_absolute_url()
    _answer(client, url)
    assert _answer(client, url) == "hit"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        privacy.title = "How we look after your data"
        privacy.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "How we look after your data" in response.content.decode()


def test_tests_run_with_the_page_cache_on_and_an_edit_makes_it_stale_when_saved(client):
    """Production's configuration in every test (tests/conftest.py): the page cache is on,
    and the code's own transaction "commits", so its bump runs with no capture at all."""
    from pages.models import SitePage

    privacy = SitePage.objects.get(slug="privacy")
    url = privacy.get_absolute_url()
    _answer(client, url)
    assert _answer(client, url) == "hit"
    with transaction.atomic():  # as a staff save in admin does
        privacy.title = "How we look after your data"
        privacy.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "How we look after your data" in response.content.decode()
