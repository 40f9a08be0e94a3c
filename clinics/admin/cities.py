from django.contrib import admin

from ..models import (
    City,
    Language,
    Service,
)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "place", "latitude", "longitude"]
    list_filter = ["country", ("place", admin.EmptyFieldListFilter)]
    list_select_related = ["place"]
    search_fields = ["name", "search_name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["place"]
