from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clinics.admin.helpers import CountryFilter
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
        "decision",
        "photo_count",
        "sent_count",
        "failed_count",
    ]
    list_filter = ["status", "mode", "created_at", CountryFilter]
    search_fields = ["reference", "email", "name", "city__name", "clinic__name"]
    list_select_related = ["city"]
    date_hierarchy = "created_at"
    inlines = [QuoteDeliveryInline]
    actions = ["release_held", "resend_failed", "erase_client_data", "delete_selected"]
    change_form_template = "admin/quotes/quoterequest/change_form.html"
    fields = (
        "reference",
        "status",
        "spam_reason",
        "hold_reason",
        "hold_until",
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
                has_chosen=Exists(
                    QuoteReply.objects.filter(
                        delivery__quote=OuterRef("pk"), chosen_at__isnull=False
                    )
                ),
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

    @admin.display(description="Client's decision")
    def decision(self, quote):
        if quote.status == QuoteRequest.Status.ERASED:
            return "Erased"
        if quote.has_chosen:
            return "Chose an artist" + (", closed" if quote.closed_at else "")
        return "Closed" if quote.closed_at else "Open"

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

    @admin.action(description="Release held requests (send them to the artists now)")
    def release_held(self, request, queryset):
        count = sum(quote.release() for quote in queryset.filter(status=QuoteRequest.Status.HELD))
        self.message_user(request, released_message(count), messages.SUCCESS)

    @admin.action(
        description="Erase the client's data, and any review they wrote (as if they deleted it)"
    )
    def erase_client_data(self, request, queryset):
        quotes = list(queryset.exclude(status=QuoteRequest.Status.ERASED))
        for quote in quotes:
            quote.erase()
        self.message_user(
            request,
            ngettext("Erased %d request.", "Erased %d requests.", len(quotes)) % len(quotes),
            messages.SUCCESS,
        )

    def get_urls(self):
        # One click on a held request's page: a POST of its own, like an action.
        release = self.admin_site.admin_view(require_POST(self.release_view))
        return [
            path("<int:pk>/release/", release, name="quotes_quoterequest_release"),
            *super().get_urls(),
        ]

    def release_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionError
        quote = get_object_or_404(QuoteRequest, pk=pk)
        self.message_user(request, released_message(int(quote.release())), messages.SUCCESS)
        return redirect(reverse("admin:quotes_quoterequest_change", args=[pk]))

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


def released_message(count: int) -> str:
    if not count:
        return "Nothing to release: only held requests are sent on."
    return (
        ngettext(
            "Released %d request: it is on its way to the artists.",
            "Released %d requests: they are on their way to the artists.",
            count,
        )
        % count
    )
