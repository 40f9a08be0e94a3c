from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html_join

from outbox import sending
from outbox.admin import (
    EMAIL_FIELDS,
    OutgoingEmailAdmin,
    OutgoingEmailInline,
    ReadOnlyAdminMixin,
    resending_message,
)

from .links import photo_path
from .models import QuoteDelivery, QuoteReply, QuoteReplyRevision, QuoteRequest


class QuoteDeliveryInline(OutgoingEmailInline):
    model = QuoteDelivery
    fields = ("clinic", *EMAIL_FIELDS)
    readonly_fields = fields


@admin.register(QuoteRequest)
class QuoteRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "created_at",
        "status",
        "city",
        "mode",
        "photo_count",
        "sent_count",
        "failed_count",
    ]
    list_filter = ["status", "mode", "created_at", "city__country"]
    search_fields = ["reference", "email", "name", "city__name", "clinic__name"]
    list_select_related = ["city"]
    date_hierarchy = "created_at"
    inlines = [QuoteDeliveryInline]
    actions = ["resend_failed", "delete_selected"]
    fields = (
        "reference",
        "status",
        "spam_reason",
        "created_at",
        "dispatched_at",
        "name",
        "email",
        "phone",
        "city",
        "clinic",
        "mode",
        "message",
        "consent_at",
        "photo_thumbnails",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        artist = Q(deliveries__kind=QuoteDelivery.Kind.ARTIST)
        return (
            super()
            .get_queryset(request)
            .annotate(
                photos_n=Count("photos", distinct=True),
                sent_n=Count(
                    "deliveries",
                    filter=artist
                    & Q(
                        deliveries__status__in=[
                            QuoteDelivery.Status.SENT,
                            QuoteDelivery.Status.DELIVERED,
                        ]
                    ),
                    distinct=True,
                ),
                failed_n=Count(
                    "deliveries",
                    filter=artist
                    & Q(
                        deliveries__status__in=[
                            QuoteDelivery.Status.FAILED,
                            QuoteDelivery.Status.BOUNCED,
                        ]
                    ),
                    distinct=True,
                ),
            )
        )

    @admin.display(description="Photos", ordering="photos_n")
    def photo_count(self, quote):
        return quote.photos_n

    @admin.display(description="Sent", ordering="sent_n")
    def sent_count(self, quote):
        return quote.sent_n

    @admin.display(description="Failed", ordering="failed_n")
    def failed_count(self, quote):
        return quote.failed_n

    @admin.display(description="Photos")
    def photo_thumbnails(self, quote):
        photos = [p for p in quote.photos.all() if p.sanitised]
        if not photos:
            return "No sanitised photo yet."
        return format_html_join(
            " ",
            '<a href="{0}"><img src="{0}" alt="Client photo {1}" width="160" '
            'class="admin-preview"></a>',
            ((photo_path(p.pk, None), n) for n, p in enumerate(photos, start=1)),
        )

    @admin.action(description="Resend failed or bounced deliveries")
    def resend_failed(self, request, queryset):
        count = sending.resend(QuoteDelivery.objects.filter(quote__in=queryset))
        self.message_user(request, resending_message(count), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Erasure on request: deleting a request deletes its photos and deliveries.
        return request.user.has_perm("quotes.delete_quoterequest")


@admin.register(QuoteDelivery)
class QuoteDeliveryAdmin(OutgoingEmailAdmin):
    list_display = ["quote", "clinic", *OutgoingEmailAdmin.list_display]
    search_fields = ["quote__reference", "clinic__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["quote", "clinic"]
    raw_id_fields = ["quote", "clinic"]


class QuoteReplyRevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QuoteReplyRevision
    extra = 0
    can_delete = False
    fields = ("changed_at", "changed_by", "data")
    readonly_fields = fields


@admin.register(QuoteReply)
class QuoteReplyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Artists' answers, with every change they made, for staff to review."""

    list_display = [
        "delivery",
        "clinic",
        "declined",
        "price_min",
        "price_max",
        "currency",
        "updated_at",
        "seen_by_client_at",
        "chosen_at",
    ]
    list_filter = ["declined", "currency"]
    search_fields = ["delivery__quote__reference", "delivery__clinic__name"]
    list_select_related = ["delivery__clinic", "delivery__quote"]
    inlines = [QuoteReplyRevisionInline]

    @admin.display(description="Clinic", ordering="delivery__clinic__name")
    def clinic(self, reply):
        return reply.delivery.clinic
