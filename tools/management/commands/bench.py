"""`make bench`: every kind of public page under load, side by side with a trivial view.

The site runs as in production (gunicorn, 2 workers, DEBUG off, Redis) on loopback, with
the demo data plus a city of 100 clinics, then again with `--scale` clinics. wrk drives
each page kind for a fixed time in two modes: `cold` (no page cache and no per-process
cache of any kind: what a page costs to render) and `cached` (production's cache). Besides
one address at a time it drives two spreads, each request a random address of a list: 600
clinic profiles across the whole directory, and city pages. In the cached mode each page
is driven again while a listing is saved every second (`writes`), as a staff edit would.
The photo pipeline's budget is measured too: sanitising a 15 MB JPEG and PNG, a city
request fanned out to 100 clinics through a real Celery worker, and the quote POST with
three 5 MB photos. Results: tables and the Done-when verdicts on stdout, var/bench.json,
and (a full run) docs/performance-results.md. The verdicts are a report: a measuring run
exits 0 whatever they say.

Redis: a redis-server of the bench's own, on a free loopback port with nothing on disk,
stopped at the end (so flushing its databases between runs touches nobody else's); or
BENCH_REDIS_URL and the database after it, when given, which the bench flushes.

On PostgreSQL when DATABASE_URL points at a PostgreSQL server (what production uses),
and on SQLite too; on SQLite alone without one. The bench creates databases of its own on
that server, `<name>_bench_100` and `<name>_bench_<scale>`, and drops them when it ends;
it never touches the database DATABASE_URL names. The site runs with production's
database settings (persistent, health-checked connections).

`--quick` measures the demo size on one engine (PostgreSQL when there is one) for a
second a page, cold, cached, under writes and the spreads, and keeps its database for the
next quick run while the migrations and the demo data are unchanged: a few minutes.
`--smoke` is a quick run that fails only on a gross regression against
tools/bench_baseline.json (a page an order of magnitude slower, relative to the trivial
view of the same run, or a page making more queries); `make test` runs it after pytest.
`--write-baseline` records the run as that baseline.
"""

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit, urlunsplit

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tools.benchtools import LocalRedis, found, free_port, quote_post_latencies, wrk

ROOT = Path(settings.BASE_DIR)
VAR = ROOT / "var"
BASELINE = ROOT / "tools" / "bench_baseline.json"
RESULTS_DOC = ROOT / "docs" / "performance-results.md"
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"
# A smoke run fails when a page's share of the trivial view falls below its baseline share
# divided by this: an order of magnitude, far beyond what a busy machine does to a ratio.
SMOKE_SLOWDOWN = 10
# The trivial view every page is compared with (tools/urls.py).
TRIVIAL = "/_bench/hello/"
# Rows that are yardsticks, not page kinds: the verdicts leave them out.
REFERENCES = ("trivial", "static")
# The spreads: random clinic profiles across the whole directory, random city pages.
SPREAD_PROFILES = 600
SPREAD_CITIES = 200
SPREADS = ("spread-profiles", "spread-cities")
# A smoke run's spreads: enough addresses that no one page decides the figure.
SMOKE_SPREAD = 40
# Requests in the clinic inbox the bench signs in to (issue #27: the inbox with 1,000).
INBOX_REQUESTS = 1000

# What each mode changes in production's environment. `cold` switches off every cache a
# page could be served from: the shared page cache and each process's own copies of it.
# `cached` is production's configuration: the page cache on, every other default kept.
MODE_ENV = {
    "cold": {"PAGE_CACHE_ENABLED": "false", "PAGE_CACHE_LOCAL_ENTRIES": "0"},
    "cached": {"PAGE_CACHE_ENABLED": "true"},
}
# A developer's own cache settings must not leak into the site the bench serves.
CACHE_SETTINGS = (
    "PAGE_CACHE_ENABLED",
    "PAGE_CACHE_SECONDS",
    "PAGE_CACHE_LOCAL_ENTRIES",
    "PAGE_CACHE_VERSION_SECONDS",
    "PAGE_CACHE_MAX_BYTES",
)

# The Done-when lines of issue #23, as (key, sentence, threshold).
DONE_WHEN = {
    "cold": "cold: every page kind serves at least 10% of the trivial view",
    "cached": "cached: every page kind serves at least 75% of the trivial view",
    "spread": (
        "a spread of 600 random profiles at 10,000 clinics, production cache on, serves at "
        "least 10% of the trivial view"
    ),
    "size": (
        "at 10,000 clinics every cell serves at least 80% of what it serves at demo size "
        "(the sitemap page per address listed)"
    ),
    "writes": (
        "under writes (a listing saved every second) every page kind keeps at least 50% of "
        "its undisturbed cached throughput"
    ),
    "german": (
        "every page kind in German serves within 10% of its English figure in the same run "
        "(cold and cached)"
    ),
}
THRESHOLDS = {
    "cold": 0.10,
    "cached": 0.75,
    "spread": 0.10,
    "size": 0.80,
    "writes": 0.50,
    "german": 0.90,
}
# The page kinds measured again at their German address ("de-home"…; issue #28): one
# language stands for the three, which render the same templates from other catalogues.
# Not in a smoke run (make test), which keeps to the English rows and their baseline.
GERMAN = "de-"
GERMAN_PAGES = (
    "home",
    "countries",
    "country",
    "city-100",
    "city-filtered",
    "clinic",
    "search",
    "search-typo",
    "near-me",
    "article",
    "faq",
    "training",
    "training-class",
)


def _postgres_url() -> str | None:
    """DATABASE_URL when it points at PostgreSQL: the server to create bench databases on."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql", "pgsql") else None


def _data_stamp() -> str:
    """What a prepared bench database depends on: the migrations and the demo data."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + sorted((ROOT / "demo").rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _maintenance_connection(url: str):
    """A connection to the server's maintenance database, outside any transaction."""
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        dbname="postgres",
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
    )
    connection.autocommit = True
    return connection


def _postgres_one(url: str, sql: str, params: Iterable[Any] = ()) -> Any:
    """The first column of the first row of one statement on the maintenance database."""
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None
    finally:
        connection.close()


def _redis_db(url: str, offset: int) -> str:
    """The Redis database `offset` places after the one `url` names: one per site."""
    match = re.search(r"/(\d+)$", url)
    if not match:
        return url.rstrip("/") + f"/{offset}"
    return url[: match.start()] + f"/{int(match.group(1)) + offset}"


@contextmanager
def bench_redis() -> Iterator[tuple[str, str | None]]:
    """The Redis the benchmarked site uses: BENCH_REDIS_URL when given (its database and
    the next are flushed), else a redis-server of the bench's own, stopped on the way out.
    Yields its URL and the server's version."""
    explicit = os.environ.get("BENCH_REDIS_URL")
    if explicit:
        yield explicit, None
        return
    try:
        own = LocalRedis()
    except RuntimeError as exc:
        raise CommandError(str(exc)) from exc
    try:
        yield own.url, own.version()
    finally:
        own.stop()


def _flush_redis(url: str) -> None:
    """Empty one database of the bench's Redis (its own server, or BENCH_REDIS_URL's)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


class Site:
    """One engine and data size: its database, environment and server processes."""

    def __init__(self, scale: int, redis_url: str | None, postgres: str | None = None):
        self.scale = scale
        self.engine = "postgresql" if postgres else "sqlite"
        self.postgres_db = ""
        if postgres:
            parts = urlsplit(postgres)
            base = parts.path.lstrip("/") or "smp"
            self.postgres_db = f"{base}_bench_{scale}"
            database_url = urlunsplit(parts._replace(path="/" + self.postgres_db))
        else:
            self.db = VAR / f"bench-{scale}.sqlite3"
            database_url = f"sqlite:///{self.db}"
        self.postgres = postgres
        self.redis_url = redis_url
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SERVE_MEDIA": "true",
            "STATIC_ROOT": str(VAR / "bench-static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR / "bench-emails"),
            "PRIVATE_FILES_ROOT": str(VAR / "bench-private"),
            "QUOTE_RATE_LIMIT": "0",
            "PHOTO_FORM_POST_RATE_LIMIT": "0",
            "SEARCH_RATE_LIMIT": "0",  # every uncached search comes from one address
            # DEBUG off leaves out the demo app, which load_demo lives in; BENCH brings in
            # the tools app (bench_pipeline, /_bench/hello/).
            "DEMO_DATA": "true",
            "BENCH": "1",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        # Production's database and cache settings (smp_site/settings.py), not a
        # developer's own.
        for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", *CACHE_SETTINGS):
            self.env.pop(name, None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        else:
            self.env.pop("REDIS_URL", None)
        self.server: subprocess.Popen | None = None
        self.writer: subprocess.Popen | None = None
        self.port = 0
        # As in the bench's table; `--workers`/`--threads` compare other arrangements.
        self.workers, self.threads = 2, 1

    def manage(self, *args: str, mode: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **MODE_ENV.get(mode or "", {})},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise CommandError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    @property
    def stamp_file(self) -> Path:
        return VAR / f"bench-{self.engine}-{self.scale}.stamp"

    def prepared(self) -> bool:
        """Whether a kept database holds what preparing would make now.

        On PostgreSQL the stamp is the database's own comment, so a fresh clone (CI's
        `make test`) finds the database a run before it left on the same server; a SQLite
        database and its stamp live in var/ together.
        """
        if self.postgres:
            stamp = _postgres_one(
                self.postgres,
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [self.postgres_db],
            )
            return stamp == _data_stamp()
        if not self.stamp_file.exists() or self.stamp_file.read_text() != _data_stamp():
            return False
        return self.db.exists()

    def prepare(self, reuse: bool = False) -> None:
        if not (reuse and self.prepared()):
            self.stamp_file.unlink(missing_ok=True)
            if self.postgres:
                _postgres_one(self.postgres, f'DROP DATABASE IF EXISTS "{self.postgres_db}"')
                _postgres_one(self.postgres, f'CREATE DATABASE "{self.postgres_db}"')
            else:
                self.db.unlink(missing_ok=True)
            self.manage("migrate", "--noinput", "-v0")
            self.manage("load_demo", "--scale", str(self.scale))
            if self.postgres:
                _postgres_one(
                    self.postgres,
                    f'COMMENT ON DATABASE "{self.postgres_db}" IS %s',
                    [_data_stamp()],
                )
            self.stamp_file.write_text(_data_stamp())
        # The static files each run, quickly when unchanged (collectstatic copies only
        # what is newer): a fresh clone has none, and the site's own may have changed.
        self.manage("collectstatic", "--noinput", "-v0")

    def serve(self, mode: str) -> None:
        """Start gunicorn in one of MODE_ENV's modes, its Redis database emptied first."""
        if self.redis_url:
            _flush_redis(self.redis_url)
        self.port = free_port()
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "smp_site.wsgi:application",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                # gunicorn's own choice: threads above 1 mean its gthread worker.
                "--worker-class",
                "gthread" if self.threads > 1 else "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**self.env, **MODE_ENV[mode]},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url(TRIVIAL), timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)  # gunicorn starting: its port is all there is to watch
        raise CommandError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start_writer(self) -> None:
        """The process that saves listings on demand (bench_pipeline write-listings)."""
        self.writer = subprocess.Popen(
            [sys.executable, "manage.py", "bench_pipeline", "write-listings"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self._writer_says("ready")

    def writes(self, on: bool) -> dict:
        """Switch the writer on (it has saved one listing when this returns) or off (its
        count of saves since it was switched on)."""
        assert self.writer and self.writer.stdin
        self.writer.stdin.write("on\n" if on else "off\n")
        self.writer.stdin.flush()
        return self._writer_says("on" if on else "saves")

    def _writer_says(self, key: str) -> dict:
        assert self.writer and self.writer.stdout
        for line in self.writer.stdout:
            if line.startswith("{") and key in (message := json.loads(line)):
                return message
        raise CommandError("the listing writer (bench_pipeline write-listings) stopped")

    def stop_writer(self) -> None:
        if self.writer and self.writer.poll() is None:
            assert self.writer.stdin
            self.writer.stdin.close()  # the end of its commands: it exits
            try:
                self.writer.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.writer.pid, signal.SIGTERM)
                self.writer.wait(20)
        self.writer = None

    def worker_memory_mb(self) -> list[float]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.server.pid if self.server else 0)],
            capture_output=True,
            text=True,
        ).stdout
        sizes = []
        for pid in out.split():
            status = Path(f"/proc/{pid}/status").read_text()
            rss_kb = int(found(r"VmRSS:\s+(\d+)", status))
            sizes.append(round(rss_kb / 1024, 1))
        return sizes

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(20)

    def drop(self) -> None:
        """Remove a PostgreSQL bench database (SQLite files stay in var/ for a look)."""
        self.stamp_file.unlink(missing_ok=True)
        if self.postgres:
            _postgres_one(
                self.postgres, f'DROP DATABASE IF EXISTS "{self.postgres_db}" WITH (FORCE)'
            )


class Target:
    """What one row of the table drives: one address, or a spread of them (a file of
    paths for wrk's script, one request a random line)."""

    def __init__(self, page: str, paths: list[str], directory: Path) -> None:
        self.page = page
        self.paths = paths
        self.file: Path | None = None
        if page in SPREADS:
            self.file = directory / f"{page}.txt"
            self.file.write_text("\n".join(paths) + "\n")

    @property
    def label(self) -> str:
        return self.paths[0] if self.file is None else f"{len(self.paths)} random addresses"


class Command(BaseCommand):
    help = "Measure every public page under load against a trivial view (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=None, help="per URL and mode")
        parser.add_argument("--connections", type=int, default=4)
        parser.add_argument("--scale", type=int, default=10_000, help="the large data size")
        parser.add_argument(
            "--quick",
            action="store_true",
            help="demo size, one engine, 1 s a page, no pipeline; keeps its database",
        )
        parser.add_argument(
            "--smoke",
            action="store_true",
            help="a quick run that fails on a gross regression against the baseline",
        )
        parser.add_argument(
            "--write-baseline", action="store_true", help="record this run as the baseline"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--threads", type=int, default=1, help="threads per worker (gthread above 1)"
        )
        parser.add_argument(
            "--engines",
            default="",
            help="sqlite, postgresql or both, comma-separated (default: PostgreSQL and "
            "SQLite when DATABASE_URL points at PostgreSQL, else SQLite; --quick: one)",
        )

    def handle(
        self,
        *args,
        seconds,
        connections,
        scale,
        quick,
        smoke,
        write_baseline,
        engines,
        workers,
        threads,
        **options,
    ):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install -y wrk (make bench does).")
        quick = quick or smoke
        seconds = seconds or (1 if quick else 5)
        VAR.mkdir(exist_ok=True)
        started = datetime.now(UTC)
        sizes = [100] if quick else [100, scale]
        postgres = _postgres_url()
        wanted = [e for e in engines.split(",") if e] or (
            ["postgresql", "sqlite"] if postgres else ["sqlite"]
        )
        if quick and not engines:
            wanted = wanted[:1]
        if "postgresql" in wanted and not postgres:
            raise CommandError("PostgreSQL: set DATABASE_URL to a server, e.g. postgres://…/smp")
        rows: list[dict] = []
        extra: dict = {
            "seconds": seconds,
            "connections": connections,
            "gunicorn": {"workers": workers, "threads": threads},
            "engines": wanted,
        }
        with bench_redis() as (redis_base, own_version):
            self.stdout.write(
                f"Redis: {redis_base}"
                + (f" (the bench's own redis-server {own_version})" if own_version else "")
            )
            extra["machine"] = _machine(postgres if "postgresql" in wanted else None, redis_base)
            for engine in wanted:
                # Both sizes served at once, so that each page is measured at both sizes back
                # to back: this shared machine's speed drifts by 20% over minutes.
                sites = [
                    Site(
                        size,
                        _redis_db(redis_base, offset),
                        postgres if engine == "postgresql" else None,
                    )
                    for offset, size in enumerate(sizes)
                ]
                for site in sites:
                    site.workers, site.threads = workers, threads
                try:
                    self._measure(sites, rows, extra, seconds, connections, quick, smoke)
                finally:
                    if not quick:  # a quick run keeps its database for the next one
                        for site in sites:
                            site.drop()

        _add_ratios(rows)
        comparisons = _size_comparisons(rows)
        verdicts = _verdicts(rows, comparisons)
        _print_table(self.stdout, rows, comparisons, verdicts, extra)
        report = {
            "date": started.isoformat(timespec="seconds"),
            "run": "smoke" if smoke else "quick" if quick else "full",
            "machine": extra["machine"],
            "options": {k: extra[k] for k in ("seconds", "connections", "gunicorn", "engines")},
            "rows": rows,
            "size_comparisons": comparisons,
            "verdicts": verdicts,
        }
        (VAR / "bench.json").write_text(json.dumps(report, indent=2))
        (VAR / "bench-extra.json").write_text(json.dumps(extra, indent=2))
        self.stdout.write("Wrote var/bench.json and var/bench-extra.json")
        if not quick:
            RESULTS_DOC.write_text(_results_document(report, extra, sys.argv[1:]))
            self.stdout.write(f"Wrote {RESULTS_DOC.relative_to(ROOT)}")
        if write_baseline:
            # The engines of this run replace theirs; another engine's baseline stays.
            known = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
            merged = {**known, **_baseline(rows)}
            BASELINE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
            self.stdout.write(f"Wrote {BASELINE.relative_to(ROOT)}")
        if smoke:
            baseline = json.loads(BASELINE.read_text())
            failures = (
                [
                    f"{engine}: no baseline in {BASELINE.relative_to(ROOT)} (--write-baseline)"
                    for engine in wanted
                    if engine not in baseline
                ]
                + _regressions(rows, baseline)
                + [
                    f"{page}: not answered from the page cache on its second request"
                    for page in extra.get("not_cached", [])
                ]
            )
            if failures:
                raise CommandError("Gross regressions:\n  " + "\n  ".join(failures))
            self.stdout.write("Smoke: no page is an order of magnitude slower, no query added.")

    def _measure(
        self,
        sites: list[Site],
        rows: list[dict],
        extra: dict,
        seconds: int,
        connections: int,
        quick: bool,
        smoke: bool = False,
    ) -> None:
        """Every page of one engine at each size, cold, cached and cached under writes
        (and the pipeline once); a smoke run drives every page cold and the spreads
        cached, and asks each page whether the cache answers it (see `_smoke_cached`).

        Each page is driven at every size in turn, then again in the reverse order (half
        the time each), so that a drift in the machine's speed weighs on both sizes alike;
        the trivial view is driven just before each of those runs, so that a page's share
        of it compares two figures taken seconds apart; and in the cached mode each page's
        runs under writes follow its undisturbed runs at once, for the same reason.
        """
        engine = sites[0].engine
        directory = Path(tempfile.mkdtemp(prefix="bench-paths-"))
        targets: dict[int, list[Target]] = {}
        queries: dict[int, dict[str, int]] = {}
        addresses: dict[int, int] = {}
        for site in sites:
            self.stdout.write(f"Preparing data ({engine}): demo + {site.scale} clinics…")
            site.prepare(reuse=quick)
            site_dir = directory / str(site.scale)
            site_dir.mkdir()
            targets[site.scale] = [
                Target(page, paths, site_dir) for page, paths in _targets(site, smoke).items()
            ]
            single = [t.paths[0] for t in targets[site.scale] if t.file is None]
            queries[site.scale] = json.loads(
                site.manage("bench_pipeline", "queries", *single, mode="cold")
            )
        # The clinic inbox with INBOX_REQUESTS requests, signed in (not a public page: it
        # is never cached, so it is measured cold, at demo size).
        inbox = None
        if not smoke:
            inbox = json.loads(
                sites[0].manage("bench_pipeline", "inbox", str(INBOX_REQUESTS), mode="cold")
            )
        order = sites + sites[::-1] if len(sites) > 1 else sites
        each = max(1, seconds // 2) if len(sites) > 1 else seconds
        try:
            for mode in ("cold", "cached"):
                for site in sites:
                    site.serve(mode)
                    if mode == "cached" and not smoke:
                        site.start_writer()
                try:
                    if mode == "cold":
                        for site in sites:
                            addresses[site.scale] = _addresses_listed(
                                site.url(_path_of(targets[site.scale], "sitemap-page"))
                            )
                    if mode == "cached" and smoke:
                        self._smoke_cached(sites[0], targets[sites[0].scale], extra)
                    for index in range(len(targets[sites[0].scale])):
                        page = targets[sites[0].scale][index].page
                        if smoke and mode == "cached" and page not in ("trivial", *SPREADS):
                            continue
                        self._measure_target(
                            sites,
                            order,
                            index,
                            mode,
                            each,
                            connections,
                            targets,
                            rows,
                            queries,
                            addresses,
                            smoke,
                        )
                    if mode == "cold" and inbox is not None:
                        self._measure_inbox(sites[0], inbox, rows, each, connections)
                    first = sites[0]
                    if mode == "cached" and engine == extra["engines"][0] and not quick:
                        # One client per web worker, then twice as many (queueing shows).
                        extra["quote_post"] = [
                            quote_post_latencies(first, SECRET, concurrency=n) for n in (2, 4)
                        ]
                    for site in sites:
                        key = f"{engine}-{site.scale}-{mode}"
                        extra.setdefault("web_worker_rss_mb", {})[key] = site.worker_memory_mb()
                finally:
                    for site in sites:
                        site.stop_writer()
                        site.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        if engine == extra["engines"][0] and not quick:
            first = sites[0]
            extra["sanitise"] = {
                kind: json.loads(first.manage("bench_pipeline", "sanitise", kind))
                for kind in ("jpeg", "png")
            }
            extra["fan_out_100"] = _fan_out(first)

    def _measure_target(
        self,
        sites: list[Site],
        order: list[Site],
        index: int,
        mode: str,
        each: int,
        connections: int,
        targets: dict[int, list[Target]],
        rows: list[dict],
        queries: dict[int, dict[str, int]],
        addresses: dict[int, int],
        smoke: bool = False,
    ) -> None:
        """One row of the table, at each size: the target driven in `order`, then (cached)
        driven in `order` again while listings are saved, so the two are seconds apart.

        A smoke run has no writes, and drives the trivial view once a mode (its own row,
        which each page's share is then of) rather than beside every page: a tenfold
        regression shows through any drift of a minute."""
        page = targets[sites[0].scale][index].page
        writes = mode == "cached" and page not in REFERENCES and not smoke
        phases = [mode] + (["writes"] if writes else [])
        runs: dict[str, dict[int, list[dict]]] = {p: {s.scale: [] for s in sites} for p in phases}
        trivial: dict[str, dict[int, list[dict]]] = {
            p: {s.scale: [] for s in sites} for p in phases
        }
        saves: dict[int, int] = {site.scale: 0 for site in sites}
        for site in sites:
            _warm_up(site, targets[site.scale][index], connections, mode, smoke)
        for phase in phases:
            for site in order:
                target = targets[site.scale][index]
                if page != "trivial" and not smoke:  # its own yardstick, measured before it
                    trivial[phase][site.scale].append(
                        wrk(site.url(TRIVIAL), max(1, each // 2), connections)
                    )
                if phase != "writes":
                    runs[phase][site.scale].append(_drive(site, target, each, connections))
                    continue
                site.writes(on=True)
                try:
                    runs[phase][site.scale].append(_drive(site, target, each, connections))
                finally:
                    saves[site.scale] += site.writes(on=False)["saves"]
        for site in sites:
            target = targets[site.scale][index]
            base = {
                "page": page,
                "url": target.label,
                "engine": site.engine,
                "scale": site.scale,
                "queries": queries[site.scale].get(target.paths[0]) if not target.file else None,
            }
            if page == "sitemap-page":
                base["addresses"] = addresses[site.scale]
            undisturbed = 0.0
            for phase in phases:
                result = _combined(runs[phase][site.scale])
                if trivial[phase][site.scale]:
                    result["trivial_rps"] = _combined(trivial[phase][site.scale])["rps"]
                if phase == "writes":
                    result["of_undisturbed"] = (
                        round(result["rps"] / undisturbed, 3) if undisturbed else 0.0
                    )
                    result["saves"] = saves[site.scale]
                else:
                    undisturbed = result["rps"]
                rows.append({**base, "mode": phase, **result})
                self._progress(rows[-1])

    def _measure_inbox(
        self, site: Site, inbox: dict, rows: list[dict], seconds: int, connections: int
    ) -> None:
        """The signed-in clinic inbox, beside the trivial view: the same cookie on every
        request (gunicorn's workers each read the session)."""
        headers = {"Cookie": inbox["cookie"]}
        url = site.url(inbox["path"])

        def fetch(_: int) -> None:
            request = urllib.request.Request(url, headers=headers)
            urllib.request.urlopen(request, timeout=60).read()

        with ThreadPoolExecutor(connections) as pool:
            list(pool.map(fetch, range(connections * 4)))
        trivial = wrk(site.url(TRIVIAL), max(1, seconds // 2), connections)
        result = wrk(url, seconds, connections, headers=headers)
        rows.append(
            {
                "page": f"inbox-{inbox['requests']}",
                "url": inbox["path"],
                "engine": site.engine,
                "scale": site.scale,
                "queries": inbox["queries"],
                "mode": "cold",
                **result,
                "trivial_rps": trivial["rps"],
            }
        )
        self._progress(rows[-1])

    def _smoke_cached(self, site: Site, targets: list[Target], extra: dict) -> None:
        """Each page kind asked twice in the cached mode: the second answer must come from
        the page cache (`X-Page-Cache: hit`).

        A cached page is answered by one path whatever the page (a look-up, the tokens
        filled in), which the spreads' cached runs time; what makes one page kind an order
        of magnitude slower cached is falling out of the cache (a cookie, a `Vary`, a CSRF
        token written without the tag), from about the trivial view's rate to its cold
        rate. That is asked here, without a timing, for every page kind.
        """
        not_cached = []
        for target in targets:
            if target.page in REFERENCES or target.file is not None:
                continue
            url = site.url(target.paths[0])
            urllib.request.urlopen(url, timeout=60).read()
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                answer = response.headers.get("X-Page-Cache")
            self.stdout.write(f"  cached {target.page:15} {answer or 'not cached'}")
            if answer != "hit":
                not_cached.append(target.page)
        extra["not_cached"] = not_cached

    def _progress(self, row: dict) -> None:
        self.stdout.write(
            f"  {row['engine']:10} {row['scale']:>6} {row['mode']:6} {row['page']:15} "
            f"{row['rps']:>8.0f} req/s  p50 {row['p50_ms']:.1f} ms  p99 {row['p99_ms']:.1f} ms"
            + (f"  {row['saves']} saves" if "saves" in row else "")
        )


def _targets(site: Site, smoke: bool = False) -> dict[str, list[str]]:
    """Each row's addresses: one per page kind, a list for each spread (a smoke run's
    shorter: it fills the cache with each address before its cached run)."""
    pages: dict[str, list[str]] = {}
    for page, path in _page_urls(site):
        pages[page] = [path]
        # Each German row measured right after its English one, so that the two figures
        # the German verdict compares are taken as close together as the table allows.
        if not smoke and page in GERMAN_PAGES:
            pages[GERMAN + page] = [f"/de{path}"]
    sizes = (SMOKE_SPREAD, SMOKE_SPREAD) if smoke else (SPREAD_PROFILES, SPREAD_CITIES)
    spread = json.loads(site.manage("bench_pipeline", "spread", *map(str, sizes)))
    pages["spread-profiles"] = spread["profiles"]
    pages["spread-cities"] = spread["cities"]
    return pages


def _path_of(targets: list[Target], page: str) -> str:
    return next(t.paths[0] for t in targets if t.page == page)


def _addresses_listed(url: str) -> int:
    """How many addresses a sitemap page lists."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().count(b"<loc>")


def _combined(runs: list[dict]) -> dict:
    """One figure from a page's runs at one size: the mean rate and median, the worst tail.
    A run that completed no request has no latency to average (wrk says 0)."""
    timed = [r for r in runs if r.get("requests", 1)] or runs
    result = {
        "rps": round(sum(r["rps"] for r in runs) / len(runs), 1),
        "p50_ms": round(sum(r["p50_ms"] for r in timed) / len(timed), 2),
        "p99_ms": max(r["p99_ms"] for r in timed),
    }
    errors = sum(r.get("errors", 0) for r in runs)
    if errors:
        result["errors"] = errors
    socket_errors = [r["socket_errors"] for r in runs if r.get("socket_errors")]
    if socket_errors:
        result["socket_errors"] = "; ".join(socket_errors)
    return result


def _warm_up(site: Site, target: Target, connections: int, mode: str, smoke: bool = False) -> None:
    """Requests at once before measuring, so that every worker, not just the one that
    happens to accept a lone request, has loaded what a first request loads (the spelling
    corpus, say); cached, every address of a spread once, so that its run measures the
    steady state of production's cache rather than its filling. A smoke run sends one
    round of `connections` requests, enough to reach each of the two workers."""
    rounds = 1 if smoke else 4
    paths = target.paths * (connections * rounds)
    if target.file and mode == "cached":
        paths = target.paths
    elif target.file:
        paths = paths[: connections * rounds]

    def fetch(path: str) -> None:
        try:
            urllib.request.urlopen(site.url(path), timeout=60).read()
        except OSError:
            # A page slower than gunicorn's 30 s timeout, or answering an error: the run
            # that follows counts and shows it, and the bench goes on to the next page.
            pass

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(fetch, paths))


def _drive(site: Site, target: Target, seconds: int, connections: int) -> dict:
    """wrk on a target; run again, four times as long each time (twice at most), while
    too few requests completed to say anything: a page slower than the run is long
    completes none (a quick run's second is shorter than some cold pages on a busy
    machine, with four requests sharing two workers)."""
    result = wrk(site.url(target.paths[0]), seconds, connections, target.file)
    for longer in (seconds * 4, seconds * 16):
        if result["requests"] >= connections:
            break
        result = wrk(site.url(target.paths[0]), longer, connections, target.file)
    return result


def _baseline(rows: list[dict]) -> dict:
    """Per engine and page at demo size: its ratio cold and cached, its queries."""
    found: dict = {}
    for row in rows:
        if row["scale"] != 100 or row["mode"] not in MODE_ENV:
            continue
        page = found.setdefault(row["engine"], {}).setdefault(row["page"], {})
        page[row["mode"]] = row["ratio"]
        if row["mode"] == "cold" and row.get("queries") is not None:
            page["queries"] = row["queries"]
    return found


def _regressions(rows: list[dict], baseline: dict) -> list[str]:
    """Pages an order of magnitude below their baseline ratio, or making more queries."""
    failures = []
    for row in rows:
        known = baseline.get(row["engine"], {}).get(row["page"])
        if row["scale"] != 100 or row["mode"] not in MODE_ENV or known is None:
            continue
        floor = (known.get(row["mode"]) or 0) / SMOKE_SLOWDOWN
        if row["ratio"] is not None and row["ratio"] < floor:
            failures.append(
                f"{row['engine']} {row['page']} {row['mode']}: {row['ratio']:.3f} of the "
                f"trivial view, baseline {known[row['mode']]:.3f}"
            )
        queries, allowed = row.get("queries"), known.get("queries")
        if row["mode"] == "cold" and queries is not None and allowed is not None:
            if queries > allowed:
                failures.append(
                    f"{row['engine']} {row['page']}: {queries} queries, baseline {allowed}"
                )
    return failures


def _page_urls(site: Site) -> list[tuple[str, str]]:
    paths = json.loads(site.manage("bench_pipeline", "urls"))
    return [
        ("trivial", TRIVIAL),
        ("home", "/"),
        ("countries", "/clinics/"),
        ("country", paths["country"]),
        ("city-100", paths["city"]),
        # Two services, a language and a sort: the counts of every option, then the page.
        (
            "city-filtered",
            paths["city"] + "?service=womens-smp&service=alopecia&language=es&sort=price",
        ),
        ("clinic", paths["clinic"]),
        ("search", "/search/?q=london"),
        # A typo: read by spelling against the whole gazetteer.
        ("search-typo", "/search/?q=lodnon"),
        # A typed town: a visitor's own coordinates are never cached, so they would measure
        # the cold page twice.
        ("near-me", "/near-me/?place=Manchester"),
        ("article", paths["article"]),
        ("faq", "/faq/"),
        ("training", "/training/"),
        ("training-class", paths["training_class"]),
        ("sitemap-index", "/sitemap.xml"),
        ("sitemap-page", paths["sitemap_page"]),
        ("static", paths["static"]),
    ]


def _fan_out(site: Site) -> dict:
    if not site.redis_url:
        return {"skipped": "needs Redis for a real Celery worker"}
    _flush_redis(site.redis_url)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "smp_site",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(3)  # the worker connects
        return json.loads(site.manage("bench_pipeline", "fan-out"))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)


def _add_ratios(rows: list[dict]) -> None:
    """Each page's share of the trivial view: the runs of it taken beside the page's own
    (`trivial_rps`), or else the trivial view's row of the same engine, size and mode."""
    trivial = {
        (r["engine"], r["scale"], r["mode"]): r["rps"] for r in rows if r["page"] == "trivial"
    }
    for row in rows:
        base = row.get("trivial_rps") or trivial.get((row["engine"], row["scale"], row["mode"]))
        row["ratio"] = round(row["rps"] / base, 3) if base else None


def _size_comparisons(rows: list[dict]) -> list[dict]:
    """Each cell at the largest size as a share of the same cell at demo size (100), per
    engine, page and mode (cold, cached). A sitemap page lists more addresses as the
    directory grows, so it is compared per address: requests/s × addresses listed."""
    cells = {(r["engine"], r["page"], r["mode"], r["scale"]): r for r in rows}
    largest = max((r["scale"] for r in rows), default=100)
    if largest == 100:
        return []
    comparisons = []
    for (engine, page, mode, scale), large in cells.items():
        small = cells.get((engine, page, mode, 100))
        if scale != largest or mode not in MODE_ENV or small is None or not small["rps"]:
            continue
        per_address = "addresses" in large and "addresses" in small
        rate = large["rps"] * large["addresses"] if per_address else large["rps"]
        rate_small = small["rps"] * small["addresses"] if per_address else small["rps"]
        comparisons.append(
            {
                "engine": engine,
                "page": page,
                "mode": mode,
                "scale": scale,
                "share": round(rate / rate_small, 3),
                "per_address": per_address,
            }
        )
    return comparisons


def _german_shares(rows: list[dict]) -> list[tuple[str, float | None]]:
    """Each German row's throughput as a share of its English row's (same engine, size and
    mode, measured in this run)."""
    english = {(r["engine"], r["scale"], r["mode"], r["page"]): r for r in rows}
    shares: list[tuple[str, float | None]] = []
    for row in rows:
        if not row["page"].startswith(GERMAN) or row["mode"] not in MODE_ENV:
            continue
        page = row["page"].removeprefix(GERMAN)
        other = english.get((row["engine"], row["scale"], row["mode"], page))
        if other is None or not other.get("ratio") or row.get("ratio") is None:
            continue
        name = f"{row['engine']} {row['page']} {row['mode']} at {row['scale']:,}"
        shares.append((name, round(row["ratio"] / other["ratio"], 3)))
    return shares


def _verdicts(rows: list[dict], comparisons: list[dict]) -> list[dict]:
    """Each Done-when line with pass, fail or "not measured" (a quick run has no 10,000),
    its worst case and every case below the threshold."""
    kinds = [r for r in rows if r["page"] not in REFERENCES + SPREADS]
    largest = max((r["scale"] for r in rows), default=100)

    def where(row: dict) -> str:
        return f"{row['engine']} {row['page']} at {row['scale']:,}"

    cases: dict[str, list[tuple[str, float | None]]] = {
        "cold": [(where(r), r["ratio"]) for r in kinds if r["mode"] == "cold"],
        "cached": [(where(r), r["ratio"]) for r in kinds if r["mode"] == "cached"],
        "spread": [
            (where(r), r["ratio"])
            for r in rows
            if r["page"] == "spread-profiles"
            and r["mode"] == "cached"
            and r["scale"] >= 10_000
            and r["scale"] == largest
        ],
        "size": [
            (
                f"{c['engine']} {c['page']} {c['mode']}"
                + (" per address" if c["per_address"] else ""),
                c["share"],
            )
            for c in comparisons
            if c["page"] not in REFERENCES
        ],
        "writes": [(where(r), r["of_undisturbed"]) for r in kinds if r["mode"] == "writes"],
        "german": _german_shares(rows),
    }
    verdicts = []
    for key, line in DONE_WHEN.items():
        threshold = THRESHOLDS[key]
        measured = [(name, value or 0.0) for name, value in cases[key]]
        below = [f"{name}: {value:.0%}" for name, value in measured if value < threshold]
        worst = min(measured, key=lambda case: case[1]) if measured else None
        verdicts.append(
            {
                "key": key,
                "line": line,
                "threshold": threshold,
                "status": "not measured" if not measured else "fail" if below else "pass",
                "worst": f"{worst[0]}: {worst[1]:.0%}" if worst else None,
                "below": below,
            }
        )
    return verdicts


def _verdict_lines(verdicts: list[dict]) -> list[str]:
    lines = []
    for v in verdicts:
        status = v["status"].upper()
        detail = f" (worst: {v['worst']})" if v["worst"] else ""
        lines.append(f"- {status}: {v['line']}{detail}")
        if v["below"]:
            lines.append(f"  - below {v['threshold']:.0%}: " + "; ".join(v["below"]))
    return lines


def _print_table(
    out: TextIO, rows: list[dict], comparisons: list[dict], verdicts: list[dict], extra: dict
) -> None:
    out.write("")
    out.write(
        f"{'engine':10} {'page':15} {'scale':>6} {'mode':>6} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'ratio':>6} {'queries':>7}"
    )
    for r in rows:
        queries = "" if r.get("queries") is None else r["queries"]
        out.write(
            f"{r['engine']:10} {r['page']:15} {r['scale']:>6} {r['mode']:>6} {r['rps']:>9.0f} "
            f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['ratio'] or 0:>6.2f} {queries:>7}"
        )
    out.write("")
    for engine in extra["engines"]:
        out.write(f"{engine}:")
        out.write("")
        out.write(
            _markdown_table(
                [r for r in rows if r["engine"] == engine],
                [c for c in comparisons if c["engine"] == engine],
            )
        )
        out.write("")
    out.write("Done when:")
    for line in _verdict_lines(verdicts):
        out.write(line)
    out.write("")
    out.write(json.dumps({k: v for k, v in extra.items() if k != "machine"}, indent=2))


def _markdown_table(rows: list[dict], comparisons: list[dict]) -> str:
    """One engine's table: each page cold, cached and under writes at each size, then the
    largest size as a share of the demo size."""
    sizes = sorted({r["scale"] for r in rows})
    cell = {(r["page"], r["scale"], r["mode"]): r for r in rows}
    share = {(c["page"], c["mode"]): c for c in comparisons}
    columns = [(size, mode) for size in sizes for mode in ("cold", "cached", "writes")]
    names = {100: "demo", **{s: f"{s:,}" for s in sizes if s != 100}}
    titles = {"cold": "cold", "cached": "cached", "writes": "under writes"}
    header = ["page", "queries"] + [f"{names[size]} {titles[mode]}" for size, mode in columns]
    if len(sizes) > 1:
        header += [f"{names[sizes[-1]]} vs demo, cold", "cached"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for page in dict.fromkeys(r["page"] for r in rows):
        first = cell.get((page, sizes[0], "cold"))
        queries = first.get("queries") if first else None
        values = [page, "" if queries is None else str(queries)]
        for size, mode in columns:
            r = cell.get((page, size, mode))
            if r is None:
                values.append("")
                continue
            if mode == "writes":
                values.append(
                    f"{_rate(r['rps'])}/s ({r['of_undisturbed']:.0%} of undisturbed), "
                    f"p99 {r['p99_ms']:.0f} ms, {r['saves']} saves"
                )
            else:
                values.append(
                    f"{_rate(r['rps'])}/s ({(r['ratio'] or 0):.0%}), p50 {r['p50_ms']:.1f} ms, "
                    f"p99 {r['p99_ms']:.0f} ms"
                )
            # A fast error is no result: say so in the cell.
            if r.get("errors"):
                values[-1] += f", **{r['errors']} non-2xx/3xx**"
            if r.get("socket_errors"):
                values[-1] += f", **socket errors {r['socket_errors']}**"
        if len(sizes) > 1:
            for mode in MODE_ENV:
                c = share.get((page, mode))
                values.append(
                    f"{c['share']:.0%}" + (" per address" if c["per_address"] else "") if c else ""
                )
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def _rate(rps: float) -> str:
    """Requests per second as the table shows them: a tenth where a page is that slow."""
    return f"{rps:.1f}" if rps < 10 else f"{rps:.0f}"


def _results_document(report: dict, extra: dict, argv: list[str]) -> str:
    """docs/performance-results.md: what a full run measured, where and with what."""
    machine = report["machine"]
    rows = report["rows"]
    lines = [
        "# Performance results",
        "",
        f"Written by `manage.py bench` ({' '.join(argv)}) on {report['date']} (UTC); "
        "how to run it and what each figure means: docs/performance.md.",
        "",
        "## Machine",
        "",
        *(f"- {name}: {value}" for name, value in machine.items()),
        f"- gunicorn workers: {extra['gunicorn']['workers']} "
        f"(threads {extra['gunicorn']['threads']}); wrk over {extra['connections']} "
        f"connections, {extra['seconds']} s a page and mode, on the same machine",
        "",
        "Each cell: requests per second (share of the trivial view driven beside it), median "
        "and worst 99th-percentile latency. `cold`: no page cache and no per-process cache; "
        "`cached`: production's cache; `under writes`: cached while a listing is saved every "
        "second, as a share of the undisturbed cached run just before it. The spreads ask "
        f"for a random address of a list each request: {SPREAD_PROFILES} clinic profiles "
        f"and {SPREAD_CITIES} city pages across the whole directory (all of them where "
        "there are fewer). Queries: a warm process, cold.",
        "",
    ]
    for engine in report["options"]["engines"]:
        lines += [
            f"## {engine}",
            "",
            _markdown_table(
                [r for r in rows if r["engine"] == engine],
                [c for c in report["size_comparisons"] if c["engine"] == engine],
            ),
            "",
        ]
    lines += ["## Done when", "", *_verdict_lines(report["verdicts"]), ""]
    pipeline = {k: extra[k] for k in ("sanitise", "fan_out_100", "quote_post") if k in extra}
    if pipeline:
        lines += ["## Photo pipeline", "", "```json", json.dumps(pipeline, indent=2), "```", ""]
    return "\n".join(lines)


def _version(command: list[str], pattern: str) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except OSError:
        return "unknown"
    match = re.search(pattern, out.stdout + out.stderr)
    return match.group(1) if match else "unknown"


def _machine(postgres: str | None, redis_url: str) -> dict[str, str]:
    """Where the figures were measured: the hardware and every piece of the stack."""
    cpu, memory = "unknown CPU", "unknown"
    try:
        cpu = found(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        kib = int(found(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        redis_version = str(client.info("server")["redis_version"])
    finally:
        client.close()
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "CPU": cpu,
        "Python": sys.version.split()[0],
        "Django": django.get_version(),
        "PostgreSQL": (
            str(_postgres_one(postgres, "SHOW server_version")) if postgres else "not used"
        ),
        "SQLite": sqlite3.sqlite_version,
        "Redis": redis_version,
        "gunicorn": importlib.metadata.version("gunicorn"),
        "wrk": _version(["wrk", "-v"], r"wrk (?:debian/)?(\S+)"),
    }
