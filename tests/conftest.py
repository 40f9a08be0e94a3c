import io
import logging
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _worker_cache(request):
    """Under pytest-xdist with REDIS_URL, each worker keeps to keys of its own.

    The workers share one Redis database: a worker's keys get a prefix of their own, and
    `cache.clear()` (which would flush the database, every worker's pages and counters
    with it) deletes only that worker's keys. Its test database, temporary folders and the
    ports of the services it starts are its own already (pytest-django, tmp_path, port 0).
    """
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        yield
        return
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache
    from django.test import override_settings

    default = settings.CACHES["default"]
    if default["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        yield
        return
    prefix = f"{default.get('KEY_PREFIX', '')}-{worker}"
    saved_clear = RedisCache.clear

    def clear_own_keys(self: RedisCache) -> None:
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)

    RedisCache.clear = clear_own_keys  # type: ignore[method-assign]
    own = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    with override_settings(CACHES=own):
        yield
    RedisCache.clear = saved_clear  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, each without waiting for the disk at every commit.

    On PostgreSQL a commit waits until its WAL reaches the disk (`synchronous_commit`):
    milliseconds each, thousands of times in the transactional tests, whose every write
    commits, and in the workers and servers they start. A test never survives a crash
    of the server, so its database does not wait: a commit is seen by every other
    connection at once all the same. Set on the database, so the processes the tests
    start (Celery workers, gunicorn) connect with it too."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit TO off")
                cursor.execute("SET synchronous_commit TO off")
            connection.close()  # the next connection starts with the database's setting
    yield
    # Django keeps a connection per context, and a test process can end with one left open
    # in a context it no longer runs in (a module's fixture, Playwright's greenlets): the
    # test database could then not be dropped ("being accessed by other users"). Every
    # process the tests started has ended by now, so what is left is this process's own.
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            connection.close()  # this context's own may have been ended by a test already
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A transactional test empties the tables after itself with DELETE, not TRUNCATE.

    Django's `flush` truncates every table in one statement; on PostgreSQL that makes new
    files for each of them and their indexes, over a second a test here, against some
    milliseconds for deleting the few rows a test made. The tables end just as empty (the
    foreign keys are checked at the commit, once all is gone), and post_migrate runs
    after it as before. Only this teardown: `manage.py flush` (tests/pages) truncates."""
    from django.db import connections
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def delete_rows(ops):
        truncate = type(ops).sql_flush

        def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
            if reset_sequences or allow_cascade or not tables:
                return truncate(
                    ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
                )
            quote = ops.quote_name
            return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {quote(t)}" for t in tables)]

        return sql_flush

    def fixture_teardown(self):
        patched = [c.ops for c in connections.all() if c.vendor == "postgresql"]
        for ops in patched:
            ops.sql_flush = delete_rows(ops)
        try:
            original(self)
        finally:
            for ops in patched:
                del ops.sql_flush

    TransactionTestCase._fixture_teardown = fixture_teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _isolated_site(settings, tmp_path):
    """Each test gets its own media folder, plain static storage and empty caches."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        # The manifest storage needs collectstatic first; tests don't run it.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # Clients' photos in this test's own folder (tests/quotes/support.py: private_dir).
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.QUOTE_RATE_LIMIT = "0"
    settings.OUTBOX_SEND_BACKOFF_SECONDS = 0
    settings.SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Fast hashing: the default is slow on purpose, and tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The page cache is on, as in production, with production's one-second version window:
    # an edit made in this process shows at once (its bump forgets the version), and the
    # edit's bump comes when the code's transaction "commits" (`_commits_by_default`).
    from django.core.cache import cache, caches

    from clinics import sample_data
    from common.fail_open import broker_breaker, cache_breaker
    from common.page_cache import forget_version

    cache.clear()
    if "pages-local" in settings.CACHES:
        caches["pages-local"].clear()
    forget_version()
    cache_breaker.reset()
    broker_breaker.reset()
    # Each process reads "are there sample clinics?" once per content version; a test
    # starts with none known, like a process that has already asked. Tests that make
    # sample clinics commit them (which bumps the version) to see the notice.
    sample_data.remember(False)
    yield
    cache.clear()
    if "pages-local" in settings.CACHES:
        caches["pages-local"].clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Each test starts and ends in English, the site's default. A request to a German page
    activates German in the thread that served it (LocaleMiddleware, as in production),
    and the test client serves in the test's own thread: without this, a later test's
    reverse() would write /de/ addresses."""
    from django.utils import translation

    translation.activate("en-gb")
    yield
    translation.activate("en-gb")


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in the test's own process; tests/integration uses real workers instead."""
    from smp_site.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


DB_FIXTURES = frozenset({"db", "transactional_db", "live_server"})


@pytest.fixture(autouse=True)
def _commits_by_default(request):
    """Every test that uses the database gets `commits_as_in_production`: the code's own
    transactions "commit" as they would in production, so what production does after a
    commit (emails, tasks, making cached pages stale) happens in tests too."""
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("commits_as_in_production")


@pytest.fixture
def commits_as_in_production(db, monkeypatch):
    """On-commit callbacks run when the code's own transaction ends, as they would after
    its commit in production, and at once outside one (autocommit), though the test's
    own transaction never commits. Every database test has it (`_commits_by_default`).

    The same effect as wrapping each write in `django_capture_on_commit_callbacks(execute=True)`,
    without a transactional test's cost (on PostgreSQL it empties every table after
    itself). A block that fails takes its callbacks with it, as Django's savepoint
    rollback does. Inside `django_capture_on_commit_callbacks` callbacks are held for it,
    as Django holds them, and the capture runs them (execute=True) or drops them. In a
    transactional test, Django's own commits run them and this changes nothing.
    """
    from django.db import DEFAULT_DB_ALIAS, connections, transaction
    from django.test import TestCase

    connection = connections[DEFAULT_DB_ALIAS]  # this thread's, not the proxy
    test_depth = len(connection.atomic_blocks)  # the test's own blocks, never committed
    start = len(connection.run_on_commit)
    wrapper_class = type(connection)
    saved_on_commit = wrapper_class.on_commit
    saved_exit = transaction.Atomic.__exit__
    saved_capture = TestCase.captureOnCommitCallbacks
    capturing = [0]

    def run(callback, robust: bool) -> None:
        if not robust:
            callback()
            return
        try:
            callback()
        except Exception:
            logging.getLogger("django.db.backends.base").exception(
                "Error calling %s in on_commit()", callback.__qualname__
            )

    def ours(conn) -> bool:
        return conn is connection and len(conn.atomic_blocks) == test_depth and not capturing[0]

    def on_commit(self, func, robust=False):
        if ours(self):
            run(func, robust)  # no transaction of the code's own: autocommit runs it now
        else:
            saved_on_commit(self, func, robust)

    def exit_(self, exc_type, exc_value, traceback):
        result = saved_exit(self, exc_type, exc_value, traceback)
        own = transaction.get_connection(self.using)
        if ours(own) and not own.needs_rollback:
            while len(own.run_on_commit) > start:  # the code's transaction "committed"
                _, callback, robust = own.run_on_commit.pop(start)
                run(callback, robust)
        return result

    @contextmanager
    def capture(*, using=DEFAULT_DB_ALIAS, execute=False):
        held = len(connections[using].run_on_commit)
        capturing[0] += 1
        try:
            with saved_capture(using=using, execute=execute) as callbacks:
                yield callbacks
        finally:
            capturing[0] -= 1
            # Run (execute=True) or dropped by the capture: never run again by a later block.
            del connections[using].run_on_commit[held:]

    monkeypatch.setattr(wrapper_class, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_)
    monkeypatch.setattr(TestCase, "captureOnCommitCallbacks", staticmethod(capture))


@pytest.fixture
def private_dir(tmp_path):
    """Where the clients' photos of this test are stored."""
    return tmp_path / "private"


@pytest.fixture
def disk(settings, private_dir):
    """The private storage on a disk that a test fills up: set `disk.full` (a
    tests.quotes.support.DiskFullStorage, which writes part of a file, then fails)."""
    from tests.quotes.support import DiskFullStorage

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "tests.quotes.support.DiskFullStorage",
            "OPTIONS": {"location": private_dir, "base_url": None},
        },
    }
    yield DiskFullStorage
    DiskFullStorage.full = False


@pytest.fixture
def pixel_work(monkeypatch):
    """Every image Pillow decoded (`load`) or walked chunk by chunk (`verify`), in order: a
    photo refused from its header leaves nothing here, however long the machine takes."""
    from PIL import ImageFile, PngImagePlugin

    calls: list[str] = []
    for cls, name in [(ImageFile.ImageFile, "load"), (PngImagePlugin.PngImageFile, "verify")]:
        original = getattr(cls, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            calls.append(f"{self.format} {_name}")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, spy)
    return calls


def _asked_once_per_version(assert_queries):
    """pytest-django's query counter, after this process has asked, for the current
    content version, whether sample clinics exist (clinics/sample_data.py asks the
    database once per version, on the first page rendered after an edit, then answers
    from memory). A query budget is a page's steady cost: the test's own writes bump the
    version, as edits do in production, and the once-per-edit question is not the page's."""
    from clinics import sample_data

    @contextmanager
    def counted(*args, **kwargs):
        sample_data.sample_clinics_exist()
        with assert_queries(*args, **kwargs) as context:
            yield context

    return counted


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _asked_once_per_version(django_assert_num_queries)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _asked_once_per_version(django_assert_max_num_queries)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole sample data (`load_demo --skip-gazetteer`), loaded once for the module
    that asks for it, in a transaction of its own that each test's transaction nests in,
    rolled back after the module (as Django's `setUpTestData` does). The drawings are
    stored in a folder of the module's own; a test's own media folder starts empty.
    `tests/demo/test_load_demo.py` runs the command itself, from an empty database."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", "--skip-gazetteer", stdout=io.StringIO())
            check_deferred_constraints()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def check_deferred_constraints() -> None:
    """Check the deferred constraints of rows a module's fixture wrote, once, in its own
    transaction. Left pending, PostgreSQL checks them again after every test (pytest-django
    checks constraints before rolling a test back, and the rollback to the test's
    savepoint makes them pending again): seconds a test for the gazetteer's rows."""
    from django.db import connection

    connection.check_constraints()


# Under pytest-xdist the modules go to the workers one at a time, in the order the workers
# collected them (`make test` passes --no-loadscope-reorder, which keeps that order rather
# than xdist's, by number of tests). The modules that take longest go first, so that the
# run ends on short ones and no worker waits long for the other. A rough cost in seconds
# on a quiet 2-core machine: a module with a test marked slow loads the whole demo or
# gazetteer; then each test, by what it starts.
MODULE_COST_SLOW = 40.0
TEST_COST = {"services": 8.0, "browser": 4.0}
TEST_COST_PRODUCTION = 1.0  # tests/production: subprocesses of production settings
TEST_COST_OTHER = 0.3


def _module(item) -> str:
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        return  # one process: pytest-django's order (transactional tests last)
    cost: dict[str, float] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        module = _module(item)
        first.setdefault(module, index)
        marks = {mark.name for mark in item.iter_markers()}
        if "slow" in marks:
            cost[module] = max(cost.get(module, 0.0), MODULE_COST_SLOW)
        other = TEST_COST_PRODUCTION if module.startswith("tests/production/") else TEST_COST_OTHER
        each = max((TEST_COST[name] for name in marks & TEST_COST.keys()), default=other)
        cost[module] = cost.get(module, 0.0) + each
    # A stable sort: each module's tests keep their order.
    items.sort(key=lambda item: (-cost[_module(item)], first[_module(item)]))


def pytest_configure(config):
    # The translations' catalogues, as `make install` compiles them (not kept in git), so
    # that pytest run on its own serves the languages too. Once, in the controller: the
    # workers start after it and find them written.
    if hasattr(config, "workerinput"):
        return
    from smp_site.management.commands.compilemessages import compile_catalogues

    compile_catalogues([Path(__file__).resolve().parent.parent / "locale"])
