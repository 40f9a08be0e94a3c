"""Staff decide on a clinic's pending changes: each field before and after, side by side,
then approve (it publishes, and the listing counts as reviewed today) or send back with
a reason the clinic reads in its account."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .models import ListingChange


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
        for change in obj.changes.values():
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
