"""`make backup` and `make restore`: the database and every uploaded file, with history.

Each backup is one folder, <backups>/<UTC time>/, holding the site as it was then:

    database.dump    pg_dump's custom format
    files/default/   the public images (STORAGES["default"]: MEDIA_ROOT or the public bucket)
    files/private/   clients' photos and other private files (STORAGES["private"])
    manifest.json    every file's size, time and SHA-256; written last

It is made under a hidden name and renamed once whole, so a folder with a name is complete.
A file unchanged since the previous backup (same name, size and time) is a hard link to
that backup's copy: each night costs what changed, and deleting an old folder frees only
what no later one shares. Nothing is mirrored: a file deleted from the site stays in every
earlier backup until that backup is older than --keep-days and is deleted.

    python -m deploy.backup create --to backups [--keep-days 30] [--database-dump FILE|-]
    python -m deploy.backup restore backups/2025-01-31T030000Z [--replace] [--no-database]

The storages are the site's own, read from the environment as the site reads it, so the
same command backs up local folders (`make prod`) and S3 buckets. `--database-dump -` takes
the dump from standard input, for a database whose pg_dump runs elsewhere (docker-compose:
the postgres container's own, docs/operations.md).
"""

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Any

STAMP = "%Y-%m-%dT%H%M%SZ"
MANIFEST = "manifest.json"
DUMP = "database.dump"
ALIASES = ("default", "private")  # the public images, the private files
CHUNK = 1024 * 1024


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
    import django

    django.setup()


# What a storage holds.


@dataclass(frozen=True)
class Entry:
    name: str  # the storage's name for it: what the rows store
    size: int
    modified: str  # as the storage reports it; compared for equality only


def list_files(storage: Any) -> Iterator[Entry]:
    """Every file in a storage: a folder walked, or a bucket listed (a thousand a request)."""
    from django.core.files.storage import FileSystemStorage
    from storages.backends.s3 import S3Storage

    if isinstance(storage, S3Storage):
        prefix = f"{storage.location.strip('/')}/" if storage.location else ""
        for item in storage.bucket.objects.filter(Prefix=prefix):
            if not item.key.endswith("/"):
                yield Entry(item.key[len(prefix) :], item.size, item.last_modified.isoformat())
    elif isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                yield Entry(path.relative_to(root).as_posix(), stat.st_size, str(stat.st_mtime_ns))
    else:
        raise SystemExit(f"cannot list {type(storage).__name__}: back up its files yourself")


def safe_path(folder: Path, name: str) -> Path:
    """Where a stored name goes in a backup: never outside its folder."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise SystemExit(f"refusing the file name {name!r}")
    return folder.joinpath(*parts)


def copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# The database (PostgreSQL's own tools, given the site's DATABASES["default"]).


def database_settings() -> dict[str, Any]:
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise SystemExit(
            f"the database is {connection.vendor}: make backup and make restore need "
            "PostgreSQL (DATABASE_URL=postgres://...)"
        )
    return connection.settings_dict


def pg_environment(database: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's variables: the password never appears in a process list."""
    env = dict(os.environ)
    values = {
        "PGHOST": database["HOST"],
        "PGPORT": database["PORT"],
        "PGUSER": database["USER"],
        "PGPASSWORD": database["PASSWORD"],
        "PGDATABASE": name or database["NAME"],
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def check_dump(path: Path) -> None:
    with path.open("rb") as file:
        if file.read(5) != b"PGDMP":
            raise SystemExit(f"{path} is not a pg_dump archive (--format=custom)")


def dump_database(target: Path, source: str | None) -> None:
    if source == "-":
        with target.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, CHUNK)
    elif source:
        shutil.copyfile(source, target)
    else:
        need("pg_dump")
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(target)],
            env=pg_environment(database_settings()),
            check=True,
        )
    check_dump(target)


def need(program: str) -> None:
    if not shutil.which(program):
        raise SystemExit(f"{program} is missing: apt-get install -y postgresql-client")


# Making a backup.


def snapshots(folder: Path) -> list[Path]:
    """Complete backups, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name)


def stamp_of(snapshot: Path) -> datetime | None:
    try:
        return datetime.strptime(snapshot.name[: len("2025-01-31T030000Z")], STAMP).replace(
            tzinfo=UTC
        )
    except ValueError:
        return None


def new_name(folder: Path, now: datetime) -> str:
    name, n = now.strftime(STAMP), 1
    while (folder / name).exists():  # two backups within a second
        n += 1
        name = f"{now.strftime(STAMP)}-{n}"
    return name


def back_up_storage(alias: str, target: Path, previous: Path | None) -> dict[str, dict]:
    from django.core.files.storage import storages

    storage = storages[alias]
    before = {}
    if previous is not None:
        before = json.loads((previous / MANIFEST).read_text())["storages"].get(alias, {})
    files = {}
    for entry in list_files(storage):
        path = safe_path(target / "files" / alias, entry.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        old = before.get(entry.name)
        if (
            old
            and previous is not None
            and (old["size"], old["modified"]) == (entry.size, entry.modified)
        ):
            os.link(safe_path(previous / "files" / alias, entry.name), path)
            files[entry.name] = old
            continue
        with storage.open(entry.name, "rb") as source, path.open("wb") as out:
            sha256, size = copy_hashed(source, out)
        files[entry.name] = {"size": size, "modified": entry.modified, "sha256": sha256}
    return files


def create(folder: Path, keep_days: int, database_dump: str | None) -> Path:
    """Make one backup in `folder`, then delete those older than `keep_days`."""
    started = time.monotonic()
    os.umask(0o077)  # clients' photos and personal details: readable by this user only
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another backup into {folder} is running") from None
        for partial in folder.glob(".partial-*"):  # left by a backup that was stopped
            shutil.rmtree(partial)
        now = datetime.now(UTC)
        name = new_name(folder, now)
        work = folder / f".partial-{name}"
        work.mkdir()
        done = snapshots(folder)
        previous = done[-1] if done else None
        try:
            dump_database(work / DUMP, database_dump)
            files = {alias: back_up_storage(alias, work, previous) for alias in ALIASES}
            manifest = {
                "format": 1,
                "created": now.isoformat(),
                "database": {"file": DUMP, "sha256": file_hash(work / DUMP)},
                "storages": files,
            }
            (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        except BaseException:
            shutil.rmtree(work)  # a failed backup leaves nothing that looks like one
            raise
        work.rename(folder / name)
        deleted = prune(folder, keep_days, now)
    snapshot = folder / name
    counts = ", ".join(f"{alias} {len(files[alias])}" for alias in ALIASES)
    print(
        f"backed up the database and files ({counts}) to {snapshot} "
        f"in {time.monotonic() - started:.1f} s; deleted {len(deleted)} older than {keep_days} days"
    )
    return snapshot


def prune(folder: Path, keep_days: int, now: datetime) -> list[Path]:
    """Delete backups older than keep_days; the newest is always kept."""
    complete = snapshots(folder)
    cutoff = now - timedelta(days=keep_days)
    old = [p for p in complete[:-1] if (stamp_of(p) or now) < cutoff]
    for snapshot in old:
        shutil.rmtree(snapshot)
    return old


# Restoring one.


def verify(snapshot: Path, manifest: dict) -> None:
    """Every file there and whole, before anything is touched."""
    bad = []
    if file_hash(snapshot / DUMP) != manifest["database"]["sha256"]:
        bad.append(DUMP)
    for alias, files in manifest["storages"].items():
        for name, meta in files.items():
            path = safe_path(snapshot / "files" / alias, name)
            if not path.is_file() or file_hash(path) != meta["sha256"]:
                bad.append(f"files/{alias}/{name}")
    if bad:
        raise SystemExit(
            f"{snapshot} is damaged ({len(bad)} files, e.g. {bad[0]}): nothing was restored"
        )


def ensure_database(database: dict[str, Any]) -> int:
    """The target database, made if it is missing; the number of tables it has."""
    import psycopg2
    from psycopg2 import sql

    params = {
        "host": database["HOST"] or None,
        "port": database["PORT"] or None,
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
        "sslmode": database.get("OPTIONS", {}).get("sslmode"),
    }
    params = {key: value for key, value in params.items() if value}
    try:
        connection = psycopg2.connect(dbname=database["NAME"], **params)
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        server = psycopg2.connect(dbname="postgres", **params)
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
        server.close()
        print(f"created the database {database['NAME']}")
        connection = psycopg2.connect(dbname=database["NAME"], **params)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        tables = cursor.fetchone()[0]
    connection.close()
    return tables


def restore_database(dump: Path, replace: bool) -> None:
    need("pg_restore")
    database = database_settings()
    tables = ensure_database(database)
    if tables and not replace:
        raise SystemExit(
            f"the database {database['NAME']} already has {tables} tables: restore into an "
            "empty one, or replace what it holds with --replace (make restore REPLACE=1)"
        )
    command = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
    if replace:
        command += ["--clean", "--if-exists"]
    subprocess.run(
        [*command, "--dbname", database["NAME"], str(dump)],
        env=pg_environment(database),
        check=True,
    )


def ensure_bucket(storage: Any) -> None:
    """A bucket the fresh S3 lacks is made (private: the public one needs its read policy)."""
    from botocore.exceptions import ClientError
    from storages.backends.s3 import S3Storage

    if not isinstance(storage, S3Storage):
        return
    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
        region = client.meta.region_name
        options = {}
        if region and region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(Bucket=storage.bucket_name, **options)
        print(f"created the bucket {storage.bucket_name} (private until you give it a policy)")


def restore_storage(alias: str, folder: Path, files: dict[str, dict]) -> int:
    """Put every file back under its own name; files already there whole are left."""
    from django.core.files import File
    from django.core.files.storage import storages

    storage = storages[alias]
    ensure_bucket(storage)
    there = {entry.name: entry.size for entry in list_files(storage)}
    written = 0
    for name, meta in files.items():
        if there.get(name) == meta["size"]:
            continue
        if name in there:
            storage.delete(name)
        with safe_path(folder, name).open("rb") as file:
            saved = storage.save(name, File(file, name=name))
        if saved != name:
            raise SystemExit(f"{alias}: {name} was stored as {saved}")
        written += 1
    return written


def restore(snapshot: Path, replace: bool, database: bool) -> None:
    started = time.monotonic()
    if not (snapshot / MANIFEST).is_file():
        raise SystemExit(f"{snapshot} is not a complete backup (no {MANIFEST})")
    manifest = json.loads((snapshot / MANIFEST).read_text())
    verify(snapshot, manifest)
    if database:
        restore_database(snapshot / DUMP, replace)
    counts = []
    for alias, files in manifest["storages"].items():
        written = restore_storage(alias, snapshot / "files" / alias, files)
        counts.append(f"{alias} {len(files)} ({written} written)")
    # Pages cached before the restore show what it replaced: make them stale.
    from common.page_cache import content_changed

    content_changed()
    print(
        f"restored {'the database and ' if database else ''}files ({', '.join(counts)}) "
        f"from {snapshot} in {time.monotonic() - started:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="make a backup, then delete old ones")
    make.add_argument("--to", type=Path, default=Path("backups"), help="the backups' folder")
    make.add_argument("--keep-days", type=int, default=30, help="delete backups older than this")
    make.add_argument(
        "--database-dump", help="an existing pg_dump --format=custom file, or - for stdin"
    )
    back = commands.add_parser("restore", help="restore one backup folder")
    back.add_argument("snapshot", type=Path)
    back.add_argument("--replace", action="store_true", help="into a database with tables")
    back.add_argument("--no-database", dest="database", action="store_false", help="files only")
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "create":
        create(args.to, args.keep_days, args.database_dump)
    else:
        restore(args.snapshot, args.replace, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
