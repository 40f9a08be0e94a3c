from datetime import timedelta

from django import forms
from django.utils import timezone

from clinics.models import Artist, Clinic, ClinicClosure, Language, Service
from common.forms import has_control_characters

CONTROL_MESSAGE = "Please remove the invisible control characters from this text."


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


class AboutForm(_TextChecked, forms.ModelForm):
    """What staff check before it shows: who the clinic says it is and how it describes
    itself."""

    class Meta:
        model = Clinic
        fields = ["name", "address", "website", "summary", "description"]
        labels = {"name": "Clinic name", "address": "Address", "website": "Website"}
        widgets = {
            "summary": forms.TextInput(attrs={"maxlength": 240}),
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        }
        help_texts = {
            "summary": "One sentence for your card in lists (240 characters at most).",
            "description": "Your clinic, your approach and what clients can expect "
            "(5,000 characters at most).",
        }

    DESCRIPTION_MAX = 5000

    def clean_description(self) -> str:
        text = self.cleaned_data["description"]
        if len(text) > self.DESCRIPTION_MAX:
            raise forms.ValidationError(
                f"Please keep the description to {self.DESCRIPTION_MAX:,} characters "
                f"(it has {len(text):,})."
            )
        return text


class PauseForm(forms.Form):
    class Choice:
        TAKE = "take"
        PAUSE = "pause"

    state = forms.ChoiceField(
        label="Requests",
        choices=[(Choice.TAKE, "Take requests"), (Choice.PAUSE, "Pause requests")],
        widget=forms.RadioSelect,
    )
    resume_on = forms.DateField(
        label="Take requests again on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to pause until you take requests again here.",
    )

    def clean(self):
        data = super().clean()
        resume_on = data.get("resume_on")
        if data.get("state") == self.Choice.PAUSE and resume_on is not None:
            today = timezone.localdate()
            if resume_on <= today:
                self.add_error("resume_on", "Choose a date after today.")
            elif resume_on > today + timedelta(days=365):
                self.add_error("resume_on", "Choose a date within a year.")
        return data


class ClosureForm(_TextChecked, forms.ModelForm):
    class Meta:
        model = ClinicClosure
        fields = ["first_day", "last_day", "note"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"first_day": "First day closed", "last_day": "Last day closed"}

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", "The last day can’t be before the first.")
            elif last < timezone.localdate():
                self.add_error("last_day", "These days are over already.")
            elif last > first + timedelta(days=366):
                self.add_error("last_day", "A closure is a year at the most.")
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
        self.fields["price_from"].label = f"Prices from ({currency})"
        self.fields["price_to"].label = f"Prices up to ({currency})"
        for name in ("price_from", "price_to"):
            self.fields[name].widget.attrs.update(min=0, step=1, inputmode="numeric")


class ArtistForm(_TextChecked, forms.ModelForm):
    """An artist's name, bio and first year (published at once; a new artist waits)."""

    BIO_MAX = 2000

    class Meta:
        model = Artist
        fields = ["name", "bio", "since_year"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        labels = {"since_year": "Doing SMP since (year)"}

    def clean_bio(self) -> str:
        bio = self.cleaned_data["bio"]
        if len(bio) > self.BIO_MAX:
            raise forms.ValidationError(
                f"Please keep the bio to {self.BIO_MAX:,} characters (it has {len(bio):,})."
            )
        return bio
