import mimetypes
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from clinics.models import (
    Artist,
)
from common.private_files import private_file_response
from outbox.admin import EMAIL_FIELDS, OutgoingEmailAdmin, OutgoingEmailInline

from .models import Credential, CredentialEmail, CredentialRenewal


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
    url = reverse("admin:credentials_credential_document", args=[credential.pk])
    return format_html('<a href="{}">Open (staff only)</a>', url)


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
            path("<int:pk>/document/", document, name="credentials_credential_document"),
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


@admin.register(CredentialRenewal)
class CredentialRenewalAdmin(admin.ModelAdmin):
    """Renewed documents clinics sent from their accounts: open one, update its credential,
    then mark it checked (or not accepted, with a note the clinic reads)."""

    list_display = ["credential", "uploaded_at", "status"]
    list_filter = ["status"]
    list_select_related = ["credential__clinic", "credential__artist"]
    search_fields = ["credential__clinic__name"]
    fields = ["credential_link", "document_link", "note", "uploaded_at", "status", "staff_note"]
    readonly_fields = ["credential_link", "document_link", "note", "uploaded_at"]

    def has_add_permission(self, request) -> bool:
        return False  # clinics send them from their accounts

    @admin.display(description="Credential")
    def credential_link(self, renewal):
        url = reverse("admin:credentials_credential_change", args=[renewal.credential_id])
        return format_html('<a href="{}">{}</a>', url, renewal.credential)

    @admin.display(description="Document")
    def document_link(self, renewal):
        url = reverse("admin:credentials_credentialrenewal_document", args=[renewal.pk])
        return format_html('<a href="{}">Open (staff only)</a>', url)

    def get_urls(self):
        document = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:pk>/document/", document, name="credentials_credentialrenewal_document"),
            *super().get_urls(),
        ]

    def document_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        renewal = get_object_or_404(CredentialRenewal, pk=pk)
        kind = mimetypes.guess_type(renewal.document.name)[0] or "application/octet-stream"
        return private_file_response(renewal.document, kind)
