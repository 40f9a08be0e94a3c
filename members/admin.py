"""Staff's side of clinic accounts: who belongs to which clinic, and inviting people.

Removing a member here (delete) ends their access at their next request. Inviting
sends one email with a link that works for MEMBER_INVITATION_DAYS.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from common.forms import EmailAddressField
from outbox.admin import OutgoingEmailAdmin

from .models import ClinicMember, Invitation, MemberEmail, SignInLink, normalise_email
from .signin import invite


@admin.register(ClinicMember)
class ClinicMemberAdmin(admin.ModelAdmin):
    list_display = ["user_email", "clinic", "role", "joined_at"]
    list_filter = ["role"]
    list_select_related = ["user", "clinic"]
    search_fields = ["user__email", "clinic__name"]
    raw_id_fields = ["clinic", "artist"]
    readonly_fields = ["user", "joined_at"]
    fields = ["clinic", "user", "role", "artist", "joined_at"]

    @admin.display(description="Email", ordering="user__email")
    def user_email(self, obj: ClinicMember) -> str:
        return obj.user.email

    def has_add_permission(self, request) -> bool:
        # People join through an invitation (below), which proves they hold the address.
        return False


class InvitationForm(forms.ModelForm):
    class Meta:
        model = SignInLink
        fields = ["clinic", "email", "role"]
        field_classes = {"email": EmailAddressField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].required = True
        self.fields["role"].required = True

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if get_user_model().objects.filter(email__iexact=email, is_staff=True).exists():
            raise forms.ValidationError(
                "This address belongs to a staff account, which signs in through the admin. "
                "Use another address for the clinic account."
            )
        return email


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationForm
    list_display = ["email", "clinic", "role", "created_at", "expires_at", "used_at"]
    list_select_related = ["clinic"]
    search_fields = ["email", "clinic__name"]
    raw_id_fields = ["clinic"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(purpose=SignInLink.Purpose.INVITATION)

    def has_change_permission(self, request, obj=None) -> bool:
        # An invitation is sent as it was made; a wrong one is deleted and made again.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        link = invite(obj.clinic, obj.email, obj.role, by=request.user)
        obj.pk = link.pk
        messages.info(request, f"Invitation emailed to {link.email}.")


@admin.register(MemberEmail)
class MemberEmailAdmin(OutgoingEmailAdmin):
    list_display = ["link", *OutgoingEmailAdmin.list_display]
    list_select_related = ["link"]
    raw_id_fields = ["link"]
