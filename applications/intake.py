"""Clinics apply to be listed: the public form, storing an application as a pending clinic,
and the worker's side (publishing the photos sent, then the emails).

This form owns a transaction, photo files and emails, much like quotes/forms.py does for
quote requests.
"""

import logging
import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinics.forms import grouped_city_choices
from clinics.models import (
    FIRST_YEAR,
    Artist,
    City,
    Clinic,
    Language,
    Service,
)
from common import fingerprints
from common.forms import (
    EmailAddressField,
    PhotosField,
    PhotoUploadForm,
    files_removed_on_error,
)
from common.photos import PhotoRejected, display_name, sanitise
from outbox import queue

from .models import (
    PROCESS_APPLICATION_TASK,
    UPLOAD_STORAGE,
    ApplicationEmail,
    ApplicationUpload,
    ClinicApplication,
)

logger = logging.getLogger(__name__)

CURRENCIES = ["GBP", "EUR", "USD", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "ZAR"]


class CityChoiceField(forms.TypedChoiceField):
    """Shown as required (it is, unless the city is typed in instead), checked in clean()."""

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


# Artists an application may name (staff add more later); each needs a name and a bio.
ARTIST_SLOTS = 3
ARTIST_BIO_MAX = 600


def _artist_fields(n: int) -> tuple[str, str]:
    return f"artist_{n}_name", f"artist_{n}_bio"


# What an applicant tells the public about the clinic, beyond its name, place and contact.
LISTING_FIELDS = [
    "instagram",
    "services",
    "price_from",
    "price_to",
    "currency",
    "established_year",
    "description",
    "languages",
    "consults_in_person",
    "consults_online",
    "opening_hours",
]


def _artist_label(number: int) -> str:
    return gettext("Artist %(number)s") % {"number": number}


# The photos' artist choices are made when the module loads: each label is translated
# when it is shown, in the language of that request.
_artist_label_lazy = lazy(_artist_label, str)


def _bio_missing(name: str) -> str:
    return gettext("Please add a short bio for %(name)s.") % {"name": name}


class ClinicApplicationForm(PhotoUploadForm, forms.ModelForm):
    """The "List your clinic" form: the listing, portfolio photos and a contact for staff."""

    city = CityChoiceField(label=_("City"), coerce=int)
    other_city = forms.CharField(
        label=_("City not in the list? Type it here"),
        max_length=160,
        required=False,
        help_text=_("City and country, for example “Porto, Portugal”. We add it for you."),
    )
    clinic_website = forms.URLField(
        label=_("Clinic website"), required=False, assume_scheme="https", max_length=200
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you speak with clients"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services you offer"),
        queryset=Service.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick at least one service.")},
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(code, code) for code in CURRENCIES], initial="GBP"
    )
    photos = PhotosField(
        label=_("Portfolio photos: healed results"),
        help_text=_(
            "1 to 5 photos of your own healed results (JPG, PNG or HEIC), up to 15 MB "
            "each. They are shown on your listing once our staff have checked them."
        ),
    )
    photo_description = forms.CharField(
        label=_("Describe the photos in a few words"),
        max_length=120,
        required=False,
        help_text=_(
            "For people who can’t see them, e.g. “Hairline and crown after three sessions”."
        ),
    )
    photos_artist = forms.TypedChoiceField(
        label=_("Whose work do the photos show?"),
        coerce=int,
        choices=[(n, _artist_label_lazy(n)) for n in range(1, ARTIST_SLOTS + 1)],
        initial=1,
        help_text=_(
            "One of the artists named above; staff can credit each photo separately later."
        ),
    )
    months_healed = forms.IntegerField(
        label=_("Months between the last session and the photos"),
        min_value=1,
        max_value=240,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Healed results show how the work looks once it has settled: 1 or more."),
    )
    photo_consent = forms.BooleanField(
        label=_(
            "Each client shown in these photos agreed to their photo being published on this site."
        ),
        error_messages={
            "required": _("Please confirm your clients agreed: we publish no photo without it.")
        },
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = EmailAddressField(
        label=_("Your email address"),
        help_text=_("We tell you here when your listing is live. Never shown on the site."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Your phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the listing terms: the details and photos above are mine to publish, "
            "and staff may check them, edit them and decide whether to list the clinic."
        ),
        error_messages={"required": _("Please tick this box so we can review your clinic.")},
    )
    # Declared here, not taken from the model: staff may write longer descriptions in admin,
    # but an anonymous applicant's is bounded on the server.
    description = forms.CharField(
        label=_("About your clinic"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    established_year = forms.IntegerField(
        label=_("Year the clinic opened"),
        required=False,
        min_value=FIRST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Clinic
        fields = ["name", "address", "phone", *LISTING_FIELDS, "quote_email"]
        field_classes = {"quote_email": EmailAddressField}
        labels = {
            "name": _("Clinic name"),
            "address": _("Street address"),
            "phone": _("Clinic phone"),
            "instagram": _("Instagram handle"),
            "price_from": _("Full treatment price from"),
            "price_to": _("Full treatment price to"),
            "quote_email": _("Email for quote requests"),
            "consults_in_person": _("We offer consultations in person, at the studio"),
            "consults_online": _("We offer consultations online, by video call"),
        }
        help_texts = {
            "phone": _("Shown on your listing."),
            "instagram": _("Without the @."),
            "quote_email": _(
                "Clients’ quote requests go to this address. Never shown on the site."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "price_from": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "price_to": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    FIELDSETS = [
        (
            _("Your clinic"),
            ["name", "city", "other_city", "address", "phone", "clinic_website", *LISTING_FIELDS],
        ),
        (_("Artists"), [name for n in range(1, ARTIST_SLOTS + 1) for name in _artist_fields(n)]),
        (
            _("Portfolio"),
            ["photos", "photo_description", "photos_artist", "months_healed", "photo_consent"],
        ),
        (
            _("Contact for our staff"),
            ["contact_name", "contact_email", "contact_phone", "quote_email"],
        ),
    ]

    def __init__(self, *args, **kwargs):
        # Made for each form, so they are in the language of its request.
        self.no_photo_message = gettext("Please add at least one photo of your work.")
        self.no_artist_message = gettext(
            "Please name at least one artist who works at the clinic, with a short bio."
        )
        super().__init__(*args, **kwargs)
        for n in range(1, ARTIST_SLOTS + 1):
            name, bio = _artist_fields(n)
            # The first artist is asked for (a listing needs one); the others are offered.
            first = n == 1
            self.fields[name] = forms.CharField(
                label=gettext("Artist %(number)s: name") % {"number": n},
                max_length=120,
                required=first,
                error_messages={"required": self.no_artist_message},
                help_text=gettext("Who does the treatments.")
                if first
                else gettext("Another artist at the clinic, if there is one."),
            )
            self.fields[bio] = forms.CharField(
                label=gettext("Artist %(number)s: short bio") % {"number": n},
                max_length=ARTIST_BIO_MAX,
                required=first,
                error_messages={"required": gettext("Please add a short bio for this artist.")},
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=gettext(
                    "A few sentences: training, years of practice, what they do best."
                ),
            )
        self.fields["consent"].help_text = format_html(
            gettext(
                'Read the <a href="{terms_url}">listing terms</a> and '
                '<a href="{approval_url}">how we approve clinics</a>.'
            ),
            terms_url=reverse("pages:listing-terms"),
            approval_url=reverse("pages:how-we-approve-clinics"),
        )
        for name in ("quote_email", "address"):
            self.fields[name].required = True
        self._cities = {city.pk: city for city in City.objects.all()}
        self.fields["city"].choices = grouped_city_choices(
            self._cities.values(), gettext("Choose your city…")
        )
        self.fields["city"].error_messages["invalid_choice"] = gettext(
            "Please choose a city from the list."
        )

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_city(self) -> City | None:
        value = self.cleaned_data["city"]
        return self._cities[value] if value not in ("", None) else None

    def clean_instagram(self) -> str:
        return self.cleaned_data["instagram"].strip().lstrip("@")

    def clean_established_year(self) -> int | None:
        year = self.cleaned_data["established_year"]
        if year is not None and year > timezone.now().year:
            raise forms.ValidationError(gettext("Please give a year that has already begun."))
        return year

    def _clean_artists(self, data: dict) -> None:
        """At least one artist with a name and a bio; `data["artists"]` maps each filled
        slot's number to (name, bio)."""
        artists: dict[int, tuple[str, str]] = {}
        for n in range(1, ARTIST_SLOTS + 1):
            name_field, bio_field = _artist_fields(n)
            name = data.get(name_field, "").strip()
            typed_bio = str(self.data.get(self.add_prefix(bio_field), "")).strip()
            if name and not typed_bio and bio_field in self.errors:
                # The first artist's bio is required: say whose bio is missing.
                self.errors[bio_field] = self.error_class([_bio_missing(name)])
                continue
            if name_field in self.errors or bio_field in self.errors:
                continue  # too long, or control characters: said on the field already
            name, bio = data.get(name_field, "").strip(), data.get(bio_field, "").strip()
            if name and not bio:
                self.add_error(bio_field, _bio_missing(name))
            elif bio and not name:
                self.add_error(name_field, gettext("Please give this artist’s name."))
            elif name:
                artists[n] = (name, bio)
        if not artists and not any(
            f in self.errors for n in range(1, ARTIST_SLOTS + 1) for f in _artist_fields(n)
        ):
            self.add_error("artist_1_name", self.no_artist_message)
        chosen = data.get("photos_artist")
        if artists and chosen is not None and chosen not in artists:
            self.add_error(
                "photos_artist",
                gettext("Artist %(number)s has no name above: choose a named artist.")
                % {"number": chosen},
            )
        data["artists"] = artists

    def clean(self):
        data = super().clean()
        self._clean_artists(data)
        if not data.get("city") and not data.get("other_city") and "city" not in self.errors:
            self.add_error(
                "city", gettext("Please choose your city, or type it below if it isn’t listed.")
            )
        low, high = data.get("price_from"), data.get("price_to")
        if low is not None and high is not None and low > high:
            self.add_error("price_to", gettext("The highest price can’t be below the lowest."))
        return data

    def _post_clean(self):
        # A price range in the wrong order is reported on its field above, not twice.
        low, high = self.cleaned_data.get("price_from"), self.cleaned_data.get("price_to")
        if low is not None and high is not None and low > high:
            return
        super()._post_clean()

    def save_application(
        self, *, ip_hash: str, check_reason: str = "", receipt_withheld: bool = False
    ) -> ClinicApplication:
        """Store the pending clinic, its photos as sent and the application together, or nothing.

        1. The clinic, status pending: no public page shows it until staff approve it,
           and its artists.
        2. Each photo exactly as uploaded (it passed inspection), in private storage, with
           whose work it is, how long healed, and the applicant's word that the client
           agreed: the worker re-encodes it without metadata (process_application), not
           this request.
        3. The application; once it has committed, the worker is asked to do step 2's
           work, and then emails the applicant and staff.
        """
        data = self.cleaned_data
        storage = storages[UPLOAD_STORAGE]
        now = timezone.now()
        with files_removed_on_error(storage) as stored, transaction.atomic():
            clinic = self.save(commit=False)
            clinic.city = data["city"]
            clinic.website = data["clinic_website"]
            clinic.status = Clinic.Status.PENDING
            clinic.slug = _free_slug(clinic.name, clinic.city)
            clinic.save()
            self.save_m2m()
            artists = {
                n: Artist.objects.create(clinic=clinic, name=name, bio=bio, order=n)
                for n, (name, bio) in sorted(data["artists"].items())
            }
            application = ClinicApplication.objects.create(
                clinic=clinic,
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                requested_city=data["other_city"] if data["city"] is None else "",
                ip_hash=ip_hash,
                check_reason=check_reason,
                receipt_withheld=receipt_withheld,
                form_nonce=self.submission_key(),
            )
            for number, (upload, info) in enumerate(self.photo_infos, start=1):
                extension = {"PNG": "png", "HEIF": "heic"}.get(info.format, "jpg")
                upload.seek(0)
                name = f"clinic-applications/{uuid.uuid4().hex}.{extension}"
                stored.append(name)  # before the write: a full disk leaves part of it
                name = stored[-1] = storage.save(name, File(upload))
                ApplicationUpload.objects.create(
                    application=application,
                    file_name=name,
                    display_name=display_name(upload.name or ""),
                    order=number,
                    alt_text=_alt_text(data["photo_description"], number, clinic.name),
                    artist=artists[data["photos_artist"]],
                    months_healed=data["months_healed"],
                    client_consent_at=now,
                )
            application.enqueue_photos()
        return application


# The worker's side: applications/tasks.py wraps these. ------------------------------------


def process_application(application_id: int) -> None:
    """Re-encode each waiting upload without its metadata and compare it with the site's
    photos, then send the submitted emails.

    The photos stay in private storage until staff approve the clinic (its approval
    turns them into gallery photos: ClinicApplication.approve). Each upload is claimed
    with a lease first, so two runs never handle one twice; the emails go once every
    upload is done (ready or refused), and only once whoever runs it (their rows are
    unique).
    """
    application = (
        ClinicApplication.objects.select_related("clinic").filter(pk=application_id).first()
    )
    if application is None:
        return  # deleted meanwhile (its uploads went with it)
    for upload in application.uploads.waiting():
        if _claim(upload):
            _prepare(upload)
    if not application.uploads.waiting().exists():
        with transaction.atomic():
            application.send_submitted_emails()


def _claim(upload: ApplicationUpload) -> bool:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WORK_LEASE_SECONDS)
    return bool(
        ApplicationUpload.objects.waiting()
        .filter(pk=upload.pk)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease)
    )


def _prepare(upload: ApplicationUpload) -> None:
    private = storages[UPLOAD_STORAGE]
    try:
        with private.open(upload.file_name, "rb") as source:
            content, _info = sanitise(source)
    except Exception:  # inspected at upload; a full decode can still find damage
        logger.warning("Portfolio photo %s could not be re-encoded; refused", upload.pk)
        reason = PhotoRejected("damaged", upload.display_name).args[0]
        ApplicationUpload.objects.filter(pk=upload.pk).update(refused=reason, lease_until=None)
        private.delete(upload.file_name)
        return
    fingerprint = fingerprints.fingerprint(content)
    content.seek(0)
    # Compared as a gallery photo is (common/fingerprints.py); nothing else is flagged
    # until staff publish it, when the gallery's own check runs again.
    notes = [
        f"Looks like {fingerprints.SOURCES[m.photo.source].describe(m.photo.pk)} "
        f"({m.distance} of 64 bits differ)."
        for m in fingerprints.find_matches(fingerprint, source="application", pk=upload.pk)
    ]
    original = upload.file_name
    with files_removed_on_error(private) as stored, transaction.atomic():
        name = f"clinic-applications/{uuid.uuid4().hex}.jpg"
        stored.append(name)  # before the write: a full disk leaves part of it
        name = stored[-1] = private.save(name, content)
        updated = ApplicationUpload.objects.filter(pk=upload.pk).update(
            file_name=name,
            ready=True,
            fingerprint=fingerprint,
            match_details=" ".join(notes),
            lease_until=None,
        )
        # The original goes once the clean copy is recorded (or the row was deleted
        # meanwhile, taking neither file with it: both go).
        gone = [original] if updated else [original, name]
        transaction.on_commit(lambda: _delete_files(private, gone))


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def sweep_applications(limit: int = 200) -> int:
    """Enqueue again the applications whose photos or emails are overdue."""
    now = timezone.now()
    before = now - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
    lost = ApplicationUpload.objects.waiting().filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now), application=OuterRef("pk")
    )
    receipt = ApplicationEmail.objects.filter(
        application=OuterRef("pk"), kind=ApplicationEmail.Kind.RECEIVED
    )
    ids = list(
        ClinicApplication.objects.filter(submitted_at__lt=before)
        .filter(Exists(lost) | ~Exists(receipt))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        queue.enqueue(PROCESS_APPLICATION_TASK, pk)
    return len(ids)


def _alt_text(description: str, number: int, clinic_name: str) -> str:
    if description:
        return f"{description} (portfolio photo {number} from {clinic_name})"[:200]
    return f"Portfolio photo {number} from {clinic_name}"[:200]


def _free_slug(name: str, city: City | None) -> str:
    """The name's slug, numbered when another clinic in the city already has it."""
    base = slugify(name)[:150] or "clinic"
    if city is None:
        return base  # checked again when staff choose the city
    taken = set(
        Clinic.objects.filter(city=city, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
