from django.contrib import admin

from .models import GazetteerLoad, Place, PlaceAlias


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Read-only: places come from the dataset (load_gazetteer); staff look them up."""

    list_display = ["name", "country", "admin1", "population", "geonames_id"]
    list_filter = ["country"]
    search_fields = ["name", "=geonames_id"]
    readonly_fields = ["geonames_id", "name", "country", "admin1", "latitude", "longitude"]
    fields = [*readonly_fields, "population"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlaceAlias)
class PlaceAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "place", "active", "note"]
    list_editable = ["active"]
    list_select_related = ["place"]
    search_fields = ["alias", "place__name", "note"]
    autocomplete_fields = ["place"]


@admin.register(GazetteerLoad)
class GazetteerLoadAdmin(admin.ModelAdmin):
    list_display = ["dataset", "loaded_at", "places", "names"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
