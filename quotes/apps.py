from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quote requests"

    def ready(self):
        from . import signals  # noqa: F401
