from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
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

from .applications import FIRST_YEAR
from .models import ApplicationEmail, Artist, City, Clinic, ClinicApplication, ClinicPhoto, Service
from .text import country_name


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


class ApplicationCountryFilter(CountryFilter):
    country_path = "clinic__city__country"


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


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


# Each widget below reads one kind of cell and says, in words, what is wrong with a bad
# one: the import preview lists these messages per row, never a Python exception.


class YesNoWidget(widgets.BooleanWidget):
    """yes/no, true/false or 1/0; empty means yes (the column's default)."""

    YES = {"1", "true", "yes", "y"}
    NO = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES or text == "":
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}” isn’t yes or no: write yes, no, true, false, 1 or 0.")


class CurrencyWidget(widgets.CharWidget):
    """An ISO 4217 code, as Babel's (CLDR's) list knows it."""

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if code not in list_currencies():
            raise ValueError(
                f"“{value}” isn’t a currency code: write three letters such as GBP, EUR or USD."
            )
        return code


class NumberWidget(widgets.IntegerWidget):
    """A whole number, optionally within a range (years, prices)."""

    def __init__(self, *, low: int | None = None, high=None, what: str = "a whole number"):
        super().__init__()
        self.low, self.high, self.what = low, high, what

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = int(Decimal(str(value).strip().replace(",", "")))
        except (InvalidOperation, ValueError):
            raise ValueError(f"“{value}” isn’t {self.what}.") from None
        high = self.high() if callable(self.high) else self.high
        if (self.low is not None and number < self.low) or (high is not None and number > high):
            raise ValueError(f"“{value}” isn’t {self.what} between {self.low} and {high}.")
        return number


class CoordinateWidget(widgets.FloatWidget):
    def __init__(self, limit: float):
        super().__init__()
        self.limit = limit

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” isn’t a number of degrees.") from None
        if not -self.limit <= number <= self.limit:
            raise ValueError(f"“{value}” isn’t between -{self.limit:g} and {self.limit:g}.")
        return number


class ServicesWidget(widgets.ManyToManyWidget):
    """Service slugs separated by |; an unknown one is an error, never silently dropped."""

    def __init__(self):
        super().__init__(Service, separator="|", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split("|") if s.strip()]
        found = {service.slug: service for service in Service.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            known = ", ".join(Service.objects.values_list("slug", flat=True))
            raise ValueError(f"Unknown service “{'”, “'.join(unknown)}”: use {known}.")
        return Service.objects.filter(slug__in=slugs)


class ClinicResource(SpreadsheetSafeResource):
    city = fields.Field(attribute="city", column_name="city", widget=CityWidget())
    services = fields.Field(attribute="services", column_name="services", widget=ServicesWidget())
    currency = fields.Field(attribute="currency", column_name="currency", widget=CurrencyWidget())
    accepts_quotes = fields.Field(
        attribute="accepts_quotes", column_name="accepts_quotes", widget=YesNoWidget()
    )
    established_year = fields.Field(
        attribute="established_year",
        column_name="established_year",
        widget=NumberWidget(low=FIRST_YEAR, high=lambda: timezone.now().year, what="a year"),
    )
    price_from = fields.Field(
        attribute="price_from", column_name="price_from", widget=NumberWidget(low=0, what="a price")
    )
    price_to = fields.Field(
        attribute="price_to", column_name="price_to", widget=NumberWidget(low=0, what="a price")
    )
    latitude = fields.Field(
        attribute="latitude", column_name="latitude", widget=CoordinateWidget(90)
    )
    longitude = fields.Field(
        attribute="longitude", column_name="longitude", widget=CoordinateWidget(180)
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
    list_filter = ["status", CountryFilter, "services", "accepts_quotes", "is_sample"]
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
    "submitted_listing",
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
    "check_reason",
    "ip_hash",
)


@admin.register(ClinicApplication)
class ClinicApplicationAdmin(admin.ModelAdmin):
    list_display = ["clinic", "city", "status", "contact_name", "submitted_at", "decided_at"]
    list_filter = ["status", ApplicationCountryFilter, "submitted_at"]
    list_select_related = ["clinic__city"]
    search_fields = ["clinic__name", "contact_name", "contact_email", "requested_city"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["clinic"]
    fields = APPLICATION_FIELDS
    # Staff may correct the contact; what was submitted and decided stays as it was.
    readonly_fields = tuple(f for f in APPLICATION_FIELDS if not f.startswith("contact_"))
    actions = ["approve_applications", "reject_applications"]
    inlines = [ApplicationEmailInline]
    # Approve and Reject buttons on each application's page (they run the actions).
    change_form_template = "admin/clinics/clinicapplication/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("clinic__city")

    @admin.display(description="What the applicant sent")
    def submitted_listing(self, application):
        clinic = application.clinic
        rows = [
            ("Clinic name", clinic.name),
            (
                "City",
                str(clinic.city) if clinic.city_id else f"Not listed: {application.requested_city}",
            ),
            ("Street address", clinic.address),
            ("Clinic phone", clinic.phone),
            ("Website", clinic.website),
            ("Instagram", f"@{clinic.instagram}" if clinic.instagram else ""),
            ("Services", ", ".join(s.name for s in clinic.services.all())),
            ("Full treatment price", clinic.price_range),
            ("Year opened", clinic.established_year or ""),
            ("Email for quote requests", clinic.quote_email),
            ("About the clinic", clinic.description),
        ]
        return format_html(
            '<dl class="submitted-listing">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((k, v or "—") for k, v in rows)),
        )

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
        self.message_user(
            request,
            f"Approved {counted(approved, 'application', 'applications')}; "
            f"{'its contact is' if approved == 1 else 'their contacts are'} being emailed.",
            messages.SUCCESS,
        )
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
            self.message_user(
                request,
                f"Rejected {counted(rejected, 'application', 'applications')}; the reason is "
                "being emailed.",
                messages.SUCCESS,
            )
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
