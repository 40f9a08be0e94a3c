"""The page cache across processes, as production runs it: nginx in front of gunicorn's two
workers, each with its own copies of pages, sharing a Redis (common/page_cache.py).

An edit saved here (another process, as an admin's or a clinic member's save is) must be
on every worker's next page. The workers read the versions on every request here
(`PAGE_CACHE_VERSION_SECONDS=0`); production trusts a version for a second, which
tests/core/test_page_cache.py checks on a clock of its own.
"""

import re
import threading
import urllib.request

import pytest

from tests.factories import CityFactory, ClinicFactory
from tests.production.local_site import running_site

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OLD_NAME = re.compile(r"Aire Scalp Studio(?! Artist)")
# Requests at once: more than the workers, so that both of them answer.
AT_ONCE = 6


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup):
    with running_site(
        tmp_path_factory.mktemp("pages"),
        PAGE_CACHE_VERSION_SECONDS="0",
        SEARCH_RATE_LIMIT="0",
    ) as running:
        yield running


def _pages(site, path: str, rounds: int = 4) -> list[tuple[str, str]]:
    """The page asked for AT_ONCE times at once, `rounds` times: each answer's
    X-Page-Cache header and body."""
    answers: list[tuple[str, str]] = []
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def ask():
        with opener.open(site.url + path, timeout=30) as response:
            assert response.status == 200
            answers.append((response.headers["X-Page-Cache"], response.read().decode()))

    for _ in range(rounds):
        threads = [threading.Thread(target=ask) for _ in range(AT_ONCE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == rounds * AT_ONCE, "a request failed"
    return answers


@pytest.fixture
def saving_here(site, settings):
    """This process's saves bump the versions in the site's Redis, as a save in any of the
    site's own processes does (smp_site/settings.py's cache, under the site's settings)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": site.env["REDIS_URL"],
            "KEY_PREFIX": "smp",
        },
    }


def test_an_edit_is_on_every_workers_next_page_and_other_cities_stay_cached(site, saving_here):
    aire = ClinicFactory(city=CityFactory(name="Leeds", slug="leeds"), name="Aire Scalp Studio")
    minster = ClinicFactory(city=CityFactory(name="York", slug="york"), name="Minster Scalp")
    own, city_page, other = (
        aire.get_absolute_url(),
        aire.city.get_absolute_url(),
        minster.get_absolute_url(),
    )
    for path in (own, city_page, other):
        _pages(site, path, rounds=1)  # stored once, then held by each worker that asks
        assert {header for header, _body in _pages(site, path)} == {"hit"}

    aire.name = "Aire Hairline Studio"
    aire.save()  # committed here (autocommit), as an edit in another process is

    for path in (own, city_page):
        answers = _pages(site, path)
        assert all("Aire Hairline Studio" in body for _header, body in answers), path
        # (Its artist, "Aire Scalp Studio Artist", keeps the name the factory gave.)
        assert not any(OLD_NAME.search(body) for _header, body in answers), path
    # Another city's profile stays as it was stored, in every worker.
    assert {header for header, _body in _pages(site, other)} == {"hit"}

    minster.city.name = "York Minster"
    minster.city.save()  # a city: what any page may show, so every page goes stale
    answers = _pages(site, other)
    assert all("York Minster" in body for _header, body in answers)
