"""Rate limits and task publishing let requests through when Redis is gone, and say so once."""

import logging
import socket
from types import SimpleNamespace

import pytest
from django.test import RequestFactory, override_settings

from common import fail_open
from common.decorators import ip_rate_limited
from outbox import queue


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def warnings():
    """The breakers' warnings, caught on their own logger (whatever configures the root)."""
    handler = _Records()
    logger = logging.getLogger("common.fail_open")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.fixture
def redis_gone():
    location = f"redis://127.0.0.1:{_unused_port()}/0"
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": down}):
        yield location
    fail_open.cache_breaker.reset()
    fail_open.broker_breaker.reset()


def test_a_rate_limit_without_its_cache_lets_everyone_through_with_one_warning(
    redis_gone, warnings, monkeypatch
):
    request = RequestFactory().post("/quote/", REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        monkeypatch.setattr(fail_open.cache_breaker, "failed_at", float("-inf"))  # try each time
        assert ip_rate_limited(request, group="quotes", rate="1/h") is False
    assert len(warnings) == 1
    assert "rate limits are not counted" in warnings[0].getMessage()


def test_publishing_without_a_broker_tries_once_then_rests_and_warns_once(
    redis_gone, warnings, monkeypatch
):
    from celery.app.task import Task

    from smp_site.celery import app
    from tests.integration.conftest import _reset_broker_connections

    tries = []
    publish = Task.apply_async

    def counted(self, *args, **kwargs):
        tries.append(self.name)
        return publish(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", counted)
    # The breaker's clock stands still: all twenty calls fall in its rest after the first
    # failure, however slowly a busy machine makes them.
    monkeypatch.setattr(fail_open, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.update(broker_url=redis_gone, task_always_eager=False)
    _reset_broker_connections(app)
    try:
        results = [queue.enqueue("outbox.tasks.sweep") for _ in range(20)]
    finally:
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
        _reset_broker_connections(app)
    assert results == [False] * 20
    assert tries == ["outbox.tasks.sweep"]  # one failed try, then the breaker rests
    assert len(warnings) == 1 and "left to the sweepers" in warnings[0].getMessage()
