"""`make bench`: every kind of public page under load, side by side with a trivial view.

The site runs as in production (gunicorn, 2 workers, DEBUG off, Redis when it answers)
on loopback, with the demo data plus a city of 100 clinics, then again with `--scale`
clinics. wrk drives each URL for a fixed time, uncached and cached. The photo pipeline's
budget is measured too: sanitising a 15 MB JPEG and PNG, a city request fanned out to
100 clinics through a real Celery worker, and the quote POST with three 5 MB photos.
Results: a table on stdout and var/bench.json.

On PostgreSQL when DATABASE_URL points at a PostgreSQL server (what production uses),
and on SQLite too; on SQLite alone without one. The bench creates databases of its own on
that server, `<name>_bench_100` and `<name>_bench_<scale>`, and drops them when it ends;
it never touches the database DATABASE_URL names. The site runs with production's
database settings (persistent, health-checked connections).

`--quick` measures the demo size on one engine (PostgreSQL when there is one) for a
second a page (and a second of the trivial view beside it), and keeps its database for
the next quick run while the migrations and the demo data are unchanged: under two
minutes. `--smoke` is a quick run that fails only on
a gross regression against tools/bench_baseline.json (a page an order of magnitude
slower, relative to the trivial view of the same run, or a page making more queries);
CI runs it. `--write-baseline` records the run as that baseline.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tools.benchtools import found, quote_post_latencies, wrk

ROOT = Path(settings.BASE_DIR)
VAR = ROOT / "var"
BASELINE = ROOT / "tools" / "bench_baseline.json"
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"
# A smoke run fails when a page's share of the trivial view falls below its baseline share
# divided by this: an order of magnitude, far beyond what a busy machine does to a ratio.
SMOKE_SLOWDOWN = 10
# The trivial view every page is compared with (tools/urls.py).
TRIVIAL = "/_bench/hello/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    """Redis as in production, when it answers (REDIS_URL, else the local default port).

    Database 13 of that server (and 14 for the second size), flushed before each run;
    BENCH_REDIS_URL names another, and the one after it (on a machine where several
    people bench at once, each their own).
    """
    if os.environ.get("BENCH_REDIS_URL"):
        return _answering(os.environ["BENCH_REDIS_URL"])
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if _answering(url) is None:
        return None
    # A database of its own, flushed before each run.
    return re.sub(r"/\d*$", "", url) + "/13"


def _answering(url: str) -> str | None:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
    except Exception:
        return None
    return url


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


def _postgres_exists(url: str, name: str) -> bool:
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def _postgres_admin(url: str, sql: str) -> None:
    """Run one statement on the server's maintenance database."""
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


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
            "QUOTE_PHOTOS_ROOT": str(VAR / "bench-private"),
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
        # Production's database settings (smp_site/settings.py), not a developer's own.
        for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
            self.env.pop(name, None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        else:
            self.env.pop("REDIS_URL", None)
        self.server: subprocess.Popen | None = None
        self.port = 0
        # As in the bench's table; `--workers`/`--threads` compare other arrangements.
        self.workers, self.threads = 2, 1

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
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
        """Whether a kept database holds what preparing would make now."""
        if not self.stamp_file.exists() or self.stamp_file.read_text() != _data_stamp():
            return False
        if self.postgres:
            return _postgres_exists(self.postgres, self.postgres_db)
        return self.db.exists()

    def prepare(self, reuse: bool = False) -> None:
        if reuse and self.prepared():
            return
        self.stamp_file.unlink(missing_ok=True)
        if self.postgres:
            _postgres_admin(self.postgres, f'DROP DATABASE IF EXISTS "{self.postgres_db}"')
            _postgres_admin(self.postgres, f'CREATE DATABASE "{self.postgres_db}"')
        else:
            self.db.unlink(missing_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo", "--scale", str(self.scale))
        self.manage("collectstatic", "--noinput", "-v0")
        self.stamp_file.write_text(_data_stamp())

    def serve(self, mode: str) -> None:
        """Start gunicorn with the page cache off ("uncached"), with both tiers ("cached"),
        or with the shared tier alone ("shared": no in-process copies)."""
        self.port = _free_port()
        env = {
            **self.env,
            "PAGE_CACHE": "false" if mode == "uncached" else "true",
            "PAGE_CACHE_LOCAL_ENTRIES": "0" if mode == "shared" else "300",
        }
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
            env=env,
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
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

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
            _postgres_admin(
                self.postgres, f'DROP DATABASE IF EXISTS "{self.postgres_db}" WITH (FORCE)'
            )


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
        redis_url = _redis_url()
        self.stdout.write(f"Redis: {redis_url or 'not available (local-memory cache)'}")
        rows: list[dict] = []
        extra: dict = {
            "machine": _machine(),
            "redis": bool(redis_url),
            "seconds": seconds,
            "connections": connections,
            "gunicorn": {"workers": workers, "threads": threads},
        }
        sizes = [100] if quick else [100, scale]
        postgres = _postgres_url()
        wanted = [e for e in engines.split(",") if e] or (
            ["postgresql", "sqlite"] if postgres else ["sqlite"]
        )
        if quick and not engines:
            wanted = wanted[:1]
        if "postgresql" in wanted and not postgres:
            raise CommandError("PostgreSQL: set DATABASE_URL to a server, e.g. postgres://…/smp")
        extra["engines"] = wanted
        for engine in wanted:
            # Both sizes served at once, so that each page is measured at both sizes back
            # to back: this shared machine's speed drifts by 20% over minutes.
            sites = [
                Site(
                    size,
                    _redis_db(redis_url, offset) if redis_url else None,
                    postgres if engine == "postgresql" else None,
                )
                for offset, size in enumerate(sizes)
            ]
            for site in sites:
                site.workers, site.threads = workers, threads
            try:
                self._measure(sites, rows, extra, seconds, connections, quick)
            finally:
                if not quick:  # a quick run keeps its database for the next one
                    for site in sites:
                        site.drop()

        _add_ratios(rows)
        _print_table(self.stdout, rows, extra)
        (VAR / "bench.json").write_text(json.dumps(rows, indent=2))
        (VAR / "bench-extra.json").write_text(json.dumps(extra, indent=2))
        self.stdout.write("Wrote var/bench.json and var/bench-extra.json")
        if write_baseline:
            BASELINE.write_text(json.dumps(_baseline(rows), indent=2, sort_keys=True) + "\n")
            self.stdout.write(f"Wrote {BASELINE.relative_to(ROOT)}")
        if smoke:
            failures = _regressions(rows, json.loads(BASELINE.read_text()))
            if failures:
                raise CommandError("Gross regressions:\n  " + "\n  ".join(failures))
            self.stdout.write("Smoke: no page is an order of magnitude slower, no query added.")

    def _measure(self, sites, rows, extra, seconds, connections, quick):
        """Every page of one engine at each size, uncached and cached (and the pipeline once).

        Each page is driven at every size in turn, then again in the reverse order (half
        the time each), so that a drift in the machine's speed weighs on both sizes alike;
        and the trivial view is driven just before each of those runs, so that a page's
        share of it compares two figures taken seconds apart.
        """
        engine = sites[0].engine
        urls = {}
        for site in sites:
            self.stdout.write(f"Preparing data ({engine}): demo + {site.scale} clinics…")
            site.prepare(reuse=quick)
            urls[site.scale] = _page_urls(site)
        queries = {
            site.scale: json.loads(
                site.manage("bench_pipeline", "queries", *(p for _, p in urls[site.scale]))
            )
            for site in sites
        }
        redis = sites[0].redis_url
        # "shared" only with Redis, and not in a quick run: whether the in-process tier
        # earns its place.
        modes = ["uncached", "cached"] + (["shared"] if redis and not quick else [])
        order = sites + sites[::-1] if len(sites) > 1 else sites
        each = max(1, seconds // 2) if len(sites) > 1 else seconds
        for mode in modes:
            for site in sites:
                _flush_redis(site.redis_url)
                site.serve(mode)
            try:
                for index, (page, _path) in enumerate(urls[sites[0].scale]):
                    runs: dict[int, list[dict]] = {site.scale: [] for site in sites}
                    trivial: dict[int, list[dict]] = {site.scale: [] for site in sites}
                    for site in sites:
                        _warm_up(site.url(urls[site.scale][index][1]), connections)
                    for site in order:
                        path = urls[site.scale][index][1]
                        if page != "trivial":  # its own yardstick, measured just before it
                            trivial[site.scale].append(
                                wrk(site.url(TRIVIAL), max(1, each // 2), connections)
                            )
                        runs[site.scale].append(wrk(site.url(path), each, connections))
                    for site in sites:
                        path = urls[site.scale][index][1]
                        result = _combined(runs[site.scale])
                        if trivial[site.scale]:
                            result["trivial_rps"] = _combined(trivial[site.scale])["rps"]
                        rows.append(
                            {
                                "page": page,
                                "url": path,
                                "engine": engine,
                                "cached": mode != "uncached",
                                "mode": mode,
                                "scale": site.scale,
                                "queries": 0 if mode != "uncached" else queries[site.scale][path],
                                **result,
                            }
                        )
                        self.stdout.write(
                            f"  {engine:10} {site.scale:>6} {mode:8} {page:14} "
                            f"{result['rps']:>8.0f} req/s  p50 {result['p50_ms']:.1f} ms  "
                            f"p99 {result['p99_ms']:.1f} ms"
                        )
                first = sites[0]
                if mode == "cached" and engine == extra["engines"][0] and not quick:
                    # One client per web worker, then twice as many (queueing shows).
                    extra["quote_post"] = [
                        quote_post_latencies(first, SECRET, concurrency=n) for n in (2, 4)
                    ]
                for site in sites:
                    extra.setdefault("web_worker_rss_mb", {})[f"{engine}-{site.scale}-{mode}"] = (
                        site.worker_memory_mb()
                    )
            finally:
                for site in sites:
                    site.stop()
        if engine == extra["engines"][0] and not quick:
            first = sites[0]
            extra["sanitise"] = {
                kind: json.loads(first.manage("bench_pipeline", "sanitise", kind))
                for kind in ("jpeg", "png")
            }
            extra["fan_out_100"] = _fan_out(first)


def _combined(runs: list[dict]) -> dict:
    """One figure from a page's runs at one size: the mean rate and median, the worst tail."""
    result = {
        "rps": round(sum(r["rps"] for r in runs) / len(runs), 1),
        "p50_ms": round(sum(r["p50_ms"] for r in runs) / len(runs), 2),
        "p99_ms": max(r["p99_ms"] for r in runs),
    }
    errors = sum(r.get("errors", 0) for r in runs)
    if errors:
        result["errors"] = errors
    return result


def _redis_db(url: str, offset: int) -> str:
    """The Redis database `offset` places after the one `url` names: one per site."""
    match = re.search(r"/(\d+)$", url)
    if not match:
        return url.rstrip("/") + f"/{offset}"
    return url[: match.start()] + f"/{int(match.group(1)) + offset}"


def _warm_up(url: str, connections: int) -> None:
    """A few requests at once before measuring, so that every worker, not just the one
    that happens to accept a lone request, has loaded what a first request loads (the
    spelling corpus, the kept fragments)."""

    def fetch(_) -> None:
        urllib.request.urlopen(url, timeout=60).read()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(fetch, range(connections * 4)))


def _baseline(rows: list[dict]) -> dict:
    """Per engine and page at demo size: its ratio uncached and cached, its queries."""
    found: dict = {}
    for row in rows:
        if row["scale"] != 100 or row["mode"] == "shared":
            continue
        page = found.setdefault(row["engine"], {}).setdefault(row["page"], {})
        page[row["mode"]] = row["ratio"]
        if row["mode"] == "uncached":
            page["queries"] = row["queries"]
    return found


def _regressions(rows: list[dict], baseline: dict) -> list[str]:
    """Pages an order of magnitude below their baseline ratio, or making more queries."""
    failures = []
    for row in rows:
        known = baseline.get(row["engine"], {}).get(row["page"])
        if row["scale"] != 100 or row["mode"] == "shared" or known is None:
            continue
        floor = (known.get(row["mode"]) or 0) / SMOKE_SLOWDOWN
        if row["ratio"] is not None and row["ratio"] < floor:
            failures.append(
                f"{row['engine']} {row['page']} {row['mode']}: {row['ratio']:.3f} of the "
                f"trivial view, baseline {known[row['mode']]:.3f}"
            )
        if row["mode"] == "uncached" and row["queries"] > known["queries"]:
            failures.append(
                f"{row['engine']} {row['page']}: {row['queries']} queries, "
                f"baseline {known['queries']}"
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
        # the uncached page twice.
        ("near-me", "/near-me/?place=Manchester"),
        ("article", paths["article"]),
        ("faq", "/faq/"),
        ("sitemap-index", "/sitemap.xml"),
        ("sitemap-page", paths["sitemap_page"]),
        ("static", paths["static"]),
    ]


def _flush_redis(url: str | None) -> None:
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()


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


def _print_table(out, rows: list[dict], extra: dict) -> None:
    out.write("")
    out.write(
        f"{'engine':10} {'page':14} {'scale':>6} {'mode':>8} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'ratio':>6} {'queries':>7}"
    )
    for r in rows:
        out.write(
            f"{r['engine']:10} {r['page']:14} {r['scale']:>6} {r['mode']:>8} {r['rps']:>9.0f} "
            f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['ratio'] or 0:>6.2f} {r['queries']:>7}"
        )
    out.write("")
    for engine in extra["engines"]:
        out.write(_markdown_table([r for r in rows if r["engine"] == engine]))
        out.write("")
    out.write(json.dumps({k: v for k, v in extra.items() if k != "machine"}, indent=2))


def _markdown_table(rows: list[dict]) -> str:
    """README's table for one engine: each page uncached and cached, at each size."""
    sizes = sorted({r["scale"] for r in rows})
    cell = {(r["page"], r["scale"], r["mode"]): r for r in rows}
    columns = [(size, mode) for size in sizes for mode in ("uncached", "cached")]
    names = {100: "demo", **{s: f"{s:,}" for s in sizes if s != 100}}
    header = ["page", "queries"] + [f"{names[size]} {mode}" for size, mode in columns]
    if len(sizes) > 1:
        header += [f"{names[sizes[-1]]} vs demo, uncached", "cached"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for page in dict.fromkeys(r["page"] for r in rows):
        first = cell.get((page, sizes[0], "uncached"))
        values = [page, str(first["queries"]) if first else ""]
        for size, mode in columns:
            r = cell.get((page, size, mode))
            values.append(
                f"{r['rps']:.0f}/s ({(r['ratio'] or 0):.0%}), p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.0f} ms"
                if r
                else ""
            )
        if len(sizes) > 1:
            for mode in ("uncached", "cached"):
                small, large = cell.get((page, sizes[0], mode)), cell.get((page, sizes[-1], mode))
                values.append(f"{large['rps'] / small['rps']:.0%}" if small and large else "")
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"
