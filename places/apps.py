from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = "Gazetteer"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import matching
        from .models import PlaceAlias, PlaceName

        # Edits in this process show at once; other processes see the version bump.
        for model in (PlaceName, PlaceAlias):
            uid = f"places-changed:{model.__name__}"
            post_save.connect(matching.names_changed, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(matching.names_changed, sender=model, dispatch_uid=uid + ":del")
