"""Moderation. A review is published, or rejected for a published reason, and nothing else:
staff cannot edit what a client wrote, delete a review, or take one down without choosing
a reason from the rules (/reviews/rules/). Only the client removes a review (its link, or
erasing the request: the quote request admin's "erase" does that at the client's word)."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from clinics.admin.helpers import counted
from common.page_cache import content_changed
from outbox.admin import OutgoingEmailAdmin, OutgoingEmailInline, ReadOnlyAdminMixin

from .forms import RejectionForm
from .models import ClinicReply, Review, ReviewEmail, ReviewInvite, ReviewPhoto


class NeverDeleted:
    """No delete button, no bulk delete: reviews leave the site only as the rules say."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class ModeratedAdmin(NeverDeleted, admin.ModelAdmin):
    """Shared by reviews and clinic replies: publish, or reject with a listed reason."""

    actions = ["publish_selected", "reject_selected"]
    list_filter = ["status", "rejection_reason"]

    def get_readonly_fields(self, request, obj=None):
        # Every field: what was written stays as written; decisions go through actions.
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)

    @admin.action(description="Publish the selected")
    def publish_selected(self, request, queryset):
        published = sum(item.publish(request.user) for item in queryset)
        content_changed()
        self.message_user(request, f"Published {counted(published, 'item', 'items')}.")

    @admin.action(description="Reject the selected, with a reason from the published rules")
    def reject_selected(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = sum(
                item.reject(request.user, form.cleaned_data["reason"]) for item in queryset
            )
            content_changed()
            self.message_user(request, f"Rejected {counted(rejected, 'item', 'items')}.")
            return None
        # An intermediate page: the reason is required, and only a listed one exists.
        return TemplateResponse(
            request,
            "admin/reviews/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject, with a published reason",
                "opts": self.model._meta,
                "form": form,
                "items": list(queryset),
                "action": "reject_selected",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


class ReviewPhotoInline(NeverDeleted, admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    can_delete = False
    fields = readonly_fields = ("preview", "sanitised", "match_details", "match_cleared_at")

    @admin.display(description="Photo")
    def preview(self, photo):
        return _preview(photo)


def _preview(photo: ReviewPhoto) -> str:
    if not photo.sanitised:
        return "Not sanitised yet"
    url = reverse("reviews:photo-thumb", args=[photo.pk])
    return format_html('<img src="{}" alt="" width="120" class="admin-preview">', url)


class ReviewEmailInline(OutgoingEmailInline):
    model = ReviewEmail
    fk_name = "review"


@admin.register(Review)
class ReviewAdmin(ModeratedAdmin):
    list_display = [
        "clinic",
        "rating",
        "display_name",
        "status",
        "rejection_reason",
        "stage",
        "submitted_at",
        "published_at",
    ]
    list_filter = ["status", "rejection_reason", "rating", "invite__stage"]
    list_select_related = ["clinic", "invite"]
    search_fields = ["clinic__name", "display_name", "text"]
    readonly_fields = ["verified", "photo_flags"]
    inlines = [ReviewPhotoInline, ReviewEmailInline]

    @admin.display(description="Stage", ordering="invite__stage")
    def stage(self, review):
        return review.invite.get_stage_display()

    @admin.display(description="Verified client")
    def verified(self, review):
        invite = review.invite
        return (
            f"Asked for a quote on {invite.asked_at:%-d %B %Y}, chose {review.clinic.name} on "
            f"{invite.chosen_at:%-d %B %Y} (request {invite.quote.reference})."
        )

    @admin.display(description="Possible copies")
    def photo_flags(self, review):
        flagged = [p for p in review.photos.all() if p.match_found_at and not p.match_cleared_at]
        if not flagged:
            return "None"
        return format_html_join("", "<p>{}</p>", ((p.match_details,) for p in flagged))


@admin.register(ClinicReply)
class ClinicReplyAdmin(ModeratedAdmin):
    list_display = ["review", "status", "rejection_reason", "submitted_at", "published_at"]
    list_select_related = ["review__clinic"]
    search_fields = ["review__clinic__name", "text"]


class FlaggedFilter(admin.SimpleListFilter):
    title = "copy check"
    parameter_name = "copy"

    def lookups(self, request, model_admin):
        return [("flagged", "Possible copy: check it")]

    def queryset(self, request, queryset):
        return queryset.awaiting_staff() if self.value() == "flagged" else queryset


@admin.register(ReviewPhoto)
class ReviewPhotoAdmin(NeverDeleted, admin.ModelAdmin):
    list_display = ["preview", "review", "sanitised", "match_found_at", "match_cleared_at"]
    list_filter = [FlaggedFilter, "sanitised"]
    list_select_related = ["review__clinic"]
    fields = readonly_fields = ("preview", "review", "sanitised", "match_details", "match_found_at")
    actions = ["clear_match"]

    @admin.display(description="Photo")
    def preview(self, photo):
        return _preview(photo)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description="Clear the possible copy (I looked: it is the client's own)")
    def clear_match(self, request, queryset):
        count = queryset.awaiting_staff().update(
            match_cleared_at=timezone.now(), match_cleared_by=request.user
        )
        content_changed()
        self.message_user(
            request, f"Cleared {counted(count, 'photo', 'photos')}.", messages.SUCCESS
        )


@admin.register(ReviewInvite)
class ReviewInviteAdmin(NeverDeleted, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["clinic", "stage", "chosen_at", "created_at", "withdrawn_at"]
    list_filter = ["stage"]
    list_select_related = ["clinic"]
    search_fields = ["clinic__name", "quote__reference"]
    exclude = ["email"]


@admin.register(ReviewEmail)
class ReviewEmailAdmin(OutgoingEmailAdmin):
    list_display = ["invite", *OutgoingEmailAdmin.list_display]
    search_fields = ["invite__clinic__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["invite__clinic"]
    raw_id_fields = ["invite", "review"]
