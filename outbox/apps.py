from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outgoing email"

    def ready(self):
        from . import tracking  # noqa: F401  (connects the ESP tracking receiver)
