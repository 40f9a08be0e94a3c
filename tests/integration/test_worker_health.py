"""The health check tells the truth about the worker (issue 26): with a real Celery worker
and beat on a real Redis, the probe reports the worker running, and a stopped worker
within HEALTHZ_WORKER_SILENT_SECONDS, while the heartbeats pile up in the queue."""

import os
import signal

import pytest

from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
# Generous on purpose: the machine is shared. Only a wrong report fails these tests.
PATIENCE = 180


def _probe(client) -> dict:
    return client.get("/healthz/ready/").json()


def test_a_stopped_worker_shows_on_the_probe_and_its_queue_grows(client, worker, settings):
    settings.HEALTHZ_WORKER_SILENT_SECONDS = 5
    running = worker(WORKER_HEARTBEAT_SECONDS=1)
    wait_for(
        lambda: _probe(client)["checks"]["worker"] == "ok",
        PATIENCE,
        message="the first heartbeat of the running worker",
    )
    assert _probe(client)["status"] == "ok"

    os.killpg(running.process.pid, signal.SIGKILL)  # the worker goes; beat runs on
    running.process.wait(10)

    wait_for(
        lambda: _probe(client)["checks"]["worker"].startswith("error: last heartbeat"),
        PATIENCE,
        message="the probe to report the stopped worker",
    )
    body = _probe(client)
    assert body["status"] == "degraded"  # reported; fatal only if HEALTHZ_FATAL says so
    wait_for(
        lambda: (_probe(client)["figures"]["queue_depth"] or 0) >= 2,
        PATIENCE,
        message="beat's heartbeats to wait in the queue",
    )
