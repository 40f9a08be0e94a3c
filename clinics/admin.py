from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from .models import Artist, City, Clinic, ClinicPhoto, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "search_name", "region"]
    prepopulated_fields = {"slug": ["name"]}


class CityWidget(widgets.ForeignKeyWidget):
    """A city written as COUNTRY/slug ("GB/london"): city slugs are unique only per country."""

    def __init__(self):
        super().__init__(City)

    def clean(self, value, row=None, **kwargs):
        country, _, slug = str(value or "").strip().partition("/")
        try:
            return City.objects.get(country=country.upper(), slug=slug)
        except City.DoesNotExist:
            raise ValueError(
                f"Unknown city {value!r}: write it as COUNTRY/city-slug, for example GB/london."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.country.code}/{value.slug}" if value else ""


class ClinicResource(resources.ModelResource):
    city = fields.Field(attribute="city", column_name="city", widget=CityWidget())
    services = fields.Field(
        attribute="services",
        column_name="services",
        widget=widgets.ManyToManyWidget(Service, separator="|", field="slug"),
    )

    class Meta:
        model = Clinic
        import_id_fields = ["city", "slug"]
        fields = [
            "name",
            "slug",
            "city",
            "status",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "phone",
            "website",
            "instagram",
            "quote_email",
            "summary",
            "description",
            "services",
            "price_from",
            "price_to",
            "currency",
            "established_year",
            "accepts_quotes",
        ]
        skip_unchanged = True
        report_skipped = True
        # Run model validation so the dry-run preview shows each bad row's problem.
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        now = timezone.now()
        if instance.status == Clinic.Status.APPROVED and instance.approved_at is None:
            instance.approved_at = now
        instance.reviewed_at = now


class ArtistInline(admin.StackedInline):
    model = Artist
    extra = 0
    fields = ["name", "since_year", "order", "portrait", "portrait_preview", "bio"]
    readonly_fields = ["portrait_preview"]

    @admin.display(description="Preview")
    def portrait_preview(self, artist):
        return _image_preview(artist.portrait)


class ClinicPhotoInline(admin.TabularInline):
    model = ClinicPhoto
    extra = 0
    fields = ["preview", "image", "kind", "alt_text", "order"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, photo):
        return _image_preview(photo.image)


def _image_preview(image):
    if not image:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="120" loading="lazy" class="admin-preview">', image.url
    )


@admin.register(Clinic)
class ClinicAdmin(ImportExportModelAdmin):
    resource_classes = [ClinicResource]
    list_display = [
        "name",
        "city",
        "country",
        "status",
        "accepts_quotes",
        "reviewed_at",
        "updated_at",
    ]
    list_filter = ["status", "city__country", "services", "accepts_quotes", "is_sample", "city"]
    list_select_related = ["city"]
    search_fields = ["name", "city__name", "quote_email", "address"]
    autocomplete_fields = ["city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services"]
    readonly_fields = ["approved_at", "approved_by", "reviewed_at", "created_at", "updated_at"]
    inlines = [ArtistInline, ClinicPhotoInline]
    actions = ["approve_clinics", "suspend_clinics"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "city", "status", "is_sample", "accepts_quotes"]}),
        (
            "Contact",
            {
                "fields": [
                    "address",
                    "postcode",
                    "latitude",
                    "longitude",
                    "phone",
                    "website",
                    "instagram",
                    "facebook",
                    "quote_email",
                ]
            },
        ),
        (
            "Profile",
            {
                "fields": [
                    "summary",
                    "description",
                    "services",
                    "price_from",
                    "price_to",
                    "currency",
                    "established_year",
                ]
            },
        ),
        (
            "Review",
            {"fields": ["approved_at", "approved_by", "reviewed_at", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description="Country", ordering="city__country")
    def country(self, clinic):
        return clinic.city.country.name

    def save_model(self, request, obj, form, change):
        # Saving a clinic in admin is a staff review; approving records who and when.
        now = timezone.now()
        if obj.status == Clinic.Status.APPROVED and (not change or "status" in form.changed_data):
            obj.approved_at = now
            obj.approved_by = request.user
        obj.reviewed_at = now
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve selected clinics (make them public)")
    def approve_clinics(self, request, queryset):
        clinics = list(queryset.select_related("city"))
        for clinic in clinics:
            clinic.approve(request.user)
        self.message_user(request, f"Approved {len(clinics)} clinic(s).", messages.SUCCESS)

    @admin.action(description="Suspend selected clinics (hide them from the site)")
    def suspend_clinics(self, request, queryset):
        clinics = list(queryset.select_related("city"))
        for clinic in clinics:
            clinic.suspend()
        self.message_user(request, f"Suspended {len(clinics)} clinic(s).", messages.SUCCESS)
