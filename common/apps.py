from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared library"

    def ready(self):
        from django.core.signals import request_finished

        from .logs import forget_request_id
        from .page_cache import connect_invalidation

        connect_invalidation()
        request_finished.connect(forget_request_id, dispatch_uid="smp-site-request-id")
