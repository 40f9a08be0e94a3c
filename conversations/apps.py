from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Messages between clients and artists"

    def ready(self):
        # Registers the emails, the inbound handler and what erasing a request erases.
        from . import emails, inbound, signals  # noqa: F401
