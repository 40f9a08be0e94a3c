from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from common.page_cache import content_changed

from ..models import (
    Clinic,
    ClinicPhoto,
)
from .helpers import _image_preview, counted


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
