from django.apps import AppConfig


class SmpSiteConfig(AppConfig):
    name = "smp_site"
    verbose_name = "Site"

    def ready(self):
        from .page_cache import connect_invalidation

        connect_invalidation()
