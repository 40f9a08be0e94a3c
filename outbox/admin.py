"""Admin pieces every outgoing-email table shares: read-only rows and a resend action."""

from django.contrib import admin, messages
from django.utils.text import Truncator

from . import sending

EMAIL_FIELDS: tuple[str, ...] = (
    "kind",
    "to_email",
    "status",
    "sent_twice",
    "attempts",
    "sent_at",
    "event_at",
    "last_error",
    "message_id_header",
)
SENT_TWICE = "May have been sent twice"


class SentTwiceFilter(admin.SimpleListFilter):
    title = "sent twice?"
    parameter_name = "sent_twice"

    def lookups(self, request, model_admin):
        return [("maybe", SENT_TWICE)]

    def queryset(self, request, queryset):
        if self.value() == "maybe":
            return queryset.filter(retaken_at__isnull=False)
        return queryset


class SendStateMixin:
    @admin.display(description="Note")
    def sent_twice(self, row) -> str:
        """Shown where a lost worker may have sent the email before it went again."""
        if row.retaken_at is None:
            return ""
        return f"{SENT_TWICE} (same Message-ID; resent {row.retaken_at:%Y-%m-%d %H:%M} UTC)"


class ReadOnlyAdminMixin:
    """Records of what was sent: staff look, resend and delete, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OutgoingEmailInline(SendStateMixin, ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    fields = EMAIL_FIELDS
    readonly_fields = EMAIL_FIELDS


class OutgoingEmailAdmin(SendStateMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    # The row's state as the inlines show it, up to when it was sent; then the error.
    list_display = [*EMAIL_FIELDS[: EMAIL_FIELDS.index("sent_at") + 1], "short_error"]
    list_filter = ["status", SentTwiceFilter, "kind"]
    search_fields = ["to_email", "esp_message_id", "message_id_header"]
    readonly_fields = EMAIL_FIELDS
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
