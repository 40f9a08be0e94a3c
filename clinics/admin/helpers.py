from django.contrib import admin
from django.utils.html import format_html

from ..text import country_name


class CountryFilter(admin.SimpleListFilter):
    """Countries that have something listed, not the world's ~250 (a 7,000 px sidebar).

    Subclasses name the path from their model to City.country in `country_path`.
    """

    title = "country"
    parameter_name = "country"
    country_path = "city__country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list(self.country_path, flat=True)
            .distinct()
        )
        return sorted(((code, country_name(code)) for code in codes if code), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.country_path: self.value()})
        return queryset


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _image_preview(image):
    if not image:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="120" loading="lazy" class="admin-preview">', image.url
    )
