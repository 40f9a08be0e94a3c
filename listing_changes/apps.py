from django.apps import AppConfig


class ListingChangesConfig(AppConfig):
    name = "listing_changes"
    verbose_name = "Listing changes by clinics"
