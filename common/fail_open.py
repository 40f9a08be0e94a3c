"""Redis makes the site faster and shares its counters; it must never take a request down.

Everything on a request path that talks to Redis goes through one of the breakers below:
the page cache, the rate limits and the page-cache version bump through `cache_breaker`,
task publishing through `broker_breaker`. After a failure the breaker leaves its Redis alone for
RETRY_AFTER_SECONDS, so a hung Redis costs one request its socket timeout rather than
every request, and it logs one warning a minute, not one per request. What each caller
does instead (render uncached, let a submission through, leave a task to the sweeper)
is the caller's business; the database, never Redis, holds what must not be lost.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
RETRY_AFTER_SECONDS = 5

T = TypeVar("T")


class Breaker:
    """The health of one Redis connection, as this process has seen it (monotonic seconds)."""

    def __init__(self, name: str, meanwhile: str) -> None:
        self.name = name
        self.meanwhile = meanwhile  # what the site does while it is away, for the warning
        self.reset()

    def reset(self) -> None:
        self.failed_at = float("-inf")
        self.warned_at = float("-inf")

    def resting(self) -> bool:
        """True for a few seconds after a failure: callers skip Redis and carry on."""
        return time.monotonic() - self.failed_at < RETRY_AFTER_SECONDS

    def failed(self, action: str, exc: BaseException) -> None:
        self.failed_at = now = time.monotonic()
        if now - self.warned_at >= WARN_EVERY_SECONDS:
            self.warned_at = now
            logger.warning(
                "%s failed to %s (%s: %s); %s",
                self.name,
                action,
                exc.__class__.__name__,
                exc,
                self.meanwhile,
            )

    def call(self, action: str, func: Callable[[], T], fallback: T) -> T:
        """`func()`, or `fallback` while resting or when it raises (any backend's error)."""
        if self.resting():
            return fallback
        try:
            return func()
        except Exception as exc:
            self.failed(action, exc)
            return fallback


cache_breaker = Breaker(
    "The shared cache (Redis)",
    "until it answers, pages are served uncached and rate limits are not counted",
)
broker_breaker = Breaker(
    "The task broker (Redis)",
    "tasks are left to the sweepers, which enqueue them again once it answers",
)
