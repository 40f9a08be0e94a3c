"""The environment of `make prod`'s arrangement run by a test: this machine's programs, the
test database, a Redis of the test's own, the test's folders and the test settings' key
(so that form tokens made in the test pass). Each test adds what it is about."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from deploy.prod import Arrangement, environment, free_port
from tests.integration.conftest import RedisServer, database_url
from tests.services import missing


def site_env(tmp_path: Path, redis_url: str, **more: str) -> dict[str, str]:
    return {
        "PATH": f"/usr/sbin:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "PRIVATE_FILES_ROOT": str(tmp_path / "private"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **more,
    }


@contextmanager
def running_site(tmp_path: Path, **more: str) -> Iterator[Arrangement]:
    """nginx and gunicorn's two workers (no Celery worker), against the test database and
    a Redis of their own, for as long as the block runs."""
    for program in ("nginx", "envsubst", "redis-server"):
        if not shutil.which(program) and not shutil.which(f"/usr/sbin/{program}"):
            missing(f"{program} is not installed (make prod installs nginx and gettext-base)")
    redis = RedisServer(tmp_path)
    redis.start()
    run_dir = tmp_path / "prod"
    run_dir.mkdir()
    port = free_port()
    env = environment(site_env(tmp_path, redis.url, **more), port=port, run_dir=run_dir)
    arrangement = Arrangement(port=port, env=env, run_dir=run_dir, worker=False)
    try:
        arrangement.prepare()
        arrangement.start()
        yield arrangement
    finally:
        arrangement.stop()
        redis.stop()
