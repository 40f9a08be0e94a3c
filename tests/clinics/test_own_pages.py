"""A clinic's profile and its city's page are cached as their own pages
(clinics/own_pages.py): an edit of one clinic's own rows makes its profile, its city's
page and every other list stale, never leaves anything stale, and leaves the other
clinics' profiles and the other cities' pages cached.
"""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import resolve
from django.utils import timezone

from clinics.models import Artist, City, Clinic, ClinicClosure, ClinicPhoto, Service
from clinics.own_pages import page_owner
from common import page_cache
from tests.factories import ArtistFactory, CityFactory, ClinicFactory, ServiceFactory
from tests.images import jpeg

# The page cache is on in every test, as in production (smp_site/settings.py's default).
pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds():
    return CityFactory(name="Leeds", slug="leeds")


@pytest.fixture
def aire(leeds):
    clinic = ClinicFactory(city=leeds, name="Aire Scalp Studio", slug="aire-scalp-studio")
    _add_photo(clinic)  # a second public photo: removing one leaves it listed
    return clinic


@pytest.fixture
def minster():
    """A clinic in another city."""
    york = CityFactory(name="York", slug="york")
    return ClinicFactory(city=york, name="Minster Scalp", slug="minster-scalp")


def _answer(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"]


def _cached(client, *urls: str) -> None:
    for url in urls:
        _answer(client, url)
        assert _answer(client, url) == "hit"


def _committed(write) -> None:
    """A write in its own transaction, as an admin's or a member's save commits."""
    with transaction.atomic():
        write()


def test_a_clinics_edit_shows_on_its_pages_while_other_cities_pages_stay_cached(
    client, aire, minster, leeds
):
    own, city_page, country = (
        aire.get_absolute_url(),
        leeds.get_absolute_url(),
        "/clinics/united-kingdom/",
    )
    others = [minster.get_absolute_url(), minster.city.get_absolute_url()]
    _cached(client, own, city_page, f"{city_page}?sort=price", country, *others)
    _cached(client, *("/de" + url for url in others))
    aire.name = "Aire Hairline Studio"
    _committed(aire.save)
    for url in (own, city_page, f"{city_page}?sort=price", "/de" + own, country):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        if url != country:
            assert "Aire Hairline Studio" in response.content.decode()
    for url in (*others, *("/de" + url for url in others)):
        assert _answer(client, url) == "hit", url


def test_a_clinic_that_stops_taking_requests_shows_on_its_citys_other_profiles(client, aire, leeds):
    """A profile offers the city's other artists when its own clinic takes no requests:
    it is its city's page too, and goes stale with any clinic of the city."""
    resting = ClinicFactory(city=leeds, name="Kirkgate Dots", accepts_quotes=False)
    _cached(client, resting.get_absolute_url())
    assert 'name="mode" value="city"' in client.get(resting.get_absolute_url()).content.decode()
    aire.accepts_quotes = False
    _committed(aire.save)
    response = client.get(resting.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert 'name="photos"' not in response.content.decode()


def _add_photo(clinic):
    ClinicPhoto.objects.create(
        clinic=clinic,
        image=ContentFile(jpeg((640, 480), (120, 90, 70)), name="healed.jpg"),
        alt_text=f"A healed hairline at {clinic.name}, front view",
        stage=ClinicPhoto.Stage.HEALED,
        months_healed=6,
        fingerprint="own-pages-test",  # compared with nothing (as the factory's)
        consent_confirmed_at=timezone.now(),
    )


OWN_ROW_WRITES = {
    "an artist added": lambda clinic: ArtistFactory(clinic=clinic, name="Noor Haddad"),
    "an artist's bio edited": lambda clinic: [
        setattr(artist := clinic.artists.first(), "bio", "Noor Haddad trained in Leeds."),
        artist.save(),
    ],
    "a gallery photo added": _add_photo,
    "a gallery photo removed": lambda clinic: clinic.photos.first().delete(),
    "a closure added": lambda clinic: ClinicClosure.objects.create(
        clinic=clinic,
        first_day=timezone.localdate() + timedelta(days=10),
        last_day=timezone.localdate() + timedelta(days=12),
    ),
    "a service chosen": lambda clinic: clinic.services.add(Service.objects.get(slug="hairlines")),
}


@pytest.mark.parametrize("write", OWN_ROW_WRITES.values(), ids=OWN_ROW_WRITES.keys())
def test_each_kind_of_own_row_makes_its_clinics_profile_stale_and_no_other(
    client, aire, minster, write
):
    ServiceFactory(name="Hairline design", slug="hairlines")  # a service it may choose
    own, other = aire.get_absolute_url(), minster.get_absolute_url()
    _cached(client, own, other)
    before = client.get(own).content
    _committed(lambda: write(aire))
    response = client.get(own)
    assert response["X-Page-Cache"] == "miss"
    assert response.content != before
    assert _answer(client, other) == "hit"


def test_an_artist_moved_to_another_clinic_leaves_both_profiles_as_they_now_are(
    client, aire, minster
):
    ArtistFactory(clinic=aire, name="Noor Haddad")
    _cached(client, aire.get_absolute_url(), minster.get_absolute_url())
    artist = Artist.objects.get(name="Noor Haddad")
    artist.clinic = minster
    _committed(artist.save)
    assert "Noor Haddad" not in client.get(aire.get_absolute_url()).content.decode()
    assert "Noor Haddad" in client.get(minster.get_absolute_url()).content.decode()


def test_a_clinic_given_a_new_address_is_gone_from_the_old_one(client, aire, minster):
    old = aire.get_absolute_url()
    _cached(client, old, minster.get_absolute_url())
    aire.slug = "aire-hairline-studio"
    _committed(aire.save)
    assert client.get(old).status_code == 404
    assert _answer(client, "/clinics/united-kingdom/leeds/aire-hairline-studio/") == "miss"
    # A change its own pages' versions cannot cover: every page goes stale.
    assert _answer(client, minster.get_absolute_url()) == "miss"


def test_a_clinic_moved_to_another_city_is_gone_from_the_old_address(client, aire):
    york = CityFactory(name="York", slug="york")
    old = aire.get_absolute_url()
    _cached(client, old)
    aire.city = york
    _committed(aire.save)
    assert client.get(old).status_code == 404
    assert _answer(client, "/clinics/united-kingdom/york/aire-scalp-studio/") == "miss"


def test_a_withdrawn_or_deleted_clinic_is_gone_from_its_profile_at_once(client, aire, minster):
    own, other = aire.get_absolute_url(), minster.get_absolute_url()
    _cached(client, own, other)
    aire.status = Clinic.Status.SUSPENDED
    _committed(aire.save)
    assert client.get(own).status_code == 404
    assert _answer(client, other) == "hit"
    _cached(client, other)
    _committed(minster.delete)
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    "write",
    [
        lambda: City.objects.get(slug="leeds").save(),
        lambda: Service.objects.create(name="Hairline design", slug="hairline-design"),
    ],
    ids=["its city saved", "a service added"],
)
def test_a_write_every_page_may_show_makes_every_profile_stale(client, aire, minster, write):
    _cached(client, aire.get_absolute_url(), minster.get_absolute_url())
    _committed(write)
    assert _answer(client, aire.get_absolute_url()) == "miss"
    assert _answer(client, minster.get_absolute_url()) == "miss"


def test_a_transaction_with_an_own_row_and_a_shared_row_makes_every_page_stale(
    client, aire, minster
):
    _cached(client, minster.get_absolute_url())

    def both():
        aire.save()
        Service.objects.create(name="Hairline design", slug="hairline-design")

    _committed(both)
    assert _answer(client, minster.get_absolute_url()) == "miss"


def test_a_profile_whose_version_the_cache_lost_is_rendered_afresh(client, aire):
    """An evicted version must never bring back a page stored before the edit it marked."""
    url = aire.get_absolute_url()
    cache.delete(_version_key(aire))  # first cached with no version of its own yet
    page_cache.forget_version()
    _cached(client, url)
    Clinic.objects.filter(pk=aire.pk).update(name="Aire Hairline Studio")  # sends no signal
    cache.delete(_version_key(aire))
    page_cache.forget_version()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Aire Hairline Studio" in response.content.decode()
    assert _answer(client, url) == "hit"


def _version_key(clinic_or_city) -> str:
    owner = page_owner(resolve(clinic_or_city.get_absolute_url()).kwargs)
    return page_cache.OWN_VERSION_KEY.format(owner)


def test_a_profile_rendered_while_an_edit_commits_is_not_stored_as_the_new_one(
    client, aire, monkeypatch
):
    """A first render that reads the clinic before another process's edit commits, and
    would store the old page under the version that edit set, stores nothing."""
    from clinics import views

    url = aire.get_absolute_url()
    profile_context = views.profile_context

    def edit_commits_meanwhile(request, clinic):
        context = profile_context(request, clinic)  # what this render shows: the old name
        # Another process's edit commits, and its bump sets the profile's first version.
        Clinic.objects.filter(pk=aire.pk).update(name="Aire Hairline Studio")
        cache.set(_version_key(aire), time.time_ns(), timeout=None)
        return context

    cache.delete(_version_key(aire))  # no version yet: as for a profile never edited
    page_cache.forget_version()
    monkeypatch.setattr(views, "profile_context", edit_commits_meanwhile)
    assert "Aire Scalp Studio" in client.get(url).content.decode()
    monkeypatch.setattr(views, "profile_context", profile_context)
    page_cache.forget_version()  # a second later, when this process reads the versions again
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Aire Hairline Studio" in response.content.decode()


def test_invented_profile_addresses_add_nothing_to_the_cache(client, aire):
    for n in range(50):
        assert client.get(f"/clinics/united-kingdom/leeds/no-such-clinic-{n}/").status_code == 404
    # The real profile's and its city's, from its creation: no invented one's.
    assert sorted(_own_versions()) == sorted([_version_key(aire), _version_key(aire.city)])


def _own_versions() -> list[str]:
    """The owners' versions the shared cache holds (Redis, or LocMemCache without it)."""
    prefix = page_cache.OWN_VERSION_KEY.format("")
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Only this worker's keys: under pytest-xdist each worker has its own prefix.
        found = backend._cache.get_client().keys(f"{backend.key_prefix}:*{prefix}*")
        return [key.decode().split(":", 2)[-1] for key in found]
    return [key.split(":", 2)[-1] for key in backend._cache if prefix in key]


def test_an_edit_whose_pages_cannot_be_read_makes_every_page_stale(
    client, aire, minster, monkeypatch, caplog
):
    """Their addresses are read after the commit: if that read fails, the edit still shows."""
    from dataclasses import replace

    from django.db import DatabaseError

    def unreadable(rows):
        raise DatabaseError("the connection was lost after the commit")

    rules = page_cache._owned_pages
    monkeypatch.setattr(page_cache, "_owned_pages", replace(rules, page_owners=unreadable))
    _cached(client, aire.get_absolute_url(), minster.get_absolute_url())
    aire.name = "Aire Hairline Studio"
    _committed(aire.save)
    assert "Aire Hairline Studio" in client.get(aire.get_absolute_url()).content.decode()
    assert _answer(client, minster.get_absolute_url()) == "miss"
    assert "all made stale" in caplog.text
