"""Staff decide on a clinic's pending changes: each field before and after, side by side,
then approve (it publishes, and the listing counts as reviewed today) or send back with
a reason the clinic reads in its account."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from clinics.models import ClinicPhoto
from outbox.admin import OutgoingEmailAdmin

from .models import NEW_PHOTO, PORTRAIT, DecisionEmail, ListingChange


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("", "Not yet"), ("approve", "Approve: publish it"), ("send_back", "Send back")],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ListingChange
        fields = ["reason"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "send_back" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why, for the clinic: they read it in their account.")
        return data


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    if isinstance(value, dict):  # a new artist: each of its fields on a line
        return "\n".join(f"{name}: {item}" for name, item in value.items())
    return str(value)


def _upload_html(field: str, change: dict) -> str:
    """A new photo or portrait as staff judge it: the image, what the clinic said, and
    for a gallery photo what copy detection found."""
    after = change.get("after") or {}
    if field.startswith(PORTRAIT):
        return format_html(
            '<p><img src="{}" alt="" width="240" class="admin-preview"></p>',
            default_storage.url(after["file"]),
        )
    photo = ClinicPhoto.objects.filter(pk=after.get("photo", 0)).first()
    if photo is None:
        return format_html("<p>{}</p>", "The photo has been removed since.")
    if photo.match_found_at and not photo.match_cleared_at:
        found = format_html(
            "<p><strong>Possible copy.</strong> {} Approving records the consent; the photo "
            "stays hidden until you clear the match in Gallery photos.</p>",
            photo.match_details,
        )
    else:
        found = format_html("<p>{}</p>", "Copy detection found no match on the site.")
    return format_html(
        '<p><a href="{}"><img src="{}" alt="" width="320" class="admin-preview"></a></p>'
        "<p>{}<br>Described as: {}<br>Consent: {}</p>{}",
        photo.image.url,
        photo.thumbnail.url if photo.thumbnail else photo.image.url,
        photo.caption,
        photo.alt_text,
        after.get("consent", ""),
        found,
    )


@admin.register(ListingChange)
class ListingChangeAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["clinic", "changed_fields", "status", "made_by", "made_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["clinic", "made_by"]
    search_fields = ["clinic__name"]
    readonly_fields = ["clinic", "made_by", "made_at", "status", "diff", "decided_by", "decided_at"]

    def get_fields(self, request, obj=None):
        fields = ["clinic", "made_by", "made_at", "status", "diff"]
        if obj is not None and obj.status == ListingChange.Status.PENDING:
            return [*fields, "decision", "reason"]
        return [*fields, "reason", "decided_by", "decided_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None and obj.status != ListingChange.Status.PENDING:
            readonly.append("reason")
        return readonly

    def has_add_permission(self, request) -> bool:
        return False  # clinics make changes from their account

    @admin.display(description="Fields")
    def changed_fields(self, obj: ListingChange) -> str:
        return ", ".join(obj.field_labels())

    @admin.display(description="Before and after")
    def diff(self, obj: ListingChange) -> str:
        tables = []
        for field, change in obj.changes.items():
            if field.startswith((NEW_PHOTO, PORTRAIT)):
                tables.append((change.get("label", ""), _upload_html(field, change)))
                continue
            before, after = _text(change.get("before")), _text(change.get("after"))
            # difflib escapes the text itself.
            table = difflib.HtmlDiff(wrapcolumn=60).make_table(
                before.splitlines(), after.splitlines(), "Before", "After"
            )
            tables.append((change.get("label", ""), mark_safe(table)))
        return format_html_join("", "<h3>{}</h3>{}", tables) or format_html("<p>{}</p>", "—")

    def save_model(self, request, obj, form, change) -> None:
        decision = form.cleaned_data.get("decision")
        if decision == "approve":
            if obj.approve(request.user):
                messages.success(request, f"Published on {obj.clinic.name}'s profile.")
        elif decision == "send_back":
            if obj.send_back(request.user, form.cleaned_data["reason"]):
                messages.info(request, f"Sent back to {obj.clinic.name} with your reason.")
        elif change and obj.status == ListingChange.Status.PENDING:
            obj.save(update_fields=["reason"])


@admin.register(DecisionEmail)
class DecisionEmailAdmin(OutgoingEmailAdmin):
    list_display = ["change", *OutgoingEmailAdmin.list_display]
    list_select_related = ["change__clinic"]
    raw_id_fields = ["change"]
