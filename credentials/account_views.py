"""A clinic's credentials in its account: what staff checked, until when, when the
reminder goes out, and uploading a renewed document for staff to check (owners)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.forms import has_control_characters
from members.access import member_required

from .models import Credential, CredentialRenewal, document_content_error


class RenewalForm(forms.ModelForm):
    class Meta:
        model = CredentialRenewal
        fields = ["document", "note"]
        labels = {
            "document": gettext_lazy("The renewed document"),
            "note": gettext_lazy("A note for our staff"),
        }
        help_texts = {
            "document": gettext_lazy(
                "PDF, JPG or PNG, up to 15 MB. Private: only our staff see it."
            )
        }
        widgets = {"document": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}

    def clean_document(self):
        document = self.cleaned_data["document"]
        problem = document_content_error(document)
        if problem:
            raise forms.ValidationError(problem)
        return document

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        if has_control_characters(note):
            raise forms.ValidationError(_("Please remove the invisible control characters."))
        return note


def _rows(clinic):
    today = timezone.localdate()
    warn = timedelta(days=settings.CREDENTIAL_REMINDER_DAYS)
    credentials = (
        Credential.objects.filter(clinic=clinic)
        .select_related("artist")
        .prefetch_related(
            Prefetch("renewals", queryset=CredentialRenewal.objects.order_by("-uploaded_at"))
        )
        .order_by("expires_on", "pk")
    )
    rows = []
    for credential in credentials:
        expires = credential.expires_on
        if expires is None:
            state = _("Does not expire")
        elif expires < today:
            state = _("Expired: its badge is off your profile")
        elif expires - warn <= today:
            state = _("Runs out soon")
        else:
            state = _("Valid")
        renewals = list(credential.renewals.all())
        rows.append(
            {
                "credential": credential,
                "state": state,
                "reminder_on": expires - warn if expires else None,
                "renewal": renewals[0] if renewals else None,
            }
        )
    return rows


@member_required(owner=True)
@require_http_methods(["GET", "HEAD"])
def credentials(request):
    member = request.member
    return render(
        request,
        "credentials/account_list.html",
        {
            "member": member,
            "rows": _rows(member.clinic),
            "form": RenewalForm(),
            "reminder_days": settings.CREDENTIAL_REMINDER_DAYS,
            "account_section": "credentials",
        },
    )


@member_required(owner=True)
@require_http_methods(["GET", "HEAD", "POST"])
def renew(request, credential_id: int):
    member = request.member
    credential = get_object_or_404(Credential, pk=credential_id, clinic=member.clinic)
    form = RenewalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        renewal = form.save(commit=False)
        renewal.credential = credential
        renewal.uploaded_by = request.user
        renewal.save()
        messages.success(
            request,
            _("Thank you: our staff will check the document and update the credential."),
        )
        return redirect("credentials_account:list")
    return render(
        request,
        "credentials/account_renew.html",
        {
            "member": member,
            "credential": credential,
            "form": form,
            "account_section": "credentials",
        },
        status=400 if form.is_bound else 200,
    )
