"""The faults of a real night on `make prod` (deploy/prod.py: nginx, gunicorn, a Celery
worker and beat, against the test database), each re-run end to end: an email provider
down for half an hour, a photo disk that fills up while the worker is stopped, and the
database refusing connections. Each time, nothing a client sent is lost or sent twice,
nobody gets the generic 500, no file is left that no row names, and the health check says
what is wrong while it is wrong.

Time is scaled where the product's own settings allow it (the outbox's back-off, the
sweeper, the heartbeat): the same code paths, minutes made seconds.
"""

import errno
import os
import re
import shutil
import signal
import subprocess
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
import requests
from django.db import connection

from deploy.prod import Arrangement, environment, free_port
from outbox.sending import outgoing_models
from quotes.models import QuoteDelivery, QuotePhoto, QuoteRequest
from tests import images
from tests.factories import CityFactory, ClinicFactory
from tests.integration.conftest import RedisServer, wait_for
from tests.production.esp_stub import PostmarkStub
from tests.production.local_site import site_env
from tests.quotes.support import form_token
from tests.services import missing

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The production back-off is 30 s doubling; here 0.1 s: one second here is five minutes
# there. Half an hour of outage is 6 s, and spans the first 7 tries of an email (the
# 7th falls 31.5 production minutes after the first): more than the 6 tries after which
# an email used to fail for good.
BACKOFF_SECONDS = 0.1
TRIES_IN_HALF_AN_HOUR = 7


class Prod:
    """`make prod`'s arrangement with a worker and beat, emails through a local stand-in
    for the provider's API, and what a test needs to break it and look at it."""

    def __init__(self, tmp_path: Path, esp: PostmarkStub, **env: str):
        self.tmp_path = tmp_path
        self.private = Path(env.pop("PRIVATE_FILES_ROOT", tmp_path / "private"))
        self.redis = RedisServer(tmp_path)
        self.redis.start()
        base = {
            **site_env(tmp_path, self.redis.url, PRIVATE_FILES_ROOT=str(self.private)),
            "ANYMAIL_ESP": "postmark",
            "ANYMAIL_API_KEY": "test-postmark-server-token",
            "ANYMAIL_API_URL": esp.url,
            "QUOTE_RATE_LIMIT": "100/h",  # every post comes from this machine's address
            "OUTBOX_SEND_BACKOFF_SECONDS": str(BACKOFF_SECONDS),
            "SWEEP_INTERVAL_SECONDS": "1",
            "SWEEP_AFTER_SECONDS": "2",
            "WORK_LEASE_SECONDS": "3",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "HEALTHZ_WORKER_SILENT_SECONDS": "5",
            "LOG_LEVEL": "INFO",
            "NO_PROXY": "127.0.0.1,localhost",
            **env,
        }
        run_dir = tmp_path / "prod"
        run_dir.mkdir()
        port = free_port()
        self.arrangement = Arrangement(
            port=port, env=environment(base, port=port, run_dir=run_dir), run_dir=run_dir
        )
        self.url = self.arrangement.url
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy from the environment between us and nginx

    def start(self) -> None:
        self.arrangement.prepare()
        self.arrangement.start()

    def stop(self) -> None:
        self.continue_worker()
        self.arrangement.stop()
        self.redis.stop()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.url + path, allow_redirects=False, timeout=60)

    def health(self) -> dict:
        return self.get("/healthz/ready/").json()

    def quote_form(self) -> dict[str, str]:
        """The form's fields as a browser gets them from the page (and its CSRF cookie)."""
        page = self.get("/quote/")
        assert page.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        return {"csrfmiddlewaretoken": token.group(1), "form_token": form_token()}

    def post_quote(self, fields: dict[str, str], photos: int) -> requests.Response:
        files = [
            ("photos", (f"crown-{n}.jpg", images.jpeg(size=(1600, 1200)), "image/jpeg"))
            for n in range(photos)
        ]
        return self.http.post(
            self.url + "/quote/", data=fields, files=files, allow_redirects=False, timeout=60
        )

    def worker_log(self) -> str:
        return self.arrangement.log("worker").read_text(errors="replace")

    def pause_worker(self) -> None:
        """The worker and its pool stop where they are, as a hung or starved host does."""
        os.killpg(self.arrangement.processes["worker"].pid, signal.SIGSTOP)

    def continue_worker(self) -> None:
        process = self.arrangement.processes.get("worker")
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGCONT)

    def files(self) -> list[str]:
        """Every file under the private storage, relative to it."""
        return sorted(
            str(p.relative_to(self.private)) for p in self.private.rglob("*") if p.is_file()
        )


@pytest.fixture
def esp():
    with PostmarkStub() as stub:
        yield stub


@pytest.fixture
def start_prod(tmp_path, esp):
    for program in ("nginx", "envsubst", "redis-server"):
        if not shutil.which(program) and not shutil.which(f"/usr/sbin/{program}"):
            missing(f"{program} is not installed (make prod needs nginx and gettext-base)")
    started: list[Prod] = []

    def start(**env: str) -> Prod:
        prod = Prod(tmp_path, esp, **env)
        started.append(prod)
        prod.start()
        return prod

    yield start
    for prod in started:
        prod.stop()


def client_fields(city, n: int) -> dict[str, str]:
    return {
        "name": f"Client {n}",
        "email": f"client{n}@example.com",
        "city": str(city.pk),
        "mode": "city",
        "message": "Thinning at the crown; I would like the look of a close shave.",
        "consent": "on",
    }


def all_outgoing_rows() -> list:
    return [row for model in outgoing_models() for row in model.objects.all()]


def message_id(email: dict) -> str:
    return next(h["Value"] for h in email["Headers"] if h["Name"].lower() == "message-id")


def test_half_an_hour_without_the_email_provider_loses_no_email_and_sends_none_twice(
    start_prod, esp
):
    city = CityFactory(name="Leeds", slug="leeds")
    for n in range(3):
        ClinicFactory(city=city, name=f"Leeds Studio {n}", quote_email=f"artist{n}@clinics.example")
    prod = start_prod()

    esp.down = True
    for n in range(2):
        sent = prod.post_quote({**prod.quote_form(), **client_fields(city, n)}, photos=1)
        assert sent.status_code == 302 and sent.headers["Location"].startswith("/quote/sent/")
    assert QuoteRequest.objects.real().count() == 2

    # Every email waits through the outage: each was refused on every one of the tries
    # that half an hour holds, and none has failed for good. A row being sent counts its
    # try when it is claimed, before the provider answers, so that try is not over yet.
    def finished_tries(row) -> int:
        return row.attempts - (1 if row.status == "sending" else 0)

    def tried_through_half_an_hour() -> bool:
        rows = all_outgoing_rows()
        return len(rows) >= 2 * 3 + 2 and all(
            finished_tries(row) >= TRIES_IN_HALF_AN_HOUR for row in rows
        )

    wait_for(tried_through_half_an_hour, 180, message="every email to be refused for 30 minutes")
    # Taken while the provider is still down: later tries could reach it once it is back.
    refused_in_the_outage = esp.refused()
    rows = all_outgoing_rows()
    assert refused_in_the_outage >= len(rows) * TRIES_IN_HALF_AN_HOUR
    # Still waiting for the provider: each row pending, or at an 8th try at this moment.
    assert {row.status for row in rows} <= {"pending", "sending"}, [
        (row, row.status) for row in rows
    ]
    assert esp.delivered() == []
    health = prod.health()
    assert health["figures"]["oldest_unsent_email_seconds"] > 0

    esp.down = False  # the provider is back

    def all_sent() -> bool:
        return all(row.status == "sent" for row in all_outgoing_rows())

    wait_for(all_sent, 180, message="every email sent once the provider is back")
    rows = all_outgoing_rows()
    delivered = esp.delivered()
    # One email per row, each with the row's own Message-ID: nothing lost, nothing twice.
    assert sorted(message_id(email) for email in delivered) == sorted(
        row.message_id_header for row in rows
    )
    artists = {email["To"] for email in delivered} & {
        f"artist{n}@clinics.example" for n in range(3)
    }
    assert len(artists) == 3
    sent = QuoteDelivery.objects.filter(status="sent")
    assert sent.filter(kind="artist").count() == 2 * 3  # each request to each artist
    assert sent.filter(kind="confirmation").count() == 2  # and each client told
    assert "failed for good" not in prod.worker_log()


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB disk of its own for the private storage (a tmpfs), so that it can be filled
    up as a real one is, without touching this machine's disk."""
    if os.geteuid() != 0:
        missing("mounting a small disk for the private storage needs root")
    mount_point = tmp_path / "private"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        missing(f"a small disk could not be mounted: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Write one file until the disk is full, as a log or a backup left running does."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_photo_disk_and_a_stopped_worker_show_on_the_health_check_and_lose_nothing(
    start_prod, esp, small_disk
):
    city = CityFactory(name="York", slug="york")
    ClinicFactory(city=city, name="York Studio", quote_email="artist@clinics.example")
    prod = start_prod(PRIVATE_FILES_ROOT=str(small_disk), HEALTHZ_MIN_FREE_MB="1")
    wait_for(lambda: prod.health()["status"] == "ok", 60, message="a healthy start")

    # The worker stops: the health check names it within seconds of its heartbeat going.
    prod.pause_worker()
    wait_for(
        lambda: prod.health()["checks"]["worker"].startswith("error"),
        60,
        message="the health check to report the stopped worker",
    )
    assert prod.health()["status"] == "degraded"

    # A request with two photos is accepted while the worker is stopped: it waits.
    first = prod.post_quote({**prod.quote_form(), **client_fields(city, 1)}, photos=2)
    assert first.status_code == 302
    quote = QuoteRequest.objects.get()
    assert quote.photos.count() == 2
    originals = prod.files()
    assert len(originals) == 2

    # The disk fills up. The health check says so, and so does the next client's page.
    filler = fill(small_disk)
    wait_for(
        lambda: prod.health()["checks"]["private_storage"].startswith("error"),
        30,
        message="the health check to report the full disk",
    )
    assert prod.health()["figures"]["disk_free_mb"] == 0
    fields = {**prod.quote_form(), **client_fields(city, 2)}
    refused = prod.post_quote(fields, photos=1)
    assert refused.status_code == 503  # not the generic 500
    assert refused.headers["Retry-After"]
    assert "We could not store your photos just now, so nothing was sent." in refused.text
    assert 'value="Client 2"' in refused.text  # what they typed is still there
    assert QuoteRequest.objects.count() == 1
    assert prod.files() == sorted([*originals, "filler"])  # no partial photo left behind

    # The worker comes back to a full disk: it cannot write the clean copies, keeps both
    # photos, deletes what it wrote and leaves the request waiting.
    prod.continue_worker()
    wait_for(
        lambda: "No space left on device" in prod.worker_log(),
        60,
        message="the worker to meet the full disk",
    )
    quote.refresh_from_db()
    assert quote.status in {QuoteRequest.Status.RECEIVED, QuoteRequest.Status.PROCESSING}
    assert QuotePhoto.objects.filter(quote=quote, sanitised=False).count() == 2
    assert prod.files() == sorted([*originals, "filler"])
    assert esp.emails() == []
    wait_for(lambda: prod.health()["checks"]["worker"] == "ok", 60, message="a heartbeat")

    # Room again: the sweeper hands the request back, and it goes out whole.
    filler.unlink()
    wait_for(
        lambda: QuoteDelivery.objects.filter(quote=quote, kind="artist", status="sent").exists(),
        120,
        message="the request to reach its artist",
    )
    assert QuotePhoto.objects.filter(quote=quote, sanitised=True).count() == 2
    to_artist = next(email for email in esp.delivered() if email["To"] == "artist@clinics.example")
    assert len(re.findall(r"/quote/photo/", to_artist["TextBody"])) == 2
    assert len(prod.files()) == 2 and set(prod.files()).isdisjoint(originals)  # clean copies
    wait_for(lambda: prod.health()["status"] == "ok", 60, message="the health check clear")

    # And the client who was turned away sends the same form again: accepted, once.
    again = prod.post_quote(fields, photos=1)
    assert again.status_code == 302
    assert QuoteRequest.objects.count() == 2


@pytest.fixture
def database_outage():
    """Close the test database to new connections and end the open ones (the site's, the
    worker's, beat's), as a restart or a failover does; open it again afterwards."""
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql":
        missing("the database outage is staged on PostgreSQL")

    with connection.cursor() as cursor:  # this test's own connection stays: it looks on
        cursor.execute("SELECT pg_backend_pid()")
        [ours] = cursor.fetchone()

    def set_open(allowed: bool) -> None:
        # From the server's maintenance database: a database cannot close itself.
        params = {**connection.get_connection_params(), "dbname": "postgres"}
        with closing(psycopg2.connect(**params)) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
                if not allowed:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> %s",
                        [name, ours],
                    )

    try:
        yield set_open
    finally:
        set_open(True)


def test_while_the_database_is_away_pages_and_forms_answer_503_and_nothing_is_lost(
    start_prod, esp, database_outage
):
    city = CityFactory(name="Hull", slug="hull")
    clinic = ClinicFactory(city=city, name="Hull Studio", quote_email="artist@clinics.example")
    prod = start_prod()
    fields = {**prod.quote_form(), **client_fields(city, 1)}

    database_outage(False)
    for path in (clinic.get_absolute_url(), "/quote/"):
        page = prod.get(path)
        assert page.status_code == 503, path
        assert page.headers["Retry-After"] == "30"
        assert "briefly unavailable" in page.text
    sent = prod.post_quote(fields, photos=1)
    assert sent.status_code == 503
    assert sent.headers["Retry-After"] == "30"
    assert "we could not finish what you sent" in sent.text
    assert prod.get("/healthz/ready/").status_code == 503

    database_outage(True)
    assert prod.get(clinic.get_absolute_url()).status_code == 200
    again = prod.post_quote(fields, photos=1)  # the client sends the same form again
    assert again.status_code == 302
    wait_for(
        lambda: QuoteDelivery.objects.filter(kind="artist", status="sent").exists(),
        120,
        message="the request to reach its artist after the outage",
    )
    assert QuoteRequest.objects.count() == 1
    wait_for(lambda: all(r.status == "sent" for r in all_outgoing_rows()), 120, message="emails")
    delivered = esp.delivered()
    assert len(delivered) == len(all_outgoing_rows())
    assert sorted(e["To"] for e in delivered).count("artist@clinics.example") == 1
    for name in ("gunicorn", "nginx"):
        assert " 500 " not in prod.arrangement.log(name).read_text(errors="replace")
