from typing import cast

from django import forms
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinics.forms import grouped_city_choices
from clinics.models import City, Clinic
from common.forms import (
    EmailAddressField,
    PhotosField,
    PhotoUploadForm,
    files_removed_on_error,
    save_upload,
)

from .models import QuotePhoto, QuoteRequest


class QuoteForm(PhotoUploadForm, forms.ModelForm):
    """The quick-quote form, on a clinic's profile (clinic given) or at /quote/ (city chosen)."""

    city = forms.TypedChoiceField(
        label=gettext_lazy("Your city"),
        coerce=int,
        error_messages={"required": gettext_lazy("Please choose your city.")},
    )
    clinic = forms.ModelChoiceField(
        queryset=Clinic.objects.listed(), required=False, widget=forms.HiddenInput
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Who should send you a quote?"),
        choices=QuoteRequest.Mode.choices,
        widget=forms.RadioSelect,
        initial=QuoteRequest.Mode.SINGLE,
    )
    photos = PhotosField(
        label=gettext_lazy("Photos of your hair loss"),
        help_text=gettext_lazy(
            "1 to 5 photos (JPG, PNG or iPhone HEIC), up to 15 MB each. "
            "Top, front and sides help most."
        ),
    )
    # Lazy: translated when the error is raised, in the visitor's language.
    no_photo_message = gettext_lazy("Please add at least one photo of your hair loss.")
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that my details and photos are sent to the artists I chose, "
            "only so they can reply with a quote."
        ),
        error_messages={
            "required": gettext_lazy("Please tick this box so we can send your request.")
        },
    )

    class Meta:
        model = QuoteRequest
        fields = ["name", "email", "phone", "city", "clinic", "mode", "message"]
        field_classes = {"email": EmailAddressField}
        labels = {
            "name": gettext_lazy("Your name"),
            "email": gettext_lazy("Your email address"),
            "phone": gettext_lazy("Phone"),
            "message": gettext_lazy("Anything the artist should know"),
        }
        help_texts = {
            "email": gettext_lazy("Artists reply to this address. It is never shown publicly.")
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "message": forms.Textarea(
                attrs={
                    "rows": 4,
                    "maxlength": 2000,
                    "placeholder": gettext_lazy(
                        "For example: how long you have been losing hair, "
                        "the look you want, scars to cover."
                    ),
                }
            ),
        }

    def __init__(self, *args, clinic: Clinic | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            _(
                "Nobody else sees them, and you can erase everything at any time: see our "
                '<a href="{privacy_url}">privacy policy</a> and <a href="{terms_url}">terms</a>.'
            ),
            privacy_url=reverse("pages:privacy"),
            terms_url=reverse("pages:terms"),
        )
        if clinic is None and self.is_bound:
            clinic = self._posted_clinic()
        self.for_clinic = clinic
        city_field = cast(forms.TypedChoiceField, self.fields["city"])
        if clinic is not None:
            # On a profile the city is the clinic's; no city list is needed.
            city = clinic.placed_city
            self._cities = {city.pk: city}
            city_field.choices = [(city.pk, city.local_name)]
            city_field.widget = forms.HiddenInput()
            self.initial.update(city=city.pk, clinic=clinic.pk)
            mode_field = cast(forms.ChoiceField, self.fields["mode"])
            if clinic.takes_requests:
                mode_field.choices = [
                    (QuoteRequest.Mode.SINGLE, _("Only %(clinic)s") % {"clinic": clinic.name}),
                    (
                        QuoteRequest.Mode.CITY,
                        _("Every approved artist in %(city)s") % {"city": city.local_name},
                    ),
                ]
            else:
                # Offer only what the clinic accepts: the city's other artists.
                mode_field.widget = forms.HiddenInput()
                self.initial["mode"] = QuoteRequest.Mode.CITY
        else:
            self._cities = {city.pk: city for city in City.objects.with_listed_clinics()}
            city_field.choices = grouped_city_choices(self._cities.values(), _("Choose your city…"))
            self.fields["mode"].widget = forms.HiddenInput()
            self.initial["mode"] = QuoteRequest.Mode.CITY
        city_field.error_messages["invalid_choice"] = _("Please choose a city from the list.")

    def _posted_clinic(self) -> Clinic | None:
        value = self.data.get("clinic")
        if not value or not str(value).isdigit():
            return None
        return Clinic.objects.listed().select_related("city").filter(pk=value).first()

    def clean_city(self) -> City:
        return self._cities[self.cleaned_data["city"]]

    def clean(self):
        data = super().clean()
        clinic, mode = data.get("clinic"), data.get("mode")
        if mode == QuoteRequest.Mode.SINGLE:
            if clinic is None:
                data["mode"] = QuoteRequest.Mode.CITY
            elif not clinic.takes_requests:
                # It stopped taking requests after this page was shown: never send the
                # request to others without asking.
                self.add_error(
                    None,
                    _(
                        "%(clinic)s has just stopped taking requests online, so we haven’t "
                        "sent yours. You can send it to the other approved artists in "
                        "%(city)s instead."
                    )
                    % {"clinic": clinic.name, "city": clinic.placed_city.local_name},
                )
        return data

    @property
    def photos_were_sent(self) -> bool:
        """Photos came with this post (so the client must choose them again on an error)."""
        return bool(self.files.getlist("photos")) or bool(self.refused_files)

    def save_request(self, *, ip_hash: str, stored: list[str] | None = None) -> QuoteRequest:
        """Store the request and its photos together, or nothing at all.

        The stored files' names are added to `stored` too, for a caller whose own
        transaction around this one may still fail (at its commit) and must delete them."""
        quote = self.save(commit=False)
        quote.consent_at = timezone.now()
        quote.form_nonce = self.submission_key()
        quote.ip_hash = ip_hash
        storage = QuotePhoto._meta.get_field("file").storage
        outer = stored
        with files_removed_on_error(storage) as stored, transaction.atomic():
            quote.save()
            for upload, info in self.photo_infos:
                photo = QuotePhoto(
                    quote=quote,
                    width=info.width,
                    height=info.height,
                    bytes=upload.size or 0,
                    format=info.format,
                )
                extension = "png" if info.format == "PNG" else "jpg"
                save_upload(photo.file, f"upload.{extension}", File(upload), stored)
                if outer is not None:
                    outer.append(photo.file.name)
                photo.save()
        return quote
