"""Staff read a conversation (a reported one first) and may close it."""

from django.contrib import admin, messages
from django.utils import timezone

from outbox.admin import OutgoingEmailAdmin

from .models import Conversation, Message, MessageEmail, RefusalEmail


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("created_at", "side", "via", "body", "shares_contact", "reported_at", "reported_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReportedFilter(admin.SimpleListFilter):
    title = "reported"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "With a reported message")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(messages__reported_at__isnull=False).distinct()
        return queryset


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "closed_by_staff_at"]
    list_filter = [ReportedFilter]
    list_select_related = ["quote", "delivery__clinic"]
    search_fields = ["quote__reference", "delivery__clinic__name"]
    fields = ("quote", "delivery", "created_at", "closed_by_staff_at")
    readonly_fields = fields
    inlines = [MessageInline]
    actions = ["close_conversations"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Close the selected conversations (no new message is taken)")
    def close_conversations(self, request, queryset):
        count = queryset.filter(closed_by_staff_at__isnull=True).update(
            closed_by_staff_at=timezone.now()
        )
        self.message_user(request, f"Closed {count} conversation(s).", messages.SUCCESS)


admin.site.register(MessageEmail, OutgoingEmailAdmin)
admin.site.register(RefusalEmail, OutgoingEmailAdmin)
