from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quote requests"

    def ready(self):
        from common.health import register_figure

        from . import emails, signals  # noqa: F401  (email kinds, photo-file clean-up)
        from .pipeline import oldest_waiting_seconds

        register_figure("oldest_waiting_request_seconds", oldest_waiting_seconds)
