"""Moderation. A review is published, or rejected for a published reason, and nothing else:
staff cannot edit what a client wrote, delete a review, or take one down without choosing
a reason from the rules (/reviews/rules/). Only the client removes a review (its link, or
erasing the request: the quote request admin's "erase" does that at the client's word)."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
    """Shared by reviews and clinic replies: publish, or reject with a listed reason.

    Two ways in, one code path: the list's actions, and Publish / Reject buttons on an
    item's page (change_form.html), whose views run the same actions on that one item."""

    actions = ["publish_selected", "reject_selected"]
    list_filter = ["status", "rejection_reason"]
    change_form_template = "admin/reviews/moderated_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # Every field: what was written stays as written; decisions go through actions.
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)

    @admin.action(description=gettext_lazy("Publish the selected"))
    def publish_selected(self, request, queryset):
        selected = len(queryset)
        published = sum(item.publish(request.user) for item in queryset)
        content_changed()
        if published:
            self.message_user(
                request,
                ngettext(
                    "Published %(count)d %(items)s.", "Published %(count)d %(items)s.", published
                )
                % {"count": published, "items": model_ngettext(self.opts, published)},
                messages.SUCCESS,
            )
        if published < selected:
            self._already_decided(request, selected - published)

    @admin.action(
        description=gettext_lazy("Reject the selected, with a reason from the published rules")
    )
    def reject_selected(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            selected = len(queryset)
            rejected = sum(
                item.reject(request.user, form.cleaned_data["reason"]) for item in queryset
            )
            content_changed()
            if rejected:
                self.message_user(
                    request,
                    ngettext(
                        "Rejected %(count)d %(items)s: %(reason)s",
                        "Rejected %(count)d %(items)s: %(reason)s",
                        rejected,
                    )
                    % {
                        "count": rejected,
                        "items": model_ngettext(self.opts, rejected),
                        "reason": Review.Rejection(form.cleaned_data["reason"]).label,
                    },
                    messages.SUCCESS,
                )
            if rejected < selected:
                self._already_decided(request, selected - rejected)
            return None
        # An intermediate page: the reason is required, and only a listed one exists.
        return TemplateResponse(
            request,
            "admin/reviews/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject, with a published reason"),
                "opts": self.model._meta,
                "form": form,
                "items": list(queryset),
                "action": "reject_selected",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    def _already_decided(self, request, count: int) -> None:
        self.message_user(
            request,
            ngettext(
                "%(count)d %(items)s had already been decided and stayed as it was.",
                "%(count)d %(items)s had already been decided and stayed as they were.",
                count,
            )
            % {"count": count, "items": model_ngettext(self.opts, count)},
            messages.WARNING,
        )

    # The buttons on an item's page.

    def can_publish(self, obj) -> bool:
        return obj.status == Review.Status.PENDING

    def can_reject(self, obj) -> bool:
        return obj.status == Review.Status.PENDING

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["can_publish"] = self.can_publish(obj)
            context["can_reject"] = self.can_reject(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        publish = self.admin_site.admin_view(self.publish_view)
        reject = self.admin_site.admin_view(self.reject_view)
        return [
            path("<int:pk>/publish/", publish, name="{}_{}_publish".format(*info)),
            path("<int:pk>/reject/", reject, name="{}_{}_reject".format(*info)),
            *super().get_urls(),
        ]

    def _one(self, request, pk: int):
        """The item as a one-item queryset, for the actions; only for staff who may change it."""
        queryset = self.get_queryset(request).filter(pk=pk)
        item = get_object_or_404(queryset)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        return item, queryset

    def _change_url(self, pk: int) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[pk])

    def publish_view(self, request, pk: int):
        """GET asks (publishing emails the client and the clinic: that cannot be taken
        back); POST publishes, through the list's action."""
        item, queryset = self._one(request, pk)
        if request.method == "POST":
            self.publish_selected(request, queryset)
            return redirect(self._change_url(pk))
        return TemplateResponse(
            request,
            "admin/reviews/publish.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Publish this %(item)s?") % {"item": self.opts.verbose_name},
                "opts": self.opts,
                "item": item,
                "emails_sent": isinstance(item, Review),
                "cancel_url": self._change_url(pk),
            },
        )

    def reject_view(self, request, pk: int):
        """The list's reject action on this one item: its reason page (the confirmation),
        then back to the item's page."""
        _item, queryset = self._one(request, pk)
        response = self.reject_selected(request, queryset)
        if response is None:
            return redirect(self._change_url(pk))
        response.context_data["cancel_url"] = self._change_url(pk)
        return response


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

    def can_reject(self, obj) -> bool:
        return obj.status != Review.Status.REJECTED  # a published review may be taken down

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
