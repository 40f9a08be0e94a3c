"""`make backup` and `make restore` (deploy/backup.py), run as an operator runs them: the
make targets in their own processes, against the test database on PostgreSQL and the
site's storages (moto's S3 server, or local folders as `make prod` keeps them), restored
into a database and buckets that did not exist."""

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from deploy.backup import MANIFEST, prune
from quotes import pipeline
from quotes.models import QuoteDelivery
from tests.factories import ClinicFactory
from tests.integration.conftest import database_url, sent_emails
from tests.quotes.support import make_quote
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        missing("backups need PostgreSQL: set DATABASE_URL=postgres://...")
    for program in ("pg_dump", "pg_restore"):
        if not any(Path(d, program).exists() for d in os.environ["PATH"].split(os.pathsep)):
            missing(f"{program} is not installed (apt-get install -y postgresql-client)")


def _server():
    """A connection to the PostgreSQL server itself, for making and dropping databases."""
    import psycopg2

    s = connection.settings_dict
    params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    return psycopg2, params


@pytest.fixture
def fresh_database(postgres):
    """The name of a database that does not exist yet; dropped after the test."""
    psycopg2, params = _server()
    name = f"{connection.settings_dict['NAME']}_restored"

    def drop():
        server = psycopg2.connect(dbname="postgres", **params)
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()

    drop()  # left by an interrupted run of this same test
    yield name
    drop()


def url_of(name: str) -> str:
    return database_url().rsplit("/", 1)[0] + f"/{name}"


def table_digests(name: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows, in the named database."""
    psycopg2, params = _server()
    from psycopg2 import sql

    db = psycopg2.connect(dbname=name, **params)
    digests = {}
    with db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    " FROM {} t"
                ).format(sql.Identifier(table))
            )
            digests[table] = cursor.fetchone()
    db.close()
    return digests


def base_env(tmp_path: Path, database: str, **storage: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "NO_PROXY": "127.0.0.1,localhost",
        "DATABASE_URL": url_of(database),
        **storage,
    }


def local_storage(media: Path, private: Path) -> dict[str, str]:
    return {"MEDIA_ROOT": str(media), "PRIVATE_FILES_ROOT": str(private)}


def s3_storage(s3_server, public: str, private: str) -> dict[str, str]:
    return {
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": public,
        "AWS_PRIVATE_BUCKET_NAME": private,
        "AWS_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }


def make(target: str, env: dict[str, str], **variables) -> subprocess.CompletedProcess:
    """A make target as the docs give it (the virtualenv is this one: no install step)."""
    args = [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "install", target, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def made(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def only_backup(folder: Path, before: frozenset[Path] = frozenset()) -> Path:
    new = {p for p in folder.iterdir() if (p / MANIFEST).is_file()} - before
    assert len(new) == 1, new
    return new.pop()


def bucket_files(s3_server, bucket: str) -> dict[str, bytes]:
    client = s3_server.client()
    files = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            files[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return files


def folder_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def a_dispatched_request_with_one_email_waiting():
    """A request sent on to its artist, the client confirmed, with photos; then one of its
    emails put back to waiting, as an email-provider outage leaves it."""
    clinic = ClinicFactory(quote_email="artist@clinics.example")
    quote = make_quote(clinic.city, clinic=clinic, mode="single", photos=2)
    pipeline.process_quote(quote.pk)
    deliveries = list(quote.deliveries.order_by("pk"))
    assert deliveries and {d.status for d in deliveries} == {QuoteDelivery.Status.SENT}
    waiting = deliveries[0]
    QuoteDelivery.objects.filter(pk=waiting.pk).update(
        status=QuoteDelivery.Status.PENDING, next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    return quote, waiting


pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_make_restore_puts_every_row_and_file_into_a_fresh_database_and_fresh_buckets(
    postgres, fresh_database, use_s3, s3_server, tmp_path
):
    client = s3_server.client()
    source = {"public": f"bk-{tmp_path.name}-media", "private": f"bk-{tmp_path.name}-photos"}
    for bucket in source.values():
        client.create_bucket(Bucket=bucket)
    use_s3(public_bucket=source["public"], private_bucket=source["private"])
    quote, waiting = a_dispatched_request_with_one_email_waiting()
    assert quote.photos.filter(sanitised=True).count() == 2

    here = connection.settings_dict["NAME"]
    backups = tmp_path / "backups"
    made(
        make(
            "backup",
            base_env(tmp_path, here, **s3_storage(s3_server, **source)),
            BACKUP_DIR=backups,
        )
    )
    snapshot = only_backup(backups)

    # A fresh machine: no database, no buckets.
    target = {"public": f"rs-{tmp_path.name}-media", "private": f"rs-{tmp_path.name}-photos"}
    restored_env = base_env(tmp_path, fresh_database, **s3_storage(s3_server, **target))
    restore = made(make("restore", restored_env, BACKUP=snapshot))
    assert f"created the database {fresh_database}" in restore.stdout
    assert f"created the bucket {target['public']}" in restore.stdout

    assert table_digests(fresh_database) == table_digests(here)
    for role in ("public", "private"):
        assert bucket_files(s3_server, target[role]) == bucket_files(s3_server, source[role])
    assert len(bucket_files(s3_server, target["private"])) == 2

    # The restored site runs its whole schedule once: the email that was waiting goes out,
    # nothing already sent goes again.
    outbox = tmp_path / "emails"
    schedule = subprocess.run(
        [".venv/bin/python", "manage.py", "run_schedule", "--once"],
        cwd=ROOT,
        env={
            **restored_env,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert schedule.returncode == 0, schedule.stderr
    assert [m["To"] for m in sent_emails(outbox)] == [waiting.to_email]


@pytest.mark.django_db(transaction=True)
def test_two_nights_of_backups_keep_a_file_deleted_between_them(
    postgres, fresh_database, settings, tmp_path
):
    """make prod's arrangement: uploads in local folders."""
    media, private = Path(settings.MEDIA_ROOT), tmp_path / "private"
    assert Path(settings.STORAGES["private"]["OPTIONS"]["location"]) == private
    quote = make_quote(ClinicFactory().city, photos=1)
    photo = quote.photos.get()
    photo_bytes = (private / photo.file.name).read_bytes()
    here = connection.settings_dict["NAME"]
    env = base_env(tmp_path, here, **local_storage(media, private))
    backups = tmp_path / "backups"

    made(make("backup", env, BACKUP_DIR=backups))
    first = only_backup(backups)
    quote.delete()  # a client's erasure: the row and the photo go
    assert not (private / photo.file.name).exists()
    made(make("backup", env, BACKUP_DIR=backups))
    second = only_backup(backups, frozenset({first}))

    assert (first / "files/private" / photo.file.name).read_bytes() == photo_bytes
    assert not (second / "files/private" / photo.file.name).exists()
    # What did not change is one file on disk, shared by both nights.
    studio = "files/default/clinics/factory-studio.jpg"
    assert (first / studio).stat().st_ino == (second / studio).stat().st_ino
    assert json.loads((second / MANIFEST).read_text())["storages"]["private"] == {}

    # The first night, restored on a fresh machine: the row and its photo are back.
    restored_media, restored_private = tmp_path / "new-media", tmp_path / "new-private"
    restored_env = base_env(
        tmp_path, fresh_database, **local_storage(restored_media, restored_private)
    )
    made(make("restore", restored_env, BACKUP=first))
    assert folder_files(restored_private) == {photo.file.name: photo_bytes}
    assert folder_files(restored_media) == folder_files(media)
    assert table_digests(fresh_database)["quotes_quotephoto"][0] == 1
    # The second night over it (REPLACE=1): the database is that night's, whole.
    made(make("restore", restored_env, BACKUP=second, REPLACE=1))
    assert table_digests(fresh_database) == table_digests(here)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_tables_and_a_damaged_backup_touching_nothing(
    postgres, fresh_database, settings, tmp_path
):
    make_quote(ClinicFactory().city, photos=1)
    private = tmp_path / "private"
    here = connection.settings_dict["NAME"]
    storage = local_storage(Path(settings.MEDIA_ROOT), private)
    backups = tmp_path / "backups"
    made(make("backup", base_env(tmp_path, here, **storage), BACKUP_DIR=backups))
    snapshot = only_backup(backups)
    before = table_digests(here)

    over = make("restore", base_env(tmp_path, here, **storage), BACKUP=snapshot)
    assert over.returncode != 0 and "already has" in over.stderr and "REPLACE=1" in over.stderr
    assert table_digests(here) == before

    photo = next((snapshot / "files/private").rglob("*.jpg"))
    photo.write_bytes(photo.read_bytes()[:-10])  # a disk error, half a copy
    fresh = local_storage(tmp_path / "new-media", tmp_path / "new-private")
    damaged = make("restore", base_env(tmp_path, fresh_database, **fresh), BACKUP=snapshot)
    assert damaged.returncode != 0 and "is damaged" in damaged.stderr
    assert fresh_database not in table_names_of_server()
    assert not (tmp_path / "new-private").exists()


def table_names_of_server() -> set[str]:
    psycopg2, params = _server()
    server = psycopg2.connect(dbname="postgres", **params)
    with server.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        names = {row[0] for row in cursor.fetchall()}
    server.close()
    return names


@pytest.mark.django_db(transaction=True)
def test_a_dump_from_another_machines_pg_dump_comes_in_on_standard_input(
    postgres, settings, tmp_path
):
    """docker-compose: the postgres container's pg_dump, piped to the app's container."""
    here = connection.settings_dict["NAME"]
    env = base_env(tmp_path, here, **local_storage(Path(settings.MEDIA_ROOT), tmp_path / "p"))
    backups = tmp_path / "backups"
    command = [".venv/bin/python", "-m", "deploy.backup", "create", "--to", str(backups)]
    command += ["--database-dump", "-"]

    refused = subprocess.run(
        command, cwd=ROOT, env=env, input=b"", capture_output=True, timeout=120
    )
    assert refused.returncode != 0 and b"not a pg_dump archive" in refused.stderr
    assert not [p for p in backups.iterdir() if p.name != ".lock"]  # nothing half made

    dump = subprocess.run(
        ["pg_dump", "--format=custom", "--dbname", database_url()],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    piped = subprocess.run(command, cwd=ROOT, env=env, input=dump, capture_output=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert (only_backup(backups) / "database.dump").read_bytes() == dump


def test_old_backups_are_deleted_and_the_newest_is_always_kept(tmp_path):
    now = datetime(2025, 6, 30, 3, 0, tzinfo=UTC)

    def backup(days_ago: int) -> Path:
        folder = tmp_path / (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H%M%SZ")
        folder.mkdir()
        (folder / MANIFEST).write_text("{}")
        return folder

    old, recent, newest = backup(31), backup(29), backup(0)
    assert prune(tmp_path, 30, now) == [old]
    assert sorted(tmp_path.iterdir()) == [recent, newest]
    # A site whose backups stopped a while ago keeps its last one, however old.
    assert prune(tmp_path, 30, now + timedelta(days=100)) == [recent]
    assert list(tmp_path.iterdir()) == [newest]
