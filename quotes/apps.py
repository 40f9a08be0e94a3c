from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quote requests"

    def ready(self):
        from . import emails  # noqa: F401  (email kinds)
        from .signals import connect_photo_cleanup

        connect_photo_cleanup()
