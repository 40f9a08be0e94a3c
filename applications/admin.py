from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from clinics import hours
from clinics.admin.clinics import listing_state
from clinics.admin.helpers import CountryFilter, counted
from clinics.admin.photos import photo_publication
from common.private_files import private_name_response
from outbox.admin import OutgoingEmailAdmin, OutgoingEmailInline

from .models import UPLOAD_STORAGE, ApplicationEmail, ApplicationUpload, ClinicApplication

# The change page's own Approve button (templates/admin/applications/clinicapplication/
# change_form.html): it posts the form with the portfolio's "publish" boxes.
APPROVE_BUTTON = "_approve"


class ApplicationCountryFilter(CountryFilter):
    country_path = "clinic__city__country"


class ApplicationEmailInline(OutgoingEmailInline):
    model = ApplicationEmail


@admin.register(ApplicationEmail)
class ApplicationEmailAdmin(OutgoingEmailAdmin):
    list_display = ["application", *OutgoingEmailAdmin.list_display]
    search_fields = ["application__clinic__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["application__clinic"]
    raw_id_fields = ["application"]


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the applicant)",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
    )


APPLICATION_FIELDS: tuple[str, ...] = (
    "clinic_link",
    "submitted_listing",
    "requested_city",
    "listing",
    "photos",
    "contact_name",
    "contact_email",
    "contact_phone",
    "status",
    "rejection_reason",
    "submitted_at",
    "decided_at",
    "decided_by",
    "check_reason",
    "ip_hash",
)


def _consultations(clinic) -> str:
    offered = [
        label
        for label, given in [
            (_("in person, at the studio"), clinic.consults_in_person),
            (_("online, by video call"), clinic.consults_online),
        ]
        if given
    ]
    return "; ".join(offered) if offered else _("none offered")


def _opening_hours(clinic):
    """Monday to Sunday as the profile shows them; what was typed, if it cannot be read."""
    days = hours.week(clinic.opening_hours)
    if not days:
        return clinic.opening_hours or _("Not given (the profile shows no hours)")
    return format_html(
        '<table class="opening-hours">{}</table>',
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", ((d.name, d.text) for d in days)),
    )


@admin.register(ClinicApplication)
class ClinicApplicationAdmin(admin.ModelAdmin):
    list_display = ["clinic", "city", "status", "contact_name", "submitted_at", "decided_at"]
    list_filter = ["status", ApplicationCountryFilter, "submitted_at"]
    list_select_related = ["clinic__city"]
    search_fields = ["clinic__name", "contact_name", "contact_email", "requested_city"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["clinic"]
    fields = APPLICATION_FIELDS
    # Staff may correct the contact; what was submitted and decided stays as it was.
    readonly_fields = tuple(f for f in APPLICATION_FIELDS if not f.startswith("contact_"))
    actions = ["approve_applications", "reject_applications"]
    inlines = [ApplicationEmailInline]
    # Approve and Reject buttons on each application's page (they run the actions).
    change_form_template = "admin/applications/clinicapplication/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("clinic__city")

    @admin.display(description="What the applicant sent")
    def submitted_listing(self, application):
        clinic = application.clinic
        languages = clinic.languages.all()
        rows = [
            ("Clinic name", clinic.name),
            (
                "City",
                str(clinic.city) if clinic.city_id else f"Not listed: {application.requested_city}",
            ),
            ("Street address", clinic.address),
            ("Clinic phone", clinic.phone),
            ("Website", clinic.website),
            ("Instagram", f"@{clinic.instagram}" if clinic.instagram else ""),
            ("Services", ", ".join(s.name for s in clinic.services.all())),
            ("Full treatment price", clinic.price_range),
            ("Year opened", clinic.established_year or ""),
            ("Email for quote requests", clinic.quote_email),
            ("About the clinic", clinic.description),
            (_("Languages spoken with clients"), ", ".join(str(lang) for lang in languages)),
            (_("Consultations"), _consultations(clinic)),
        ]
        return format_html(
            '<dl class="submitted-listing">{}{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((k, v or "—") for k, v in rows)),
            format_html("<dt>{}</dt><dd>{}</dd>", _("Opening hours"), _opening_hours(clinic)),
        )

    def has_add_permission(self, request):
        return False  # applications come from the public form

    @admin.display(description="City", ordering="clinic__city__name")
    def city(self, application):
        if application.clinic.city_id:
            return str(application.clinic.city)
        return f"Not listed: {application.requested_city}"

    @admin.display(description="Clinic")
    def clinic_link(self, application):
        url = reverse("admin:clinics_clinic_change", args=[application.clinic_id])
        return format_html('<a href="{}">{} (edit the listing)</a>', url, application.clinic.name)

    @admin.display(description="On the site?")
    def listing(self, application):
        if application.status == application.Status.SUBMITTED:
            return _("Not yet: waiting for your decision.")
        return listing_state(application.clinic)

    @admin.display(description="Portfolio photos")
    def photos(self, application):
        """Before the decision: each photo (privately), whose work, the applicant's word on
        consent, the copy check and a box to publish it on approval. After: the gallery
        photos approval made, and whether each is public."""
        if application.status != application.Status.SUBMITTED:
            photos = application.clinic.photos.all()
            if not photos:
                return "—"
            return format_html_join(
                "",
                '<p><img src="{}" alt="{}" width="160" loading="lazy" class="admin-preview"> '
                "{}</p>",
                (((p.thumbnail or p.image).url, p.alt_text, photo_publication(p)) for p in photos),
            )
        uploads = list(application.uploads.select_related("artist"))
        if not uploads:
            return "—"
        return format_html(
            '<table class="application-portfolio"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Photo (private)"),
            _("Whose work"),
            _("Client's consent"),
            _("Copy check"),
            _("Publish on approval"),
            format_html_join("", "{}", ((self._upload_row(application, u),) for u in uploads)),
        )

    def _upload_row(self, application, upload: ApplicationUpload):
        if upload.refused:
            return format_html('<tr><td colspan="5">{}</td></tr>', upload.refused)
        if not upload.ready:
            return format_html(
                '<tr><td colspan="5">{} {}</td></tr>',
                upload.display_name,
                _("is still being prepared (re-encoded and compared): reload in a minute."),
            )
        url = reverse(
            "admin:applications_clinicapplication_upload", args=[application.pk, upload.pk]
        )
        work = upload.artist.name if upload.artist else "—"
        if upload.months_healed:
            work = f"{work}, healed {upload.months_healed} months"
        consent = (
            _("Confirmed by the applicant on %(day)s")
            % {"day": f"{upload.client_consent_at:%-d %B %Y}"}
            if upload.client_consent_at
            else _("Not confirmed: cannot be published")
        )
        check: str
        if upload.match_details:
            check = format_html(
                '<strong class="admin-flag">{}</strong> {}',
                _("Possible copy, compare them:"),
                upload.match_details,
            )
            box_label = _("Publish (I compared them: it is this clinic's own work)")
        else:
            check = _("No match among the site's photos")
            box_label = _("Publish")
        box = (
            format_html(
                '<label><input type="checkbox" name="publish" value="{}"{}> {}</label>',
                upload.pk,
                " checked" if upload.publishable_by_default else "",
                box_label,
            )
            if upload.client_consent_at
            else "—"
        )
        return format_html(
            '<tr><td><a href="{}"><img src="{}" alt="{}" width="160" loading="lazy" '
            'class="admin-preview"></a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            url,
            url,
            upload.alt_text,
            work,
            consent,
            check,
            box,
        )

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [
            path(
                "<int:pk>/upload/<int:upload_pk>/",
                upload,
                name="applications_clinicapplication_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request, pk: int, upload_pk: int):
        """An applicant's photo, from private storage, for staff only (admin_view checks
        the staff login): it has no public address until staff publish it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        upload = get_object_or_404(ApplicationUpload, pk=upload_pk, application_id=pk, refused="")
        if not upload.ready:
            raise Http404("This photo is still being prepared.")
        return private_name_response(storages[UPLOAD_STORAGE], upload.file_name, "image/jpeg")

    def response_change(self, request, obj):
        if APPROVE_BUTTON not in request.POST:
            return super().response_change(request, obj)
        # The portfolio's boxes: the photos staff publish with the approval.
        publish = {int(v) for v in request.POST.getlist("publish") if v.isdigit()}
        self._approve(request, [obj], publish)
        return HttpResponseRedirect(request.path)

    @admin.action(description="Approve selected applications (list the clinics, email them)")
    def approve_applications(self, request, queryset):
        self._approve(request, list(queryset.select_related("clinic__city")), None)

    def _approve(self, request, applications, publish: set[int] | None) -> None:
        """Approve each, publishing `publish` (None: the photos ticked by default), and say
        which clinics are listed and what the others still need."""
        approved, skipped, unlisted = 0, [], []
        for application in applications:
            if application.clinic.city_id is None:
                skipped.append(application.clinic.name)
                continue
            if application.approve(request.user, publish):
                approved += 1
                gaps = application.clinic.listing_gaps()
                if gaps:
                    unlisted.append(f"{application.clinic.name} ({', '.join(gaps)})")
        self.message_user(
            request,
            f"Approved {counted(approved, 'application', 'applications')}; "
            f"{'its contact is' if approved == 1 else 'their contacts are'} being emailed.",
            messages.SUCCESS,
        )
        if unlisted:
            self.message_user(
                request,
                "Approved but not listed yet: " + "; ".join(unlisted) + ". Add an artist or "
                "publish a photo on the clinic's page (Gallery photos).",
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request,
                "Not approved, choose the clinic's city first: " + ", ".join(skipped),
                messages.WARNING,
            )

    @admin.action(description="Reject selected applications (asks for a reason)")
    def reject_applications(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for application in queryset.select_related("clinic__city"):
                if application.reject(request.user, form.cleaned_data["reason"]):
                    rejected += 1
            self.message_user(
                request,
                f"Rejected {counted(rejected, 'application', 'applications')}; the reason is "
                "being emailed.",
                messages.SUCCESS,
            )
            return None
        # An intermediate page: the reason is required, and goes to each applicant.
        return TemplateResponse(
            request,
            "admin/applications/clinicapplication/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject applications",
                "opts": self.model._meta,
                "form": form,
                "applications": list(queryset.select_related("clinic")),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
