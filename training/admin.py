"""Staff edit events with their classes, instructors, and see enquiries with their emails.

Times of classes are typed in the event's own zone (the venue's, or online the
organiser's), whatever zone the staff member is in; the database keeps them in UTC.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.forms import EmailAddressField
from outbox.admin import OutgoingEmailAdmin, OutgoingEmailInline, ReadOnlyAdminMixin

from . import zones
from .models import ClassInstructor, Enquiry, EnquiryEmail, Event, Instructor, TrainingClass

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed without a zone: the form reads it in the event's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value):
        # Django would make it aware in the current (UTC) zone; the form does it instead.
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


class TrainingClassForm(forms.ModelForm):
    starts_local = LocalDateTimeField(label="Starts", help_text="In the event’s time zone.")
    ends_local = LocalDateTimeField(label="Ends", help_text="In the event’s time zone.")

    class Meta:
        model = TrainingClass
        fields = [
            "event",
            "title",
            "slug",
            "kind",
            "topic",
            "level",
            "language",
            "summary",
            "price",
            "currency",
            "seats",
            "seats_taken",
            "includes_kit",
            "includes_certificate",
            "includes_models",
            "includes_other",
            "description",
            "prerequisites",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = self.instance.event.zone
            for name, value in (
                ("starts_local", self.instance.starts_at),
                ("ends_local", self.instance.ends_at),
            ):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        # On the event's page the inline's instance has the event being edited; on a
        # class's own page the event is one of the form's fields.
        event: Event | None = data.get("event") or getattr(self.instance, "event", None)
        if event is None or not event.time_zone:
            return data  # the event's own form says what is missing
        zone = event.zone
        for local, field in (("starts_local", "starts_at"), ("ends_local", "ends_at")):
            value: datetime | None = data.get(local)
            if value is None:
                continue
            try:
                setattr(self.instance, field, zones.aware(value, zone))
            except zones.NonexistentTime as exc:
                self.add_error(local, str(exc))
        starts, ends = data.get("starts_local"), data.get("ends_local")
        if starts and ends and ends <= starts:
            self.add_error("ends_local", "The class must end after it starts.")
        if (
            starts
            and event.starts_on
            and event.ends_on
            and not (event.starts_on <= starts.date() <= event.ends_on)
        ):
            self.add_error("starts_local", "The class must start during the event’s dates.")
        return data


class TrainingClassInline(admin.StackedInline):
    model = TrainingClass
    form = TrainingClassForm
    extra = 0
    show_change_link = True
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        ("title", "slug"),
        ("kind", "topic", "level", "language"),
        "summary",
        ("starts_local", "ends_local"),
        ("price", "currency", "seats", "seats_taken"),
        ("includes_kit", "includes_certificate", "includes_models", "includes_other"),
        "description",
        "prerequisites",
    ]


class ClassInstructorInline(admin.TabularInline):
    model = ClassInstructor
    extra = 1
    autocomplete_fields = ["instructor"]
    verbose_name = "instructor"
    verbose_name_plural = "instructors"


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        # Seat enquiries go to this address (To:): the same rule as every public form.
        field_classes = {"organiser_email": EmailAddressField}
        fields = [
            "name",
            "slug",
            "kind",
            "status",
            "is_sample",
            "summary",
            "starts_on",
            "ends_on",
            "online",
            "city",
            "venue_name",
            "venue_address",
            "time_zone",
            "organiser_clinic",
            "organiser_name",
            "organiser_email",
            "organiser_website",
            "description",
        ]

    def clean(self):
        data = super().clean()
        if (
            self.instance.pk
            and "city" in self.changed_data
            and "time_zone" not in self.changed_data
        ):
            # The venue moved and nobody chose a zone: find the new city's (Event.clean).
            self.instance.time_zone = data["time_zone"] = ""
        return data


def _keep_wall_clock(value: datetime, old: ZoneInfo, new: ZoneInfo) -> datetime:
    return value.astimezone(old).replace(tzinfo=new)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = ["name", "kind", "status", "starts_on", "place", "organiser", "is_sample"]
    list_filter = ["status", "kind", "online", "starts_on", "city__country"]
    list_select_related = ["city", "organiser_clinic"]
    search_fields = ["name", "slug", "organiser_name", "city__name"]
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["city", "organiser_clinic"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [TrainingClassInline]
    actions = ["publish", "unpublish", "duplicate_for_next_year"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "is_sample", "summary"]}),
        (
            "Dates and place",
            {"fields": ["starts_on", "ends_on", "online", "city", "venue_name", "venue_address"]},
        ),
        ("Time zone", {"fields": ["time_zone"]}),
        (
            "Organiser",
            {
                "fields": [
                    "organiser_clinic",
                    "organiser_name",
                    "organiser_email",
                    "organiser_website",
                ]
            },
        ),
        ("Text", {"fields": ["description"]}),
        ("History", {"fields": ["published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Place")
    def place(self, event):
        return event.place

    def save_model(self, request, obj, form, change):
        old_zone = Event.objects.get(pk=obj.pk).zone if change else None
        super().save_model(request, obj, form, change)
        if old_zone is not None and old_zone.key != obj.zone.key:
            # Classes keep their wall-clock times in the event's new zone; those edited in
            # this same form are read in the new zone by their own form.
            for training_class in obj.classes.all():
                training_class.starts_at = _keep_wall_clock(
                    training_class.starts_at, old_zone, obj.zone
                )
                training_class.ends_at = _keep_wall_clock(
                    training_class.ends_at, old_zone, obj.zone
                )
                training_class.save(update_fields=["starts_at", "ends_at", "updated_at"])

    @admin.action(description="Publish selected events")
    def publish(self, request, queryset):
        events = list(queryset.select_related("city", "organiser_clinic"))
        for event in events:
            event.status = Event.Status.PUBLISHED
            event.save()
        self.message_user(request, f"Published {len(events)} event(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected events (back to draft)")
    def unpublish(self, request, queryset):
        events = list(queryset.select_related("city", "organiser_clinic"))
        for event in events:
            event.status = Event.Status.DRAFT
            event.save()
        self.message_user(request, f"Unpublished {len(events)} event(s).", messages.SUCCESS)

    @admin.action(description="Duplicate for next year (as drafts)")
    def duplicate_for_next_year(self, request, queryset):
        copies = [event.duplicate_for_next_year() for event in queryset]
        names = ", ".join(copy.name for copy in copies)
        self.message_user(
            request,
            f"Made {len(copies)} draft(s) 52 weeks later: {names}. Check the dates, then publish.",
            messages.SUCCESS,
        )


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin):
    form = TrainingClassForm
    list_display = ["title", "event", "topic", "level", "starts_at", "seats", "seats_taken"]
    list_filter = ["topic", "level", "kind", "event__status"]
    list_select_related = ["event"]
    search_fields = ["title", "event__name"]
    raw_id_fields = ["event"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ClassInstructorInline]
    fields = [
        "event",
        *TrainingClassInline.fields,
    ]


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin):
    list_display = ["name", "artist_clinic", "website"]
    search_fields = ["name", "artist__name", "artist__clinic__name"]
    list_select_related = ["artist__clinic"]
    raw_id_fields = ["artist"]
    fields = ["artist", "name", "bio", "website"]

    @admin.display(description="Clinic")
    def artist_clinic(self, instructor):
        if instructor.artist is None:
            return "Guest"
        return instructor.artist.clinic.name


class EnquiryEmailInline(OutgoingEmailInline):
    model = EnquiryEmail


ENQUIRY_FIELDS = (
    "training_class",
    "created_at",
    "waiting_list",
    "name",
    "email",
    "clinic_name",
    "clinic",
    "experience",
    "message",
    "held_reason",
)


class HeldFilter(admin.SimpleListFilter):
    title = _("held for a check")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("yes", _("Held")), ("no", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(held_reason="")
        if self.value() == "no":
            return queryset.filter(held_reason="")
        return queryset


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "name",
        "training_class",
        "waiting_list",
        "held_reason",
        "email_status",
    ]
    list_filter = ["waiting_list", HeldFilter, "created_at", "experience"]
    actions = ["send_held"]
    list_select_related = ["training_class__event"]
    search_fields = ["name", "email", "clinic_name", "training_class__title"]
    date_hierarchy = "created_at"
    inlines = [EnquiryEmailInline]
    fields = ENQUIRY_FIELDS
    readonly_fields = ENQUIRY_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("emails")

    @admin.action(description=_("Send the held enquiries to their organisers"))
    def send_held(self, request, queryset):
        count = sum(enquiry.release() for enquiry in queryset.select_related("training_class"))
        self.message_user(
            request,
            ngettext("Sent %(count)d held enquiry.", "Sent %(count)d held enquiries.", count)
            % {"count": count}
            if count
            else _("None of them was held: nothing sent."),
            messages.SUCCESS,
        )

    @admin.display(description="Emails")
    def email_status(self, enquiry):
        return ", ".join(
            f"{email.get_kind_display()}: {email.get_status_display()}"
            for email in enquiry.emails.all()
        )


@admin.register(EnquiryEmail)
class EnquiryEmailAdmin(OutgoingEmailAdmin):
    list_display = ["enquiry", *OutgoingEmailAdmin.list_display]
    search_fields = ["enquiry__name", *OutgoingEmailAdmin.search_fields]
    list_select_related = ["enquiry__training_class"]
    raw_id_fields = ["enquiry"]
