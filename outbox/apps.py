from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outgoing email"

    def ready(self):
        from . import checks, tracking  # noqa: F401  (registers the check, the ESP receiver)
