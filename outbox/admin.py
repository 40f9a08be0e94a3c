"""Admin pieces every outgoing-email table shares: read-only rows and a resend action."""

from django.contrib import admin, messages
from django.utils.text import Truncator

from . import sending

EMAIL_FIELDS: tuple[str, ...] = (
    "kind",
    "to_email",
    "status",
    "attempts",
    "sent_at",
    "event_at",
    "last_error",
)


class ReadOnlyAdminMixin:
    """Records of what was sent: staff look, resend and delete, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OutgoingEmailInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    fields = EMAIL_FIELDS
    readonly_fields = EMAIL_FIELDS


class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "to_email", "status", "attempts", "sent_at", "short_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "esp_message_id"]
    actions = ["resend_failed"]

    @admin.display(description="Last error")
    def short_error(self, row):
        return Truncator(row.last_error).chars(80)

    @admin.action(description="Resend selected failed or bounced emails")
    def resend_failed(self, request, queryset):
        count = sending.resend(queryset)
        self.message_user(request, resending_message(count), messages.SUCCESS)


def resending_message(count: int) -> str:
    if not count:
        return "Nothing to resend: only failed or bounced emails are sent again."
    return f"Resending {count} email{'s' if count != 1 else ''}."
