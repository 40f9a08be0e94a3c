"""Exactly once, as far as email allows: every attempt at a delivery carries the row's own
Message-ID, so a message sent again after a lost worker is the same message to the
recipient's mail system, and staff see the row as "may have been sent twice"."""

import os
import random
import signal
import threading
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from quotes.models import QuoteDelivery, QuoteRequest
from tests.factories import CityFactory, ClinicFactory
from tests.integration.conftest import sent_emails, wait_for
from tests.integration.test_quote_pipeline import CLIENT, PATIENCE, _post_quote, pipeline_done

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city():
    city = CityFactory(name="Leeds", slug="leeds")
    for n in range(4):
        ClinicFactory(city=city, name=f"Leeds Clinic {n}", quote_email=f"artist{n}@clinics.example")
    return city


def _message_ids(outbox_dir) -> dict[str, list[str]]:
    """Each recipient's Message-IDs, one entry per message in their mailbox."""
    held = defaultdict(list)
    for message in sent_emails(outbox_dir):
        held[message["To"]].append(message["Message-ID"])
    return held


def _kill(pids: list[int]) -> int:
    killed = 0
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    return killed


def test_a_worker_killed_between_the_send_and_the_update_leaves_one_message(
    client, worker, outbox_dir, city, admin_client, redis_server, tmp_path
):
    """The worst moment: the backend has the message, the row still says "sending"."""
    artist = city.clinics.order_by("name").first()
    gate = tmp_path / "after-send-gate"  # a send waits here, after writing, until it exists
    running = worker(TEST_AFTER_SEND_GATE=gate)
    response = _post_quote(client, city, clinic=artist)
    assert response.status_code == 302
    wait_for(lambda: sent_emails(outbox_dir), PATIENCE, interval=0.05, message="a message written")
    assert QuoteDelivery.objects.filter(status="sending").exists()  # not yet recorded
    _kill(running.children())
    gate.touch()  # the sends taken over from the killed process may finish

    wait_for(lambda: pipeline_done(redis_server), PATIENCE, message="every delivery sent")
    held = _message_ids(outbox_dir)
    # Two copies reached one recipient at most, and whatever the count, one Message-ID each:
    # their mail system keeps one message.
    for recipient in (artist.quote_email, CLIENT):
        assert len(set(held[recipient])) == 1, held
    rows = {d.to_email: d for d in QuoteDelivery.objects.all()}
    twice = [address for address, ids in held.items() if len(ids) > 1]
    assert twice, "the test killed the worker after a send: one email went out again"
    for address in twice:
        assert rows[address].retaken_at is not None
        assert held[address][0] == rows[address].message_id_header
    # Staff see every row a lost worker may have sent (some had not gone out before it died).
    flagged = QuoteDelivery.objects.filter(retaken_at__isnull=False).count()
    page = admin_client.get(reverse("admin:quotes_quotedelivery_changelist") + "?sent_twice=maybe")
    assert page.status_code == 200
    assert page.content.decode().count("May have been sent twice (same Message-ID") == flagged
    assert flagged >= len(twice)


FAULTS = 200
QUOTE_EVERY = 10


def test_two_hundred_faults_lose_no_email_and_never_change_a_message_id(
    client, worker, outbox_dir, city, redis_server
):
    """Pool processes killed, the whole worker killed and restarted, Redis flushed, while
    clients keep sending requests: in the end every email is in its mailbox, and any
    copy of one carries the same Message-ID as the first."""
    # Shorter leases than the other tests: many sends are lost here, and each waits out one.
    timing = {
        "TEST_SEND_DELAY": 0.02,
        "TEST_AFTER_SEND_DELAY": 0.05,
        "WORK_LEASE_SECONDS": 4,
        "OUTBOX_SEND_TAKEOVER_GRACE_SECONDS": 1,
        "SWEEP_AFTER_SECONDS": 2,
        "SWEEP_INTERVAL_SECONDS": 1,
    }
    running = worker(**timing)
    faults: Counter = Counter()
    stop = threading.Event()
    chooser = random.Random(12)  # the same mix on every run

    def inject():
        """One fault after another, no faster than the worker replaces what was killed: a
        pool process is killed only once the pool has one again."""
        while not stop.is_set() and sum(faults.values()) < FAULTS:
            roll = chooser.random()
            if roll < 0.025:
                running.restart_worker(**timing)
                faults["worker killed and restarted"] += 1
            elif roll < 0.25:
                redis_server.flush()
                faults["Redis flushed"] += 1
            else:
                pool = wait_for(running.children, PATIENCE, interval=0.1, message="a pool process")
                if _kill(pool[:1]):
                    faults["pool process killed"] += 1

    injector = threading.Thread(target=inject)
    injector.start()
    quotes = 0
    try:
        # A request every QUOTE_EVERY faults, so the faults land among requests at every stage.
        while injector.is_alive():
            response = _post_quote(client, city, remote_addr=f"203.0.113.{quotes + 1}")
            assert response.status_code == 302
            quotes += 1
            due = quotes * QUOTE_EVERY
            wait_for(
                lambda due=due: sum(faults.values()) >= due or not injector.is_alive(),
                PATIENCE,
                interval=0.05,
                message=f"{QUOTE_EVERY} more faults",
            )
    finally:
        stop.set()
        injector.join(300)
    assert sum(faults.values()) >= FAULTS, faults
    assert quotes >= FAULTS // QUOTE_EVERY and QuoteRequest.objects.real().count() == quotes

    def all_sent():
        return QuoteDelivery.objects.count() == quotes * 5 and pipeline_done(redis_server)

    wait_for(all_sent, PATIENCE, message="every delivery sent, nothing left to run")
    held = _message_ids(outbox_dir)
    rows = list(QuoteDelivery.objects.all())
    row_ids = Counter(row.message_id_header for row in rows)
    assert all(count == 1 for count in row_ids.values()), "a Message-ID shared by two rows"
    for row in rows:
        copies = held[row.to_email].count(row.message_id_header)
        assert copies >= 1, f"delivery {row.pk} to {row.to_email} was lost"
        if copies > 1:
            assert row.retaken_at is not None, f"delivery {row.pk} went twice unflagged"
    for recipient, ids in held.items():
        mine = {row.message_id_header for row in rows if row.to_email == recipient}
        assert set(ids) == mine, f"{recipient} holds a message no delivery row sent"
    duplicates = sum(len(ids) - len(set(ids)) for ids in held.values())
    print(f"{dict(faults)}; {quotes} requests, {len(rows)} emails, {duplicates} resent copies")
