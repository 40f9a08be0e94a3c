from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Clinic accounts"

    def ready(self):
        from . import emails  # noqa: F401  (registers the sign-in emails)
