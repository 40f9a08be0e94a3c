"""The environment of `make prod`'s arrangement run by a test: this machine's programs, the
test database, a Redis of the test's own, the test's folders and the test settings' key
(so that form tokens made in the test pass). Each test adds what it is about."""

import os
from pathlib import Path

from django.conf import settings

from tests.integration.conftest import database_url


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
