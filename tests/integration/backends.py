"""An email backend for the worker in integration tests: it can hold a send at a gate, so a
test can kill the worker while the send is under way, then let the next attempt through."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

# A gate left shut for this long fails the send (and so the test): it bounds a failure only.
GATE_PATIENCE = 300


def _wait_at(variable: str) -> None:
    """Block while the file named by `variable` is missing (the gate is shut)."""
    gate = os.environ.get(variable)
    if not gate:
        return
    deadline = time.monotonic() + GATE_PATIENCE
    while not Path(gate).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{variable} stayed shut for {GATE_PATIENCE}s")
        time.sleep(0.05)


def _pause(variable: str) -> None:
    # A simulated ESP's latency: it paces sends so that faults land mid-send; nothing
    # waits for a condition here.
    time.sleep(float(os.environ.get(variable, "0")))


class SlowFileBackend(EmailBackend):
    """TEST_SEND_GATE / TEST_AFTER_SEND_GATE: a file whose existence opens the gate before
    the message is written / after it is written and before the send returns (the row is
    not yet marked). TEST_SEND_DELAY / TEST_AFTER_SEND_DELAY: the same places as latency."""

    def send_messages(self, email_messages):
        _wait_at("TEST_SEND_GATE")
        _pause("TEST_SEND_DELAY")
        sent = super().send_messages(email_messages)
        _wait_at("TEST_AFTER_SEND_GATE")
        _pause("TEST_AFTER_SEND_DELAY")
        return sent
