"""The "Recommended" order of a city page: evidence first (verified reviews weighed with a
prior, healed photos, credentials, reply speed), stored on the clinic's row by whatever
changes that evidence, and never moved by a save that changes none of it."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinics.models import ClinicPhoto
from credentials.models import Credential
from tests.factories import CityFactory, ClinicFactory, ClinicPhotoFactory
from tests.reviews.support import published_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return CityFactory(name="Leeds", slug="leeds")


def _order(client, city, data=None) -> list[str]:
    url = reverse("clinics:city", args=[city.country_slug, city.slug])
    return [clinic.name for clinic in client.get(url, data or {}).context["page"]]


def _reviews(clinic, ratings: list[int]) -> None:
    for n, rating in enumerate(ratings):
        published_review(
            clinic, rating=rating, name=f"Client {n}", email=f"client{n}-{clinic.pk}@c.example"
        )


def test_forty_good_reviews_beat_one_five_star_and_a_bare_new_listing(client, city):
    long_reviewed = ClinicFactory(city=city, name="Zed Scalp Studio")
    _reviews(long_reviewed, [5] * 32 + [4] * 8)  # 4.8 stars from forty clients
    one_review = ClinicFactory(city=city, name="Mid Scalp Studio")
    _reviews(one_review, [5])
    # Approved minutes ago: no artists, photos or reviews.
    ClinicFactory(city=city, name="Aardvark Scalp Studio", approved_at=timezone.now())
    long_reviewed.refresh_from_db()
    assert (long_reviewed.rating_count, long_reviewed.rating_average) == (40, 4.8)

    assert _order(client, city) == ["Zed Scalp Studio", "Mid Scalp Studio", "Aardvark Scalp Studio"]


def _healed_photo(clinic) -> ClinicPhoto:
    photo = ClinicPhotoFactory(clinic=clinic, stage=ClinicPhoto.Stage.HEALED)
    assert photo.is_public()
    return photo


def _credential(clinic) -> Credential:
    return Credential.objects.create(
        clinic=clinic,
        kind=Credential.Kind.INSURANCE,
        issuer="Sample Mutual",
        number="POL-123",
        issued_on=timezone.localdate() - timedelta(days=30),
        expires_on=timezone.localdate() + timedelta(days=300),
        checked_on=timezone.localdate() - timedelta(days=1),
    )


def test_healed_photos_and_credentials_break_ties_between_unreviewed_clinics(client, city):
    photos = ClinicFactory(city=city, name="Gamma Scalp")
    _healed_photo(photos)
    _healed_photo(photos)
    checked = ClinicFactory(city=city, name="Delta Scalp")
    _credential(checked)
    ClinicFactory(city=city, name="Alpha Scalp")  # saved last: the most recently reviewed

    assert _order(client, city) == ["Delta Scalp", "Gamma Scalp", "Alpha Scalp"]

    # Evidence withdrawn: the credential deleted, the clinic falls back behind the photos.
    Credential.objects.filter(clinic=checked).delete()
    assert _order(client, city) == ["Gamma Scalp", "Alpha Scalp", "Delta Scalp"]


def _admin_save_unchanged(admin_client, clinic) -> None:
    url = reverse("admin:clinics_clinic_change", args=[clinic.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"city": clinic.city.pk, "services": [], "languages": []})
    for prefix in ("artists", "photos", "credentials", "closures"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_staff_save_that_changes_nothing_does_not_move_a_clinic(admin_client, client, city):
    shown = ClinicFactory(city=city, name="Zed Scalp")
    _healed_photo(shown)
    bare = ClinicFactory(city=city, name="Bare Scalp")
    assert _order(client, city) == ["Zed Scalp", "Bare Scalp"]

    _admin_save_unchanged(admin_client, bare)

    bare.refresh_from_db()
    assert bare.reviewed_at is not None  # the save happened, and counts as a staff review
    assert _order(client, city) == ["Zed Scalp", "Bare Scalp"]


def test_the_order_is_explained_next_to_the_sort_control(client, city):
    ClinicFactory(city=city)
    url = reverse("clinics:city", args=[city.country_slug, city.slug])
    html = client.get(url).content.decode()
    assert "Recommended: clinics with more well-rated verified reviews first" in html
    assert "Recommended: clinics" not in client.get(url, {"sort": "price"}).content.decode()


def test_a_credential_that_lapses_stops_counting_after_the_hourly_refresh(client, city):
    """The badge hides itself on the day after its expiry; the order, read from the stored
    score, follows when beat's hourly refresh runs, not at the credential's next edit."""
    from credentials import tasks

    lapsing = ClinicFactory(city=city, name="Delta Scalp")
    credential = _credential(lapsing)
    Credential.objects.filter(pk=credential.pk).update(expires_on=timezone.localdate())
    ClinicFactory(city=city, name="Alpha Scalp")  # saved last: first among equals
    from credentials.models import refresh_badges

    refresh_badges([lapsing.pk])  # stored while still valid (today is its last day)
    assert _order(client, city) == ["Delta Scalp", "Alpha Scalp"]

    tomorrow = timezone.now() + timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert _order(client, city) == ["Delta Scalp", "Alpha Scalp"]  # not refreshed yet
        assert tasks.refresh_lapsed_badges.delay().get() == 1
        assert _order(client, city) == ["Alpha Scalp", "Delta Scalp"]
        assert tasks.refresh_lapsed_badges.delay().get() == 0  # nothing left to do


def test_the_migration_that_filled_the_score_computes_what_the_code_does(city):
    """Migration 0020 keeps its own copy of the score as written that day (a migration must
    do the same whenever it runs): today both agree."""
    from django.apps import apps

    store_scores = importlib.import_module(
        "clinics.migrations.0020_clinic_recommended_score"
    ).store_scores
    reviewed = ClinicFactory(city=city, name="Reviewed")
    _reviews(reviewed, [5, 5, 5])
    pictured = ClinicFactory(city=city, name="Pictured", median_reply_hours=30)
    for _ in range(6):
        _healed_photo(pictured)
    checked = ClinicFactory(city=city, name="Checked", median_reply_hours=2)
    for _ in range(3):
        _credential(checked)
    ClinicFactory(city=city, name="Bare")
    from clinics.models import Clinic

    by_code = dict(Clinic.objects.values_list("name", "recommended_score"))
    assert len(set(by_code.values())) == 4  # four different scores to compare
    Clinic.objects.update(recommended_score=0.0)

    store_scores(apps, None)

    by_migration = dict(Clinic.objects.values_list("name", "recommended_score"))
    assert by_migration == pytest.approx(by_code)
