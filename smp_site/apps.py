import logging

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's configuration as an app: its management commands (`add_totp_device`)
    and, once per process, a logged warning for each old setting name still in use."""

    name = "smp_site"
    verbose_name = "Site configuration"

    def ready(self):
        from django.conf import settings

        from .settings import renamed_setting_warnings

        logger = logging.getLogger("smp_site.settings")
        for message in renamed_setting_warnings(settings):
            logger.warning(message)
