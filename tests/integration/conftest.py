"""Real services for the quote pipeline: a redis-server of the test's own, and Celery
worker processes started from this checkout, sharing the test database."""

import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def broker_idle(redis_url: str) -> bool:
    """No task message waiting in the queue, nor one a worker holds and has not finished:
    tasks are acknowledged late, so a running task's message stays in kombu's `unacked`
    hash until it ends (or its process dies and the message goes back to the queue)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        return client.llen("celery") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


class RedisServer:
    """A redis-server that keeps nothing on disk, which a test may stop, pause or flush."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 60, message="redis-server to answer")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def flush(self):
        import redis

        redis.Redis.from_url(self.url).flushall()


def database_url() -> str:
    """The test database, as a URL a separate process can open."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    raise RuntimeError(f"no URL for {connection.vendor}")


WORKER_ARGS = [
    "worker",
    "--concurrency=2",
    "--loglevel=INFO",
    "--without-gossip",
    "--without-mingle",
]


class Worker:
    """`celery -A smp_site worker` plus `celery -A smp_site beat`, as in docker-compose.

    Beat runs as its own process so that killing the worker's pool processes leaves
    the sweeper running.
    """

    def __init__(self, tmp: Path, env: dict):
        self.tmp = tmp
        self.env = env
        self.process = None
        self.beat = None
        self.log = tmp / "worker.log"

    def _spawn(self, args: list[str], env: dict) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "smp_site", *args],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self, **extra_env):
        env = {**os.environ, **self.env, **{k: str(v) for k, v in extra_env.items()}}
        self.process = self._spawn(WORKER_ARGS, env)
        self.beat = self._spawn(
            ["beat", "--loglevel=INFO", "--schedule", str(self.tmp / "beat-schedule")], env
        )
        wait_for(lambda: "ready." in self.log.read_text(), 180, message="the Celery worker")

    def restart_worker(self, **extra_env) -> None:
        """Kill the whole worker (main process and pool) and start a new one; beat runs on."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        ready = self.log.read_text().count("ready.")
        env = {**os.environ, **self.env, **{k: str(v) for k, v in extra_env.items()}}
        self.process = self._spawn(WORKER_ARGS, env)
        wait_for(lambda: self.log.read_text().count("ready.") > ready, 180, message="a new worker")

    def children(self) -> list[int]:
        """The worker's pool processes, which run the tasks."""
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self):
        for process in (self.process, self.beat):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def sent_emails(folder: Path) -> list[email.message.Message]:
    """Every message the file email backend wrote to a folder."""
    messages = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.lstrip(b"\n")))
    return messages


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        missing("redis-server is not installed (apt-get install -y redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.resume() if server.process and server.process.poll() is None else None
    server.stop()


@pytest.fixture
def redis_waits(monkeypatch) -> list[str]:
    """Each time this process gave up on Redis (refused, or its socket timeout ran out),
    named by the breaker that then lets requests skip Redis for a few seconds."""
    from common.fail_open import Breaker

    waits: list[str] = []
    failed = Breaker.failed

    def counted(self, action, exc):
        waits.append(self.name)
        failed(self, action, exc)

    monkeypatch.setattr(Breaker, "failed", counted)
    return waits


def assert_redis_bounded(settings, waits: list[str], what: str) -> None:
    """What holds a request while Redis is away is bounded by the socket timeouts, not by
    luck: each connection (the cache and the broker) has one, and a request waited on each
    at most once before its breaker let it skip Redis."""
    from smp_site.celery import app

    cache_options = settings.CACHES["default"]["OPTIONS"]
    broker_options = app.conf.broker_transport_options
    for options in (cache_options, broker_options):
        assert 0 < options["socket_timeout"] <= 1 and 0 < options["socket_connect_timeout"] <= 1
    assert max(Counter(waits).values(), default=0) <= 1, f"{what} waited: {waits}"


@pytest.fixture
def outbox_dir(tmp_path) -> Path:
    return tmp_path / "emails"


@pytest.fixture
def pipeline_env(settings, tmp_path, redis_server, outbox_dir):
    """Point this process and its workers at the same database, Redis and folders.

    This process's cache is that Redis too, and the rate limits are on, as in production
    (tests/conftest.py turns them off for the other tests).
    """
    from smp_site.celery import app

    # Not the settings fixture: tests/conftest.py clears the cache after the test, when
    # this Redis has stopped; override_settings is undone first, at this fixture's end.
    shared = override_settings(
        REDIS_URL=redis_server.url,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_server.url,
                "KEY_PREFIX": "smp",
                "OPTIONS": {
                    "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
                    "socket_connect_timeout": settings.REDIS_SOCKET_TIMEOUT,
                },
            }
        },
    )
    shared.enable()
    settings.QUOTE_RATE_LIMIT = "5/h"
    settings.CLINIC_APPLICATION_RATE_LIMIT = "3/h"

    private = tmp_path / "private"  # the folder tests/conftest.py gives this test's photos
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    _reset_broker_connections(app)
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "tests.integration.backends.SlowFileBackend",
        "EMAIL_FILE_PATH": str(outbox_dir),
        "PRIVATE_FILES_ROOT": str(private),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WORK_LEASE_SECONDS": "6",
        "OUTBOX_SEND_TAKEOVER_GRACE_SECONDS": "2",
        "SWEEP_AFTER_SECONDS": "3",
        "SWEEP_INTERVAL_SECONDS": "2",
        "OUTBOX_SEND_BACKOFF_SECONDS": "1",
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "SITE_URL": "http://testserver",
        # The settings refuse a SITE_URL whose host the site would not answer to.
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DEBUG": "true",
    }
    yield env
    shared.disable()
    app.conf.update(broker_url=saved["broker_url"], task_always_eager=saved["task_always_eager"])
    _reset_broker_connections(app)


def _reset_broker_connections(app):
    """Forget pooled broker connections, so the next publish goes to the current broker_url."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(tmp_path, pipeline_env):
    workers = []

    def start(**extra_env) -> Worker:
        process = Worker(tmp_path, pipeline_env)
        process.start(**extra_env)
        workers.append(process)
        return process

    yield start
    for process in workers:
        process.stop()
