"""An email backend for the worker in integration tests: slow on purpose, so a test can
kill the worker while a send is under way."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    """TEST_SEND_DELAY: seconds before the message is written; TEST_AFTER_SEND_DELAY:
    seconds after it is written and before the send returns (the row is not yet marked)."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("TEST_SEND_DELAY", "0")))
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("TEST_AFTER_SEND_DELAY", "0")))
        return sent
