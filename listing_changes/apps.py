from django.apps import AppConfig


class ListingChangesConfig(AppConfig):
    name = "listing_changes"
    verbose_name = "Listing changes by clinics"

    def ready(self):
        from . import emails  # noqa: F401  (registers the decision emails)
