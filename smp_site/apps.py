import logging

from django.apps import AppConfig


class SmpSiteConfig(AppConfig):
    name = "smp_site"
    verbose_name = "Site"

    def ready(self):
        from django.core.signals import request_finished

        from .logs import forget_request_id
        from .page_cache import connect_invalidation

        connect_invalidation()
        request_finished.connect(forget_request_id, dispatch_uid="smp-site-request-id")
        _warn_of_renamed_settings()


def _warn_of_renamed_settings() -> None:
    """Log, once per process and through LOGGING's handlers, each old setting name a
    deployment still uses (smp_site/settings.py: RENAMED_SETTINGS)."""
    from django.conf import settings

    from . import settings as site_settings

    logger = logging.getLogger("smp_site.settings")
    for message in site_settings.renamed_setting_warnings(settings):
        logger.warning(message)
