import logging
import re
import socket

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse

from clinics.models import Clinic, Service
from clinics.own_pages import owners_of_page
from common import fail_open, page_cache
from common.fail_open import cache_breaker
from tests.factories import ArticleFactory, ClinicFactory
from tests.quotes.support import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def clinic():
    return ClinicFactory(city__name="Leeds", city__slug="leeds", name="Aire Scalp Studio")


def _get(client, url, data=None, **headers):
    response = client.get(url, data, headers=headers)
    assert response.status_code == 200
    return response


def _stored_pages() -> int:
    """Pages held by the shared cache backend itself (LocMemCache in tests, or Redis)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Only this worker's keys: under pytest-xdist each worker has its own prefix.
        keys = backend._cache.get_client().keys(f"{backend.key_prefix}:*")
    else:
        keys = [key.encode() for key in backend._cache]
    return sum(b":page:" in key for key in keys)


def _local_pages() -> int:
    """Pages this process keeps in its own memory (the local-memory "pages-local" cache)."""
    return len(caches[page_cache.LOCAL_ALIAS]._cache)


def _owners(url: str) -> tuple[str, ...]:
    """The owners a profile's address names (clinics/own_pages.py)."""
    return owners_of_page(resolve(url).kwargs)


def _form_values(response, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', response.content.decode())


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
    caches[page_cache.LOCAL_ALIAS].clear()  # another process: nothing in its own memory
    assert _get(client, url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("action", ["approve_clinics", "suspend_clinics"])
def test_a_staff_action_shows_on_cached_pages_at_once(
    admin_user, clinic, action, django_capture_on_commit_callbacks
):
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

    with django_capture_on_commit_callbacks(execute=True):  # the admin request commits
        staff.post(
            reverse("admin:clinics_clinic_changelist"),
            {"action": action, "_selected_action": [other.pk]},
        )
    after = _get(visitor, url)
    assert after["X-Page-Cache"] == "miss"
    assert ("Second Studio" in after.content.decode()) is (action == "approve_clinics")


def test_an_edit_made_in_another_process_is_seen_here(
    client, clinic, django_capture_on_commit_callbacks
):
    url = clinic.get_absolute_url()
    _get(client, url)
    # Another process saves the clinic: only the shared version number changes.
    Clinic.objects.filter(pk=clinic.pk).update(name="Renamed Studio")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed()
    assert "Renamed Studio" in _get(client, url).content.decode()


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_with_the_version_window_another_processs_edit_shows_within_it(
    client, clinic, settings, monkeypatch
):
    """Production trusts the version it read for a second: a hit then asks Redis nothing."""
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    clock = _Clock()
    monkeypatch.setattr(page_cache.time, "monotonic", clock)
    page_cache.forget_version()  # read by the fixtures, on the real clock
    url = clinic.get_absolute_url()
    _get(client, url)
    # Another process saves the clinic and bumps the shared version; this one has not
    # looked since, so for up to a second it still answers with its copy.
    Clinic.objects.filter(pk=clinic.pk).update(name="Renamed Studio")
    cache.incr(page_cache.VERSION_KEY)
    clock.now += 0.5
    assert "Renamed Studio" not in _get(client, url).content.decode()
    clock.now += 0.6
    page = _get(client, url)
    assert page["X-Page-Cache"] == "miss"
    assert "Renamed Studio" in page.content.decode()


def test_with_the_version_window_an_edit_shows_at_once_in_the_process_that_saved_it(
    client, clinic, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    monkeypatch.setattr(page_cache.time, "monotonic", _Clock())  # time stands still
    page_cache.forget_version()
    url = clinic.get_absolute_url()
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        clinic.name = "Renamed Studio"
        clinic.save()
    assert "Renamed Studio" in _get(client, url).content.decode()


def test_each_of_two_edits_in_a_row_shows_at_once(
    client, clinic, django_capture_on_commit_callbacks
):
    url = clinic.get_absolute_url()
    for name in ["First Name Studio", "Second Name Studio"]:
        _get(client, url)
        with django_capture_on_commit_callbacks(execute=True):  # one request, one commit
            clinic.name = name
            clinic.save()
        assert name in _get(client, url).content.decode()


def test_after_the_shared_cache_restarts_no_process_serves_its_old_copy(
    client, clinic, monkeypatch
):
    clock = _Clock()
    monkeypatch.setattr(page_cache.time, "monotonic", clock)
    page_cache.forget_version()
    url = clinic.get_absolute_url()
    _get(client, url)
    Clinic.objects.filter(pk=clinic.pk).update(name="Renamed Studio")  # sends no signal
    cache.clear()  # Redis restarted empty; this process still holds the page in memory
    clock.now += 1.5  # past the version window (PAGE_CACHE_VERSION_SECONDS, 1 s)
    assert "Renamed Studio" in _get(client, url).content.decode()


def test_publishing_an_article_shows_at_once(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(draft=True, title="Brand new guide")
    assert "Brand new guide" not in _get(client, reverse("articles:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.publish()
    assert "Brand new guide" in _get(client, reverse("articles:list")).content.decode()


# 1. The whole response is replayed ----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/sitemap-clinics.xml", ["X-Robots-Tag", "Last-Modified", "Content-Type"]),
        ("/sitemap.xml", ["X-Robots-Tag", "Content-Type"]),
        ("/articles/feed/", ["Last-Modified", "Content-Type"]),
    ],
)
def test_a_cached_feed_or_sitemap_keeps_the_headers_its_view_set(client, clinic, url, headers):
    ArticleFactory()
    miss = _get(client, url)
    hit = _get(client, url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert {name: hit.get(name) for name in headers} == {name: miss[name] for name in headers}
    assert hit.content == miss.content


def test_a_cached_feed_answers_if_modified_since_with_304_through_conditional_get(client, settings):
    settings.MIDDLEWARE = ["django.middleware.http.ConditionalGetMiddleware", *settings.MIDDLEWARE]
    ArticleFactory()
    url = reverse("articles:feed")
    last_modified = _get(client, url)["Last-Modified"]
    assert _stored_pages() == 1
    again = client.get(url, headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304  # answered from the stored page, which kept the date


@pytest.mark.urls("tests.core.page_cache_urls")
@pytest.mark.parametrize(
    "path",
    [
        "/raw-csrf/",  # a token written without {% per_visitor %}: it is this visitor's
        "/cookie/",
        "/private/",  # Cache-Control: private
        "/varies/",
    ],
)
def test_a_response_meant_for_one_visitor_is_never_stored(path):
    for visitor in (Client(), Client()):
        response = _get(visitor, path)
        assert "X-Page-Cache" not in response
    assert _stored_pages() == 0


# 2. Only the parameters a page reads ---------------------------------------------------


def test_two_hundred_tracking_links_to_one_page_add_at_most_one_cache_entry(client, clinic):
    url = clinic.city.get_absolute_url()
    results = [
        _get(client, url, {"utm_source": f"mail-{n}", "utm_campaign": f"spring-{n}"})
        for n in range(200)
    ]
    assert _stored_pages() == 1
    assert _local_pages() == 1
    assert sum(r["X-Page-Cache"] == "hit" for r in results) == 199
    assert "Aire Scalp Studio" in results[-1].content.decode()


def test_the_same_search_with_its_parameters_in_another_order_is_one_entry(client, clinic):
    assert _get(client, "/search/?q=Leeds&page=1")["X-Page-Cache"] == "miss"
    assert _get(client, "/search/?page=1&q=Leeds&gclid=x")["X-Page-Cache"] == "hit"
    assert _stored_pages() == 1


@pytest.mark.urls("tests.core.page_cache_urls")
def test_a_view_sees_only_the_parameters_it_declares(client):
    body = _get(client, "/echo/?utm_source=news&page=2&fbclid=abc").content.decode()
    assert body.splitlines() == ["/echo/?page=2", "page=2"]
    assert _get(client, "/echo/?page=2")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"q": ["York", "Leeds"]}, "Aire Scalp Studio"),
        ({"q": "L" * 101}, "at most 100 characters"),
    ],
    ids=["repeated", "over-long"],
)
def test_an_odd_search_is_answered_but_not_stored(client, clinic, query, shown):
    for _ in range(2):
        response = _get(client, "/search/", query)
        assert "X-Page-Cache" not in response
    assert shown in response.content.decode()
    assert _stored_pages() == 0


# 3. Near me ----------------------------------------------------------------------------


def test_near_me_with_the_visitors_coordinates_is_never_stored(client, clinic):
    query = {"lat": "53.80", "lng": "-1.55", "place": "", "city": ""}
    for _ in range(2):
        response = _get(client, reverse("clinics:near-me"), query)
        assert "X-Page-Cache" not in response
    assert "Clinics near your location" in response.content.decode()
    assert _stored_pages() == 0
    assert _local_pages() == 0


def test_near_me_for_a_typed_town_is_cached(client, clinic):
    query = {"lat": "", "lng": "", "place": "Leeds", "city": ""}
    assert _get(client, reverse("clinics:near-me"), query)["X-Page-Cache"] == "miss"
    second = _get(client, reverse("clinics:near-me"), query)
    assert second["X-Page-Cache"] == "hit"
    assert "Clinics near Leeds" in second.content.decode()


# 4. The version moves when the edit commits ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_edit_makes_pages_stale_when_it_commits_not_before(client, clinic):
    url = clinic.get_absolute_url()
    _get(client, url)
    before = page_cache.content_version()
    with transaction.atomic():
        clinic.name = "Renamed Studio"
        clinic.save()
        assert page_cache.content_version() == before
        assert _get(client, url)["X-Page-Cache"] == "hit"  # nobody sees it before commit
    assert page_cache.content_version() != before
    assert "Renamed Studio" in _get(client, url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_of_a_thousand_rows_bumps_the_version_once():
    before = page_cache.current_version()
    with transaction.atomic():
        for n in range(1000):
            Service.objects.create(name=f"Imported service {n}", slug=f"imported-{n}")
    assert page_cache.current_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_leaves_cached_pages_alone(client, clinic):
    url = clinic.get_absolute_url()
    _get(client, url)
    before = page_cache.current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        clinic.name = "Never Saved"
        clinic.save()
        raise RuntimeError("the import failed half way")
    assert page_cache.current_version() == before
    assert _get(client, url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_an_edit_after_a_rolled_back_savepoint_still_bumps_on_commit(clinic):
    before = page_cache.current_version()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            clinic.save()  # its bump goes with the savepoint
            raise RuntimeError("one bad row")
        Service.objects.create(name="Hairline", slug="hairline")
    assert page_cache.current_version() == before + 1


# 5. Per-visitor values ---------------------------------------------------------------


def test_a_cached_profile_gives_each_visitor_a_working_csrf_token_and_form_token(clinic):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = clinic.get_absolute_url()
    _get(first, url)
    pages = [_get(second, url), _get(Client(), url)]
    assert all(page["X-Page-Cache"] == "hit" for page in pages)
    html = pages[0].content.decode()
    assert f"pv{page_cache._MARKER_PREFIX}" not in html  # every marker filled in
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


def test_the_first_visitor_to_a_profile_gets_real_tokens_too(clinic):
    from common.forms import token_payload

    visitor = Client(enforce_csrf_checks=True)
    page = _get(visitor, clinic.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    [form_token] = _form_values(page, "form_token")
    assert token_payload({"form_token": form_token}) is not None
    # The quote form's and the language switcher's: each a real token, each its own mask.
    tokens = _form_values(page, "csrfmiddlewaretoken")
    assert len(tokens) == 2 and len(set(tokens)) == 2
    assert all(len(csrf) == 64 and csrf.isalnum() for csrf in tokens)


def test_a_hit_answered_before_the_view_has_every_header_the_rendered_page_had(client, clinic):
    """EarlyHitMiddleware answers from below the middleware that writes these headers."""
    url = clinic.get_absolute_url()
    miss, hit = _get(client, url), _get(client, url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
    ):
        assert hit[name] == miss[name], name
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit.cookies["csrftoken"].value  # the profile's form works (test above)


# 6. Who is signed in -----------------------------------------------------------------


def test_staff_with_a_session_always_get_a_fresh_page(admin_client, clinic):
    url = clinic.get_absolute_url()
    _get(admin_client, url)
    assert "X-Page-Cache" not in _get(admin_client, url)


def test_a_made_up_session_cookie_does_not_switch_the_cache_off(client, clinic):
    url = clinic.get_absolute_url()
    seen = []
    for _ in range(2):
        client.cookies["sessionid"] = "made-up-by-a-bot"
        seen.append(_get(client, url)["X-Page-Cache"])
    assert seen == ["miss", "hit"]


def test_pages_with_personal_data_are_never_cached(client, clinic):
    assert "X-Page-Cache" not in client.get(reverse("quotes:request"))
    assert "no-cache" in client.get(reverse("quotes:request"))["Cache-Control"]


# 7. The in-process tier can be turned off ---------------------------------------------


@pytest.mark.parametrize(("entries", "answer"), [(300, "hit"), (0, "miss")])
def test_with_no_local_entries_every_answer_comes_from_the_shared_tier(
    client, clinic, settings, entries, answer
):
    settings.PAGE_CACHE_LOCAL_ENTRIES = entries
    url = clinic.get_absolute_url()
    assert [_get(client, url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    assert _local_pages() == (1 if entries else 0)
    # The shared tier loses the page but keeps its versions: only a local copy can answer.
    owners = [page_cache.OWN_VERSION_KEY.format(owner) for owner in _owners(url)]
    versions = cache.get_many([page_cache.VERSION_KEY, *owners])
    assert len(versions) == 3  # the site's, the clinic's and its city's
    cache.clear()
    cache.set_many(versions, timeout=None)
    page_cache.forget_version()
    assert _get(client, url)["X-Page-Cache"] == answer


# 8. Redis down -------------------------------------------------------------------------


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(monkeypatch):
    """The cache pointed at a port where nothing listens; the module's health reset."""
    cache_breaker.reset()
    location = f"redis://127.0.0.1:{_unused_port()}/0"
    options = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    down = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    # Not the settings fixture: the test's own teardown clears the cache, which must work.
    with override_settings(CACHES={"default": {**down, "OPTIONS": options}}):
        yield
    cache_breaker.reset()


def test_pages_are_served_uncached_with_one_warning_while_redis_is_down(
    client, clinic, redis_down, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING, logger="common.fail_open")
    for url in ["/sitemap.xml", clinic.city.get_absolute_url(), clinic.get_absolute_url()]:
        monkeypatch.setattr(cache_breaker, "failed_at", float("-inf"))  # try Redis each time
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert "Aire Scalp Studio" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        clinic.save()  # a staff edit: its version bump fails too, and says nothing more
    warnings = [r for r in caplog.records if r.name == "common.fail_open"]
    assert len(warnings) == 1
    assert "served uncached" in warnings[0].getMessage()


def test_after_a_failure_the_shared_cache_is_left_alone_for_a_few_seconds(
    client, clinic, redis_down, monkeypatch
):
    url = clinic.get_absolute_url()
    assert "X-Page-Cache" not in _get(client, url)
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        assert "X-Page-Cache" not in _get(client, url)  # Redis is back, but not tried yet
        monkeypatch.setattr(
            cache_breaker, "failed_at", cache_breaker.failed_at - fail_open.RETRY_AFTER_SECONDS - 1
        )
        assert _get(client, url)["X-Page-Cache"] == "miss"


# 9. Bounded keys: one client cannot add an entry a request -----------------------------


def test_two_hundred_host_ports_are_one_entry_and_no_port_reaches_the_page(client, clinic):
    url = clinic.get_absolute_url()
    bodies = [
        _get(client, url, Host=f"testserver:{port}").content.decode() for port in range(6600, 6800)
    ]
    assert _stored_pages() == 1
    assert all("testserver:" not in body for body in bodies)
    assert f'href="http://testserver{url}"' in bodies[-1]  # the canonical link: SITE_URL's


def test_a_hostile_host_never_reaches_a_sitemap_or_structured_data(client, clinic):
    sitemap = _get(client, "/sitemap-clinics.xml", Host="testserver:6660").content.decode()
    assert "testserver:6660" not in sitemap
    assert f"<loc>http://testserver{clinic.get_absolute_url()}</loc>" in sitemap
    profile = _get(client, clinic.get_absolute_url(), Host="testserver:6661")
    assert "6661" not in profile.content.decode()


def test_raw_values_of_every_parameter_add_at_most_a_handful_of_entries(client, clinic):
    city = clinic.city.get_absolute_url()
    odd = [{"page": "0" * n + "1"} for n in range(1, 41)] + [
        {name: f"junk{n}"}
        for name in ("sort", "units", "rating", "service", "language", "budget", "replies")
        for n in range(20)
    ]
    for query in odd:
        response = client.get(city, query)
        assert response.status_code == 200
        assert "Aire Scalp Studio" in response.content.decode()
    for n in range(40):
        assert client.get("/search/", {"q": "Leeds", "units": f"x{n}"}).status_code == 200
    # The city page at `?page=1` and the search for Leeds: nothing for each odd value.
    assert _stored_pages() <= 3


def test_page_0001_is_the_same_entry_as_page_1(client, clinic):
    assert _get(client, "/search/", {"q": "Leeds", "page": "1"})["X-Page-Cache"] == "miss"
    assert _get(client, "/search/", {"q": "Leeds", "page": "0001"})["X-Page-Cache"] == "hit"


def test_an_unknown_sort_is_answered_with_a_note_and_not_stored(client, clinic):
    city = clinic.city.get_absolute_url()
    for _ in range(2):
        response = _get(client, city, {"sort": "cheapest-ever"})
        assert "X-Page-Cache" not in response
    assert "is not a sort order we offer" in response.content.decode()
    assert _stored_pages() == 0


def test_a_page_over_the_size_bound_is_served_but_not_stored(client, clinic, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    response = _get(client, clinic.get_absolute_url())
    assert "Aire Scalp Studio" in response.content.decode()
    assert "X-Page-Cache" not in response
    assert _stored_pages() == 0
