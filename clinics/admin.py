from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from outbox.admin import OutgoingEmailAdmin, OutgoingEmailInline
from smp_site.exports import SpreadsheetSafeResource

from .models import ApplicationEmail, Artist, City, Clinic, ClinicApplication, ClinicPhoto, Service


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


# The clinic's fields as staff edit them and as the CSV import and export carry them.
CONTACT_FIELDS = [
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
PROFILE_FIELDS = [
    "summary",
    "description",
    "services",
    "price_from",
    "price_to",
    "currency",
    "established_year",
]


class ClinicResource(SpreadsheetSafeResource):
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
            *CONTACT_FIELDS,
            *PROFILE_FIELDS,
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
        ("Contact", {"fields": CONTACT_FIELDS}),
        ("Profile", {"fields": PROFILE_FIELDS}),
        (
            "Review",
            {"fields": ["approved_at", "approved_by", "reviewed_at", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description="Country", ordering="city__country")
    def country(self, clinic):
        return clinic.city.country.name if clinic.city_id else "—"

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
        self.message_user(request, f"Approved {len(clinics)} clinic(s).", messages.SUCCESS)
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
        self.message_user(request, f"Suspended {len(clinics)} clinic(s).", messages.SUCCESS)


class ApplicationEmailInline(OutgoingEmailInline):
    model = ApplicationEmail


@admin.register(ApplicationEmail)
class ApplicationEmailAdmin(OutgoingEmailAdmin):
    list_display = ["application", *OutgoingEmailAdmin.list_display]
    search_fields = ["application__clinic__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["application__clinic"]
    raw_id_fields = ["application"]


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the applicant)",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
    )


APPLICATION_FIELDS: tuple[str, ...] = (
    "clinic_link",
    "requested_city",
    "photos",
    "contact_name",
    "contact_email",
    "contact_phone",
    "status",
    "rejection_reason",
    "submitted_at",
    "decided_at",
    "decided_by",
    "ip_hash",
)


@admin.register(ClinicApplication)
class ClinicApplicationAdmin(admin.ModelAdmin):
    list_display = ["clinic", "city", "status", "contact_name", "submitted_at", "decided_at"]
    list_filter = ["status", "clinic__city__country", "submitted_at"]
    list_select_related = ["clinic__city"]
    search_fields = ["clinic__name", "contact_name", "contact_email", "requested_city"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["clinic"]
    fields = APPLICATION_FIELDS
    # Staff may correct the contact; what was submitted and decided stays as it was.
    readonly_fields = tuple(f for f in APPLICATION_FIELDS if not f.startswith("contact_"))
    actions = ["approve_applications", "reject_applications"]
    inlines = [ApplicationEmailInline]

    def has_add_permission(self, request):
        return False  # applications come from the public form

    @admin.display(description="City", ordering="clinic__city__name")
    def city(self, application):
        if application.clinic.city_id:
            return str(application.clinic.city)
        return f"Not listed: {application.requested_city}"

    @admin.display(description="Clinic")
    def clinic_link(self, application):
        url = reverse("admin:clinics_clinic_change", args=[application.clinic_id])
        return format_html('<a href="{}">{} (edit the listing)</a>', url, application.clinic.name)

    @admin.display(description="Portfolio photos")
    def photos(self, application):
        photos = application.clinic.photos.all()
        if not photos:
            return "—"
        return format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="{}" width="160" loading="lazy" '
            'class="admin-preview"></a>',
            ((p.image.url, (p.thumbnail or p.image).url, p.alt_text) for p in photos),
        )

    @admin.action(description="Approve selected applications (list the clinics, email them)")
    def approve_applications(self, request, queryset):
        approved, skipped = 0, []
        for application in queryset.select_related("clinic__city"):
            if application.clinic.city_id is None:
                skipped.append(application.clinic.name)
                continue
            if application.approve(request.user):
                approved += 1
        self.message_user(request, f"Approved {approved} application(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                "Not approved, choose the clinic's city first: " + ", ".join(skipped),
                messages.WARNING,
            )

    @admin.action(description="Reject selected applications (asks for a reason)")
    def reject_applications(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for application in queryset.select_related("clinic__city"):
                if application.reject(request.user, form.cleaned_data["reason"]):
                    rejected += 1
            self.message_user(request, f"Rejected {rejected} application(s).", messages.SUCCESS)
            return None
        # An intermediate page: the reason is required, and goes to each applicant.
        return TemplateResponse(
            request,
            "admin/clinics/clinicapplication/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject applications",
                "opts": self.model._meta,
                "form": form,
                "applications": list(queryset.select_related("clinic")),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
