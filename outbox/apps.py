from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outgoing email"

    def ready(self):
        from common.health import register_figure

        from . import checks, tracking  # noqa: F401  (registers the check, the ESP receiver)
        from .sending import oldest_unsent_seconds

        register_figure("oldest_unsent_email_seconds", oldest_unsent_seconds)
