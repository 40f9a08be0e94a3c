"""The listing editor of a clinic's account (owners only).

One page, several small forms, each posted on its own: what publishes at once (hours,
consultation options, languages, closures, pausing requests) and what staff check first
(summary, description). Every post that changes something leaves a ListingChange row.
"""

import secrets

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clinics.models import Artist, Clinic, ClinicClosure
from members.access import member_required

from .forms import AboutForm, ArtistForm, ClosureForm, PauseForm, PracticalForm, ServicesForm
from .models import ListingChange, prices_outside_band


def _shown(value) -> object:
    """A value as the record keeps it (JSON): languages as a sorted list of names."""
    if hasattr(value, "all"):  # a many-to-many manager, or the form's queryset
        return sorted(str(item) for item in value.all())
    return value


def _diff(form, before: dict) -> dict:
    return {
        name: {
            "label": str(form.fields[name].label),
            "before": before[name],
            "after": _shown(form.cleaned_data[name]),
        }
        for name in form.changed_data
        if name in before and before[name] != _shown(form.cleaned_data[name])
    }


# How the record of a change names the texts in other languages (staff read it in admin).
TRANSLATED_LABELS = {
    "summary_translations": gettext_lazy("Summary in other languages"),
    "description_translations": gettext_lazy("Description in other languages"),
}


def _about_diff(form: AboutForm, before: dict) -> dict:
    """The about form's changes against the clinic's current texts: its model fields, and
    the texts in other languages as one value each (every language's text)."""
    changes = _diff(form, before)
    for name in AboutForm.TRANSLATED:
        after = form.cleaned_data[name]
        if (before[name] or {}) != after:
            changes[name] = {
                "label": str(TRANSLATED_LABELS[name]),
                "before": before[name] or {},
                "after": after,
            }
    return changes


def _before(clinic: Clinic, fields) -> dict:
    return {name: _shown(getattr(clinic, name)) for name in fields}


def _pause_initial(clinic: Clinic) -> dict:
    return {
        "state": PauseForm.Choice.PAUSE if clinic.is_paused else PauseForm.Choice.TAKE,
        "resume_on": clinic.requests_resume_on,
    }


@member_required(owner=True)
@require_http_methods(["GET", "HEAD", "POST"])
def listing(request):
    member = request.member
    clinic = (
        Clinic.objects.select_related("city")
        .prefetch_related("languages", "services", "closures")
        .get(pk=member.clinic_id)
    )
    # Read before any form is validated: a ModelForm's validation writes its values onto
    # the instance.
    before = _before(
        clinic,
        [
            *PracticalForm.Meta.fields,
            *AboutForm.Meta.fields,
            *AboutForm.TRANSLATED,
            *ServicesForm.Meta.fields,
        ],
    )
    section = request.POST.get("section") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    practical = PracticalForm(data if section == "practical" else None, instance=clinic)
    pending = list(ListingChange.objects.pending().filter(clinic=clinic))
    # The form shows what the clinic asked for last, while staff have not decided yet.
    waiting = {
        name: change["after"] for row in reversed(pending) for name, change in row.changes.items()
    }
    about = AboutForm(data if section == "about" else None, instance=clinic, initial=waiting)
    services = ServicesForm(data if section == "services" else None, instance=clinic)
    pause = PauseForm(data if section == "pause" else None, initial=_pause_initial(clinic))
    closure = ClosureForm(data if section == "closure" else None)

    if section == "practical" and practical.is_valid():
        changes = _diff(practical, before)
        if changes:
            with transaction.atomic():
                practical.save()
                ListingChange.record(clinic, request.user, changes, checked=False)
            messages.success(request, _("Saved: your profile shows it now."))
        else:
            messages.info(request, _("Nothing had changed."))
        return redirect("listing_changes:edit")
    if section == "services" and services.is_valid():
        changes = _diff(services, before)
        prices = {name: changes.pop(name) for name in ("price_from", "price_to") if name in changes}
        held = prices and prices_outside_band(
            clinic, services.cleaned_data["price_from"], services.cleaned_data["price_to"]
        )
        with transaction.atomic():
            if held:
                # The form wrote the new prices onto the clinic: keep the old ones there.
                clinic.price_from, clinic.price_to = before["price_from"], before["price_to"]
                ListingChange.record(clinic, request.user, prices, checked=True)
            else:
                changes.update(prices)
            services.save()
            if changes:
                ListingChange.record(clinic, request.user, changes, checked=False)
        if held:
            messages.info(
                request,
                _(
                    "Your prices are far from what artists quote in your city, so our staff "
                    "check them first; your profile shows the old ones until then."
                ),
            )
        elif changes:
            messages.success(request, _("Saved: your profile shows it now."))
        else:
            messages.info(request, _("Nothing had changed."))
        return redirect("listing_changes:edit")
    if section == "about" and about.is_valid():
        changes = _about_diff(about, before)
        if changes:
            # Not saved on the clinic: staff publish it (ListingChange.approve).
            ListingChange.record(clinic, request.user, changes, checked=True)
            messages.success(
                request,
                _(
                    "Sent to our staff. Your profile shows the new text once they have "
                    "checked it; until then it shows the text it has now."
                ),
            )
        else:
            messages.info(request, _("Nothing had changed."))
        return redirect("listing_changes:edit")
    if section == "pause" and pause.is_valid():
        paused = pause.cleaned_data["state"] == PauseForm.Choice.PAUSE
        resume_on = pause.cleaned_data["resume_on"] if paused else None
        changes = {}
        if (clinic.requests_paused, clinic.requests_resume_on) != (paused, resume_on):
            changes = {
                "requests_paused": {
                    "label": "Requests paused",
                    "before": clinic.requests_paused,
                    "after": paused,
                },
                "requests_resume_on": {
                    "label": "Take requests again on",
                    "before": _iso(clinic.requests_resume_on),
                    "after": _iso(resume_on),
                },
            }
            with transaction.atomic():
                clinic.requests_paused, clinic.requests_resume_on = paused, resume_on
                clinic.save(update_fields=["requests_paused", "requests_resume_on", "updated_at"])
                ListingChange.record(clinic, request.user, changes, checked=False)
        if paused and resume_on:
            messages.success(
                request,
                _("Requests are paused until %(day)s; they start again that day.")
                % {"day": date_filter(resume_on, "DATE_FORMAT")},
            )
        elif paused:
            messages.success(request, _("Requests are paused until you take them again here."))
        else:
            messages.success(request, _("You are taking requests."))
        return redirect("listing_changes:edit")
    if section == "closure" and closure.is_valid():
        with transaction.atomic():
            added = closure.save(commit=False)
            added.clinic = clinic
            added.save()
            ListingChange.record(
                clinic,
                request.user,
                {"closures": {"label": "Closed", "before": None, "after": str(added)}},
                checked=False,
            )
        messages.success(request, _("Closure added: your profile shows it now."))
        return redirect("listing_changes:edit")

    status = 400 if section else 200
    return render(
        request,
        "listing_changes/edit.html",
        {
            "member": member,
            "clinic": clinic,
            "practical": practical,
            "services": services,
            "about": about,
            "pause": pause,
            "closure": closure,
            "closures": list(clinic.closures.all()),
            "pending": pending,
            "recent": list(
                ListingChange.objects.filter(clinic=clinic).select_related("made_by")[:20]
            ),
            "account_section": "listing",
        },
        status=status,
    )


def _iso(day) -> str | None:
    return day.isoformat() if day else None


@member_required(owner=True)
@require_POST
def remove_closure(request, closure_id: int):
    clinic = request.member.clinic
    closure = get_object_or_404(ClinicClosure, pk=closure_id, clinic=clinic)
    with transaction.atomic():
        ListingChange.record(
            clinic,
            request.user,
            {"closures": {"label": "Closed", "before": str(closure), "after": None}},
            checked=False,
        )
        closure.delete()
    messages.success(request, _("Closure removed."))
    return redirect("listing_changes:edit")


@member_required(owner=True)
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request):
    """The owner asks to take the listing off the site: said first, then asked of staff,
    who confirm it (ListingChange.approve sets the clinic's status)."""
    member = request.member
    clinic = member.clinic
    asked = ListingChange.objects.pending().filter(clinic=clinic, changes__has_key="status")
    if request.method == "POST" and not asked.exists():
        ListingChange.record(
            clinic,
            request.user,
            {
                "status": {
                    "label": "Withdraw the listing",
                    "before": clinic.status,
                    "after": Clinic.Status.WITHDRAWN,
                }
            },
            checked=True,
        )
        messages.success(
            request,
            _(
                "Your request to withdraw the listing is with our staff. Until they confirm it, "
                "the listing stays on the site."
            ),
        )
        return redirect("listing_changes:edit")
    return render(
        request,
        "listing_changes/withdraw.html",
        {"member": member, "clinic": clinic, "asked": asked.exists(), "account_section": "listing"},
    )


def _editable_artists(member):
    """The artists this member may edit: all of the clinic's for an owner, their own
    (the artist their membership names) for an artist member."""
    artists = Artist.objects.filter(clinic=member.clinic)
    if member.is_owner:
        return artists
    return artists.filter(pk=member.artist_id or 0)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def artists(request):
    """Artists' names, bios and years, published at once; a new artist waits for staff."""
    member = request.member
    editable = list(_editable_artists(member))
    wanted = request.POST.get("artist") if request.method == "POST" else None
    forms_by_id = {
        artist.pk: ArtistForm(
            request.POST if wanted == str(artist.pk) else None,
            instance=artist,
            prefix=f"artist-{artist.pk}",
        )
        for artist in editable
    }
    new_form = ArtistForm(request.POST if wanted == "new" else None, prefix="new")
    for artist_id, form in forms_by_id.items():
        if form.is_bound:
            before = {name: getattr(form.instance, name) for name in ArtistForm.Meta.fields}
            if form.is_valid():
                changes = {
                    f"artist:{artist_id}:{name}": {
                        "label": f"{before['name']}: {form.fields[name].label}",
                        "before": before[name],
                        "after": form.cleaned_data[name],
                    }
                    for name in form.changed_data
                }
                if changes:
                    with transaction.atomic():
                        form.save()
                        ListingChange.record(member.clinic, request.user, changes, checked=False)
                    messages.success(request, _("Saved: your profile shows it now."))
                return redirect("listing_changes:artists")
    if member.is_owner and new_form.is_bound and new_form.is_valid():
        ListingChange.record(
            member.clinic,
            request.user,
            {
                # A key of its own: two new artists asked for are two changes, not one.
                f"new_artist:{secrets.token_hex(4)}": {
                    "label": "A new artist",
                    "before": None,
                    "after": {name: new_form.cleaned_data[name] for name in ArtistForm.Meta.fields},
                }
            },
            checked=True,
        )
        messages.success(request, _("Sent to our staff: the artist shows once they have checked."))
        return redirect("listing_changes:artists")
    return render(
        request,
        "listing_changes/artists.html",
        {
            "member": member,
            "forms": list(forms_by_id.values()),
            "new_form": new_form if member.is_owner else None,
            "account_section": "artists",
        },
        status=400 if wanted else 200,
    )
