from django.contrib import admin, messages
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin

from credentials.admin import CredentialInline
from credentials.models import Credential

from ..models import (
    Artist,
    Clinic,
    ClinicClosure,
    ClinicPhoto,
)
from .helpers import CountryFilter, _image_preview, counted
from .photos import photo_publication
from .resources import CONTACT_FIELDS, PROFILE_FIELDS, ClinicResource


def listing_state(clinic: Clinic) -> str:
    """Whether the public sees the clinic, and if not, why (`Clinic.listing_gaps`)."""
    if clinic.status != Clinic.Status.APPROVED:
        return f"Not listed: {clinic.get_status_display().lower()}."
    gaps = clinic.listing_gaps()
    if gaps:
        return f"Approved, not listed yet: {'; '.join(gaps)}."
    return "Listed."


class ArtistInline(admin.StackedInline):
    model = Artist
    extra = 0
    fields = ["name", "since_year", "order", "portrait", "portrait_preview", "bio"]
    readonly_fields = ["portrait_preview"]

    @admin.display(description="Preview")
    def portrait_preview(self, artist):
        return _image_preview(artist.portrait)


class ClinicClosureInline(admin.TabularInline):
    model = ClinicClosure
    extra = 0
    fields = ["first_day", "last_day", "note"]


class ClinicPhotoInline(admin.StackedInline):
    model = ClinicPhoto
    extra = 0
    fields = [
        ("preview", "image"),
        ("stage", "months_healed", "artist"),
        ("alt_text", "order"),
        "publication",
    ]
    readonly_fields = ["preview", "publication"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "artist":
            # Only this clinic's artists (the clinic being edited is in the URL).
            clinic_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Artist.objects.filter(clinic_id=clinic_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Preview")
    def preview(self, photo):
        return _image_preview(photo.image)

    @admin.display(description="On the site?")
    def publication(self, photo):
        return photo_publication(photo)


@admin.register(Clinic)
class ClinicAdmin(ImportExportModelAdmin):
    resource_classes = [ClinicResource]
    list_display = [
        "name",
        "city",
        "country",
        "status",
        "listing",
        "accepts_quotes",
        "reviewed_at",
        "updated_at",
    ]
    list_filter = ["status", CountryFilter, "services", "accepts_quotes", "is_sample"]
    list_select_related = ["city"]
    search_fields = ["name", "city__name", "quote_email", "address"]
    autocomplete_fields = ["city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services", "languages"]
    readonly_fields = [
        "listing",
        "approved_at",
        "approved_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ArtistInline, ClinicPhotoInline, CredentialInline, ClinicClosureInline]
    actions = ["approve_clinics", "suspend_clinics"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "city",
                    "status",
                    "listing",
                    "is_sample",
                    "accepts_quotes",
                ]
            },
        ),
        # `language`: what the site writes to the clinic in (its owners choose it too).
        ("Contact", {"fields": [*CONTACT_FIELDS, "language"]}),
        ("Profile", {"fields": [*PROFILE_FIELDS, "cover_photo"]}),
        # The clinic's own language for its summary and description, and its other ones.
        (
            "Profile in other languages",
            {"fields": ["text_language", "summary_translations", "description_translations"]},
        ),
        (
            "Review",
            {"fields": ["approved_at", "approved_by", "reviewed_at", "created_at", "updated_at"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cover_photo":
            # Only this clinic's own photos (none yet on a new clinic).
            clinic_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ClinicPhoto.objects.filter(clinic_id=clinic_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="On the site?")
    def listing(self, clinic):
        # Read from the row (`has_artist`, `has_public_photo`): no query per clinic.
        return listing_state(clinic) if clinic.pk else "—"

    @admin.display(description="Country", ordering="city__country")
    def country(self, clinic):
        return clinic.city.country.name if clinic.city_id else "—"

    def save_formset(self, request, form, formset, change):
        # A credential added or changed here was checked by whoever saves it.
        if formset.model is Credential:
            for credential in formset.save(commit=False):
                credential.checked_by = request.user
                credential.save()
            for gone in formset.deleted_objects:
                gone.delete()
            return
        super().save_formset(request, form, formset, change)

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
        clinics = list(queryset.select_related("city", "application"))
        cityless = [clinic.name for clinic in clinics if clinic.city_id is None]
        clinics = [clinic for clinic in clinics if clinic.city_id is not None]
        for clinic in clinics:
            application = getattr(clinic, "application", None)
            if application is not None and application.status == application.Status.SUBMITTED:
                # An applicant's clinic: decide the application too (which tells its contact).
                application.approve(request.user)
                continue
            clinic.approve(request.user)
        self.message_user(
            request, f"Approved {counted(len(clinics), 'clinic', 'clinics')}.", messages.SUCCESS
        )
        if cityless:
            self.message_user(
                request,
                "Not approved, choose a city first: " + ", ".join(cityless),
                messages.WARNING,
            )

    @admin.action(description="Suspend selected clinics (hide them from the site)")
    def suspend_clinics(self, request, queryset):
        clinics = list(queryset.select_related("city"))
        for clinic in clinics:
            clinic.suspend()
        self.message_user(
            request, f"Suspended {counted(len(clinics), 'clinic', 'clinics')}.", messages.SUCCESS
        )
