from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from articles.admin import english, translation_fieldsets
from outbox.admin import OutgoingEmailAdmin, OutgoingEmailInline

from .models import ContactEmail, ContactMessage, SitePage


@admin.register(SitePage)
class SitePageAdmin(TranslationAdmin):
    list_display = ["title", "slug", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", *english("title", "summary", "body")]}),
        *translation_fieldsets("title", "summary", "body"),
    ]

    def has_add_permission(self, request):
        return False  # each page has a fixed address; they exist from the first migrate

    def has_delete_permission(self, request, obj=None):
        return False


class ContactEmailInline(OutgoingEmailInline):
    model = ContactEmail


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "topic", "name", "reference", "check_reason"]
    list_filter = ["topic", "created_at"]
    search_fields = ["name", "email", "reference", "message"]
    fields = (
        "name",
        "email",
        "topic",
        "reference",
        "message",
        "check_reason",
        "receipt_withheld",
        "created_at",
    )
    readonly_fields = fields
    inlines = [ContactEmailInline]

    def has_add_permission(self, request):
        return False


@admin.register(ContactEmail)
class ContactEmailAdmin(OutgoingEmailAdmin):
    list_display = ["message", *OutgoingEmailAdmin.list_display]
    raw_id_fields = ["message"]
