from django.apps import AppConfig


class SmpSiteConfig(AppConfig):
    name = "smp_site"
    verbose_name = "Site"
