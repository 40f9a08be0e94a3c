"""Whether the site holds sample clinics (demo/), so that pages can say so.

Asked on every page, answered from memory: the answer is kept per process with the
page-cache version it was read under, and every save or delete of a clinic moves that
version (common/page_cache.py's `content_version`), so a process asks the database
again only after the directory changed. While the shared cache is away, the answer is
re-read once a minute.
"""

import time

from common.fail_open import cache_breaker
from common.page_cache import content_version

RECHECK_WITHOUT_VERSION_SECONDS = 60

# (version, answer, when it was read): one per process.
_known: tuple[tuple[int, int] | None, bool, float] | None = None


def _version() -> tuple[int, int] | None:
    return cache_breaker.call("read the content version", content_version, fallback=None)


def remember(answer: bool) -> None:
    """Record the answer for the current version (tests/conftest.py starts each test so)."""
    global _known
    _known = (_version(), answer, time.monotonic())


def sample_clinics_exist() -> bool:
    from clinics.models import Clinic

    version = _version()
    if _known is not None:
        known_version, answer, read_at = _known
        if version is not None and version == known_version:
            return answer
        if version is None and time.monotonic() - read_at < RECHECK_WITHOUT_VERSION_SECONDS:
            return answer
    answer = Clinic.objects.filter(is_sample=True).exists()
    remember(answer)
    return answer
