"""Signals outbox sends for the apps whose emails it carries."""

from django.dispatch import Signal

# Sent when a row's email fails for good on a transport error (after every retry, or an
# address the provider refuses), with `row`, after the row is marked failed. The app
# that made the row may tell someone (quotes tells the client an artist was not reached).
email_failed = Signal()
