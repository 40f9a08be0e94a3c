from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from . import emails, signals  # noqa: F401  (email kinds; erasure and photo files)
        from .photos import register_fingerprints

        register_fingerprints()
