"""`make reload` into a running `make prod` (deploy/prod.py, as the operator starts it):
every gunicorn worker, the Celery worker and beat are replaced while clients keep asking
for pages through nginx, and not one request fails."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy.prod import free_port
from tests.factories import ClinicFactory
from tests.integration.conftest import RedisServer, database_url, wait_for
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/clinics/", "/faq/", "/healthz/ready/"]

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in out.split()]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


class Prod:
    """`python -m deploy.prod` (what make prod runs) in its own process."""

    def __init__(self, tmp_path: Path):
        self.run_dir = tmp_path / "prod"
        self.port = free_port()
        self.log = tmp_path / "prod.log"
        self.redis = RedisServer(tmp_path)
        self.process: subprocess.Popen | None = None
        self.env = {
            "PATH": f"/usr/sbin:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "DATABASE_URL": database_url(),
            "PRIVATE_FILES_ROOT": str(tmp_path / "private"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "NO_PROXY": "127.0.0.1,localhost",
        }

    def start(self) -> None:
        self.redis.start()
        self.env["REDIS_URL"] = self.redis.url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "deploy.prod", "--port", str(self.port)]
            + ["--run-dir", str(self.run_dir)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "Serving" in self.log.read_text(), 180, message="make prod to serve")

    def processes(self) -> dict[str, set[int]]:
        """gunicorn's workers, the Celery worker's main process and beat."""
        found: dict[str, set[int]] = {"gunicorn": set(), "worker": set(), "beat": set()}
        assert self.process is not None
        for pid in children(self.process.pid):
            line = command_line(pid)
            if "gunicorn" in line:
                found["gunicorn"].update(children(pid))
            elif " worker" in line:
                found["worker"].add(pid)
            elif " beat" in line:
                found["beat"].add(pid)
        return found

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(90)
        self.redis.stop()


@pytest.fixture
def prod(tmp_path):
    for program in ("nginx", "envsubst", "redis-server", "pgrep"):
        if not shutil.which(program) and not shutil.which(f"/usr/sbin/{program}"):
            missing(f"{program} is not installed (make prod needs nginx and gettext-base)")
    running = Prod(tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()


class Clients:
    """Threads asking for pages through nginx until told to stop; every answer kept."""

    def __init__(self, url: str, count: int = 4):
        self.url = url
        self.answers: list[tuple[int, str]] = []  # (answers before it, status or error)
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(count)]

    def run(self, n: int) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while not self.done.is_set():
            path = PAGES[(n + len(self.answers)) % len(PAGES)]
            try:
                with opener.open(self.url + path, timeout=60) as response:
                    response.read()
                    outcome = str(response.status)
            except urllib.error.HTTPError as error:
                outcome = f"{error.code} {path}"
            except OSError as error:
                outcome = f"{type(error).__name__} {path}: {error}"
            with self.lock:
                self.answers.append((len(self.answers), outcome))

    def count(self) -> int:
        with self.lock:
            return len(self.answers)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join(90)


def test_make_reload_replaces_every_process_without_a_failed_request(prod):
    ClinicFactory()  # a directory with a listed clinic in it
    url = f"http://127.0.0.1:{prod.port}"
    before = prod.processes()
    assert len(before["gunicorn"]) == 2 and before["worker"] and before["beat"]

    with Clients(url) as clients:
        wait_for(lambda: clients.count() >= 20, 120, message="pages answering")
        signalled = clients.count()
        reload = subprocess.run(
            ["make", "--no-print-directory", "reload", f"PROD_DIR={prod.run_dir}"],
            cwd=ROOT,
            env=prod.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert reload.returncode == 0, reload.stdout + reload.stderr

        def replaced() -> bool:
            now = prod.processes()
            return (
                "reloaded" in prod.log.read_text()
                and len(now["gunicorn"]) == 2
                and not now["gunicorn"] & before["gunicorn"]
                and now["worker"]
                and not now["worker"] & before["worker"]
                and now["beat"]
                and not now["beat"] & before["beat"]
            )

        wait_for(replaced, 180, interval=0.1, message="every process replaced")
        reloaded = clients.count()
        wait_for(lambda: clients.count() >= reloaded + 20, 120, message="pages after it")

    failed = [outcome for _, outcome in clients.answers if outcome != "200"]
    assert failed == []
    assert reloaded - signalled > 0  # pages were asked for while the processes changed
    assert prod.process.poll() is None  # make prod serves on
