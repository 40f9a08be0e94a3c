import mimetypes
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin

from outbox.admin import EMAIL_FIELDS, OutgoingEmailAdmin, OutgoingEmailInline
from smp_site.exports import SpreadsheetSafeResource
from smp_site.page_cache import content_changed
from smp_site.private_files import private_file_response

from .applications import FIRST_YEAR
from .models import (
    ApplicationEmail,
    Artist,
    City,
    Clinic,
    ClinicApplication,
    ClinicClosure,
    ClinicPhoto,
    Credential,
    CredentialEmail,
    Language,
    Service,
)
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
    "languages",
    "consults_in_person",
    "consults_online",
    "opening_hours",
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
    # Language codes separated by "|", e.g. "en|es" (ISO 639-1, as in admin).
    languages = fields.Field(
        attribute="languages",
        column_name="languages",
        widget=widgets.ManyToManyWidget(Language, separator="|", field="code"),
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


def photo_publication(photo: ClinicPhoto) -> str:
    """Why a gallery photo is, or is not, public, in words for staff."""
    if not photo.pk:
        return "Not yet: save it, then confirm the client's consent from the gallery photo list."
    if photo.match_found_at and not photo.match_cleared_at:
        return format_html(
            '<strong class="admin-flag">Possible copy, check it:</strong> {}',
            photo.match_details,
        )
    problem = publish_problem(photo)
    if problem:
        return f"Not yet: {problem}"
    if photo.consent_confirmed_at is None:
        return "Not yet: confirm the client's consent (Gallery photos, action)."
    return f"Public since consent was confirmed on {photo.consent_confirmed_at:%-d %B %Y}."


def publish_problem(photo: ClinicPhoto) -> str:
    """What a photo lacks before it may be published ("" when nothing)."""
    if not photo.stage:
        return "say what it shows (before, straight after, healed, studio)."
    if photo.stage != ClinicPhoto.Stage.STUDIO and photo.artist_id is None:
        return "say which artist did the work."
    if photo.stage == ClinicPhoto.Stage.HEALED and not photo.months_healed:
        return "say how many months after the last session it was taken."
    if not photo.fingerprint:
        return "it has not been compared with the site's other photos yet."
    return ""


class CredentialInline(admin.StackedInline):
    model = Credential
    extra = 0
    fields = [
        ("kind", "title", "artist"),
        ("issuer", "number"),
        ("issued_on", "expires_on", "checked_on"),
        ("document", "document_link"),
        "notes",
    ]
    readonly_fields = ["document_link"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "artist":
            clinic_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Artist.objects.filter(clinic_id=clinic_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Open the document")
    def document_link(self, credential):
        return credential_document_link(credential)


def credential_document_link(credential: Credential) -> str:
    if not credential.pk or not credential.document:
        return "—"
    url = reverse("admin:clinics_credential_document", args=[credential.pk])
    return format_html('<a href="{}">Open (staff only)</a>', url)


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
    filter_horizontal = ["services", "languages"]
    readonly_fields = ["approved_at", "approved_by", "reviewed_at", "created_at", "updated_at"]
    inlines = [ArtistInline, ClinicPhotoInline, CredentialInline, ClinicClosureInline]
    actions = ["approve_clinics", "suspend_clinics"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "city", "status", "is_sample", "accepts_quotes"]}),
        ("Contact", {"fields": CONTACT_FIELDS}),
        ("Profile", {"fields": [*PROFILE_FIELDS, "cover_photo"]}),
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
            f"{'its contact is' if approved == 1 else 'their contacts are'} being emailed. "
            "Portfolio photos go public once you record what each shows, whose work it is "
            "and the clients' consent (Gallery photos).",
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


class PhotoStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("flagged", "Possible copy: check it"),
            ("waiting", "Waiting for consent"),
            ("public", "Public"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "flagged":
            return queryset.awaiting_staff()
        if self.value() == "waiting":
            return queryset.filter(consent_confirmed_at__isnull=True)
        if self.value() == "public":
            return queryset.public()
        return queryset


@admin.register(ClinicPhoto)
class ClinicPhotoAdmin(admin.ModelAdmin):
    """Every gallery photo: what it shows, whose work, consent, and possible copies.

    A photo is public only once staff confirm the client's consent (an action, which
    records who and when), and never while a possible copy waits for a look.
    """

    list_display = ["preview", "clinic", "stage", "artist", "months_healed", "publication"]
    list_filter = [PhotoStateFilter, "stage"]
    list_select_related = ["clinic", "artist"]
    search_fields = ["clinic__name", "alt_text", "artist__name"]
    raw_id_fields = ["clinic"]
    fields = [
        "clinic",
        ("preview", "image"),
        ("stage", "months_healed", "artist"),
        ("alt_text", "order"),
        "publication",
        ("consent_confirmed_at", "consent_confirmed_by"),
        ("match_found_at", "match_cleared_at", "match_cleared_by"),
    ]
    readonly_fields = [
        "preview",
        "publication",
        "consent_confirmed_at",
        "consent_confirmed_by",
        "match_found_at",
        "match_cleared_at",
        "match_cleared_by",
    ]
    actions = ["confirm_consent", "withdraw_consent", "clear_match"]

    @admin.display(description="Photo")
    def preview(self, photo):
        return _image_preview(photo.thumbnail or photo.image)

    @admin.display(description="On the site?")
    def publication(self, photo):
        return photo_publication(photo)

    @admin.action(description="Confirm the client's consent and publish the selected photos")
    def confirm_consent(self, request, queryset):
        published, held = 0, []
        for photo in queryset.select_related("clinic"):
            problem = publish_problem(photo)
            if photo.match_found_at and not photo.match_cleared_at:
                problem = "a possible copy waits for a look (clear it first)."
            if problem:
                held.append(f"{photo.clinic.name}, photo {photo.pk}: {problem}")
                continue
            published += ClinicPhoto.objects.filter(
                pk=photo.pk, consent_confirmed_at__isnull=True
            ).update(consent_confirmed_at=timezone.now(), consent_confirmed_by=request.user)
        _choose_covers(queryset)
        _bump_pages()
        self.message_user(
            request, f"Published {counted(published, 'photo', 'photos')}.", messages.SUCCESS
        )
        if held:
            self.message_user(request, "Not published: " + "; ".join(held), messages.WARNING)

    @admin.action(description="Withdraw consent (take the selected photos off the site)")
    def withdraw_consent(self, request, queryset):
        count = queryset.update(consent_confirmed_at=None, consent_confirmed_by=None)
        _choose_covers(queryset)
        _bump_pages()
        self.message_user(
            request, f"Took {counted(count, 'photo', 'photos')} off the site.", messages.SUCCESS
        )

    @admin.action(description="Clear the possible copy (I looked: it is this clinic's own)")
    def clear_match(self, request, queryset):
        count = queryset.awaiting_staff().update(
            match_cleared_at=timezone.now(), match_cleared_by=request.user
        )
        _choose_covers(queryset)
        _bump_pages()
        self.message_user(
            request, f"Cleared {counted(count, 'photo', 'photos')}.", messages.SUCCESS
        )


def _choose_covers(photos) -> None:
    # Publishing or withdrawing photos in bulk may change their clinics' card covers.
    Clinic.objects.filter(pk__in=photos.values("clinic_id")).refresh_covers()


def _bump_pages() -> None:
    # Actions update rows in bulk, which sends no signal: tell the page cache ourselves.
    content_changed()


class LapsingFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [("soon", "Runs out within 30 days"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.valid_on(today).filter(
                expires_on__lte=today + timedelta(days=settings.CREDENTIAL_REMINDER_DAYS)
            )
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


class CredentialEmailInline(OutgoingEmailInline):
    model = CredentialEmail
    fields = ("expires_on", *EMAIL_FIELDS)
    readonly_fields = fields


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["__str__", "clinic", "kind", "issuer", "checked_on", "expires_on", "valid"]
    list_filter = [LapsingFilter, "kind"]
    list_select_related = ["clinic", "artist"]
    search_fields = ["clinic__name", "artist__name", "issuer", "number"]
    raw_id_fields = ["clinic", "artist"]
    date_hierarchy = "expires_on"
    fields = [
        ("clinic", "artist"),
        ("kind", "title"),
        ("issuer", "number"),
        ("issued_on", "expires_on", "checked_on"),
        ("document", "document_link"),
        "notes",
        "checked_by",
    ]
    readonly_fields = ["document_link", "checked_by"]
    inlines = [CredentialEmailInline]

    @admin.display(description="Valid today", boolean=True)
    def valid(self, credential):
        return credential.is_valid_on(timezone.localdate())

    @admin.display(description="Open the document")
    def document_link(self, credential):
        return credential_document_link(credential)

    def save_model(self, request, obj, form, change):
        obj.checked_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        document = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:pk>/document/", document, name="clinics_credential_document"),
            *super().get_urls(),
        ]

    def document_view(self, request, pk: int):
        """The private document, for staff only (admin_view checks the staff login)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        credential = get_object_or_404(Credential, pk=pk)
        if not credential.document:
            raise Http404("No document was uploaded for this credential.")
        kind = mimetypes.guess_type(credential.document.name)[0] or "application/octet-stream"
        return private_file_response(credential.document, kind)


@admin.register(CredentialEmail)
class CredentialEmailAdmin(OutgoingEmailAdmin):
    list_display = ["credential", "expires_on", *OutgoingEmailAdmin.list_display]
    search_fields = ["credential__clinic__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["credential__clinic", "credential__artist"]
    raw_id_fields = ["credential"]
