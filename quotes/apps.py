from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quote requests"

    def ready(self):
        from . import emails, signals  # noqa: F401  (email kinds, photo-file clean-up)
