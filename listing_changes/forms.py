from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from clinics.models import (
    DESCRIPTION_MAX,
    Artist,
    Clinic,
    ClinicClosure,
    ClinicPhoto,
    Language,
    Service,
)
from common.forms import PHOTO_ACCEPT, has_control_characters
from common.photos import PhotoRejected, check_decode_cost, display_name, inspect_upload
from common.validators import NAME_LANGUAGES

CONTROL_MESSAGE = gettext_lazy("Please remove the invisible control characters from this text.")


class _TextChecked:
    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, CONTROL_MESSAGE)
        return data


class PracticalForm(_TextChecked, forms.ModelForm):
    """What a clinic changes at once: when it is open, how it consults, its languages."""

    class Meta:
        model = Clinic
        fields = ["opening_hours", "consults_in_person", "consults_online", "languages"]
        widgets = {"languages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = Language.objects.order_by("name")
        self.fields["languages"].required = False


# Whole labels per language (a language's name inside a sentence changes with the
# sentence in German, Spanish and French).
SUMMARY_IN = {
    "en": gettext_lazy("Summary in English"),
    "de": gettext_lazy("Summary in German"),
    "es": gettext_lazy("Summary in Spanish"),
    "fr": gettext_lazy("Summary in French"),
}
DESCRIPTION_IN = {
    "en": gettext_lazy("Description in English"),
    "de": gettext_lazy("Description in German"),
    "es": gettext_lazy("Description in Spanish"),
    "fr": gettext_lazy("Description in French"),
}


class AboutForm(_TextChecked, forms.ModelForm):
    """What staff check before it shows: who the clinic says it is and how it describes
    itself, in its own language and, if it likes, in the site's other languages (one
    summary and one description field per language, `summary_de`…, kept on the clinic as
    `summary_translations` and `description_translations`)."""

    class Meta:
        model = Clinic
        fields = ["name", "address", "website", "text_language", "summary", "description"]
        labels = {
            "name": gettext_lazy("Clinic name"),
            "address": gettext_lazy("Address"),
            "website": gettext_lazy("Website"),
            "text_language": gettext_lazy("Language of your summary and description"),
            "summary": gettext_lazy("Summary"),
            "description": gettext_lazy("Description"),
        }
        widgets = {
            "summary": forms.TextInput(attrs={"maxlength": 240}),
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        }
        help_texts = {
            "summary": gettext_lazy(
                "One sentence for your card in lists (240 characters at most)."
            ),
            "description": gettext_lazy(
                "Your clinic, your approach and what clients can expect (5,000 characters at most)."
            ),
        }

    DESCRIPTION_MAX = DESCRIPTION_MAX
    # What the record of a change (ListingChange.changes) keeps besides Meta.fields.
    TRANSLATED = ("summary_translations", "description_translations")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_language"].help_text = _(
            "The language of the summary and description just below. You may also write them "
            "in the site’s other languages, further down: visitors then read them in their own."
        )
        # What the clinic asked for last (a pending change) comes in `initial`.
        summaries = self.initial.get("summary_translations", self.instance.summary_translations)
        descriptions = self.initial.get(
            "description_translations", self.instance.description_translations
        )
        self.languages = []
        for code in NAME_LANGUAGES:  # two letters, as the clinic's translations key them
            name = get_language_info(code)["name_translated"]
            summary = forms.CharField(
                label=SUMMARY_IN[code],
                required=False,
                max_length=240,
                initial=(summaries or {}).get(code, ""),
                widget=forms.TextInput(attrs={"maxlength": 240, "lang": code}),
            )
            description = forms.CharField(
                label=DESCRIPTION_IN[code],
                required=False,
                initial=(descriptions or {}).get(code, ""),
                widget=forms.Textarea(
                    attrs={"rows": 6, "maxlength": DESCRIPTION_MAX, "lang": code}
                ),
            )
            self.fields[f"summary_{code}"] = summary
            self.fields[f"description_{code}"] = description
            self.languages.append((code, name))

    def translation_fields(self):
        """Each language's name with its two bound fields, for the template."""
        return [
            (code, name, self[f"summary_{code}"], self[f"description_{code}"])
            for code, name in self.languages
        ]

    def _check_length(self, text: str, field: str) -> None:
        if len(text) > self.DESCRIPTION_MAX:
            self.add_error(
                field,
                _("Please keep the description to %(most)s characters (it has %(count)s).")
                % {"most": f"{self.DESCRIPTION_MAX:,}", "count": f"{len(text):,}"},
            )

    def clean_description(self) -> str:
        text = self.cleaned_data["description"]
        self._check_length(text, "description")
        return text

    def clean(self):
        data = super().clean()
        own = (data.get("text_language") or "")[:2]
        summaries, descriptions = {}, {}
        for code, _name in self.languages:
            summary = (data.get(f"summary_{code}") or "").strip()
            description = (data.get(f"description_{code}") or "").strip()
            if code == own and (summary or description):
                message = _(
                    "This is the language of your text above: please write it there, or "
                    "choose the language you wrote it in."
                )
                self.add_error(f"summary_{code}" if summary else f"description_{code}", message)
                continue
            self._check_length(description, f"description_{code}")
            if summary:
                summaries[code] = summary
            if description:
                descriptions[code] = description
        data["summary_translations"] = summaries
        data["description_translations"] = descriptions
        return data


class PauseForm(forms.Form):
    class Choice:
        TAKE = "take"
        PAUSE = "pause"

    state = forms.ChoiceField(
        label=gettext_lazy("Requests"),
        choices=[
            (Choice.TAKE, gettext_lazy("Take requests")),
            (Choice.PAUSE, gettext_lazy("Pause requests")),
        ],
        widget=forms.RadioSelect,
    )
    resume_on = forms.DateField(
        label=gettext_lazy("Take requests again on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leave empty to pause until you take requests again here."),
    )

    def clean(self):
        data = super().clean()
        resume_on = data.get("resume_on")
        if data.get("state") == self.Choice.PAUSE and resume_on is not None:
            today = timezone.localdate()
            if resume_on <= today:
                self.add_error("resume_on", _("Choose a date after today."))
            elif resume_on > today + timedelta(days=365):
                self.add_error("resume_on", _("Choose a date within a year."))
        return data


class ClosureForm(_TextChecked, forms.ModelForm):
    class Meta:
        model = ClinicClosure
        fields = ["first_day", "last_day", "note"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "first_day": gettext_lazy("First day closed"),
            "last_day": gettext_lazy("Last day closed"),
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The last day can’t be before the first."))
            elif last < timezone.localdate():
                self.add_error("last_day", _("These days are over already."))
            elif last > first + timedelta(days=366):
                self.add_error("last_day", _("A closure is a year at the most."))
        return data


class ServicesForm(_TextChecked, forms.ModelForm):
    """What the clinic offers and its price range (in its currency)."""

    class Meta:
        model = Clinic
        fields = ["services", "price_from", "price_to"]
        widgets = {"services": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.order_by("order", "name")
        self.fields["services"].required = False
        currency = self.instance.currency
        self.fields["price_from"].label = _("Prices from (%(currency)s)") % {"currency": currency}
        self.fields["price_to"].label = _("Prices up to (%(currency)s)") % {"currency": currency}
        for name in ("price_from", "price_to"):
            self.fields[name].widget.attrs.update(min=0, step=1, inputmode="numeric")


class ArtistForm(_TextChecked, forms.ModelForm):
    """An artist's name, bio and first year (published at once; a new artist waits)."""

    BIO_MAX = 2000

    class Meta:
        model = Artist
        fields = ["name", "bio", "since_year"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        labels = {"since_year": gettext_lazy("Doing SMP since (year)")}

    def clean_bio(self) -> str:
        bio = self.cleaned_data["bio"]
        if len(bio) > self.BIO_MAX:
            raise forms.ValidationError(
                _("Please keep the bio to %(most)s characters (it has %(count)s).")
                % {"most": f"{self.BIO_MAX:,}", "count": f"{len(bio):,}"}
            )
        return bio


class PhotoField(forms.FileField):
    """One photo, checked as a client's are (type, size, pixels, damage) and for what
    sanitising it would cost, before anything is stored. The upload cap
    (common/decorators.py: photo_form) has dropped a file over PHOTO_MAX_BYTES already:
    the form names it from `refused_files`."""

    widget = forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT})
    default_error_messages = {"required": gettext_lazy("Please choose a photo.")}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            inspect_upload(upload)
            check_decode_cost(upload)
        except PhotoRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class _PhotoUpload(_TextChecked, forms.Form):
    def __init__(self, *args, refused_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_files = list(refused_files)

    def clean(self):
        data = super().clean()
        for name in self.refused_files:
            self.add_error(None, PhotoRejected("too_large", display_name(name)).args[0])
        return data


class GalleryPhotoForm(_PhotoUpload):
    """A photo of the clinic's work (or of its studio) for its gallery. It waits for staff,
    who see it with what copy detection found; it shows once they approve."""

    photo = PhotoField(label=gettext_lazy("Photo"))
    stage = forms.ChoiceField(
        label=gettext_lazy("What it shows"), choices=ClinicPhoto.Stage.choices
    )
    artist = forms.ModelChoiceField(
        label=gettext_lazy("Whose work it is"),
        queryset=Artist.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave it empty for a photo of the studio."),
    )
    months_healed = forms.IntegerField(
        label=gettext_lazy("Months since the last session"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=gettext_lazy("For healed results only."),
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Describe the photo"),
        max_length=200,
        error_messages={"required": gettext_lazy("Please describe the photo in a few words.")},
        help_text=gettext_lazy(
            "What it shows, for people who can’t see it (200 characters at most)."
        ),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The client shown agreed in writing that this photo may be published on this "
            "site (for the studio: everyone in the picture did)."
        ),
        error_messages={
            "required": gettext_lazy(
                "We publish a photo only with the written consent of the person shown."
            )
        },
    )

    def __init__(self, *args, artists=None, **kwargs):
        super().__init__(*args, **kwargs)
        artist = self.fields["artist"]
        artist.queryset = artists if artists is not None else Artist.objects.none()
        # Required for every stage but the studio: not labelled "optional"
        # (templates/jinja2/includes/form_field.html reads `required_unless`).
        artist.required_unless = "studio"

    def clean(self):
        data = super().clean()
        stage, months = data.get("stage"), data.get("months_healed")
        if months is not None and stage != ClinicPhoto.Stage.HEALED:
            self.add_error(
                "months_healed", _("Months since the last session go with healed results.")
            )
        if stage and stage != ClinicPhoto.Stage.STUDIO and data.get("artist") is None:
            self.add_error("artist", _("Choose the artist whose work the photo shows."))
        return data


class PortraitForm(_PhotoUpload):
    photo = PhotoField(label=gettext_lazy("New portrait"))
