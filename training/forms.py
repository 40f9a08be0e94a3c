"""The seat enquiry form, the organiser's seat form, and the filters of /training/."""

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clinics.models import Clinic
from clinics.text import fold
from common.forms import PUBLIC_FORM_RENDERER, EmailAddressField, SpamCheckedForm

from .models import Enquiry, Level, Topic, TrainingClass


class EnquiryForm(SpamCheckedForm, forms.ModelForm):
    """An artist asks the organiser for a seat (or, once the class is full, the waiting list)."""

    class Meta:
        model = Enquiry
        fields = ["name", "email", "clinic_name", "experience", "message"]
        field_classes = {"email": EmailAddressField}
        labels = {
            "name": _("Your name"),
            "email": _("Your email address"),
            "clinic_name": _("Your clinic or studio"),
            "experience": _("Your SMP experience"),
            "message": _("Message to the organiser"),
        }
        help_texts = {
            "email": _("The organiser replies to this address. It is never shown on the site."),
            "clinic_name": _("If it is listed here, the organiser gets a link to its profile."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "clinic_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "message": forms.Textarea(
                attrs={
                    "rows": 4,
                    "maxlength": 1500,
                    "placeholder": _("For example: what you hope to learn, dates that suit you."),
                }
            ),
        }

    def __init__(self, *args, training_class: TrainingClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_class = training_class
        experience = self.fields["experience"]
        assert isinstance(experience, forms.TypedChoiceField)
        experience.choices = [("", gettext("Choose…")), *Enquiry.Experience.choices]
        experience.error_messages["required"] = gettext(
            "Please tell the organiser your experience."
        )
        self.fields["name"].error_messages["required"] = gettext("Please give your name.")
        self.fields["email"].error_messages["required"] = gettext("Please give your email address.")

    def _listed_clinic(self, name: str) -> Clinic | None:
        """The listed clinic of that name, when exactly one has it."""
        folded = fold(name)
        if not folded:
            return None
        matches = list(Clinic.objects.listed().filter(search_name=folded)[:2])
        return matches[0] if len(matches) == 1 else None

    def earlier_enquiry(self) -> Enquiry | None:
        """The enquiry this form's token already made (posted again), if any."""
        return Enquiry.objects.filter(submission_key=self.submission_key()).first()

    def save_enquiry(self, *, ip_hash: str, held_reason: str = "") -> tuple[Enquiry, bool]:
        """Store the enquiry and its two emails once; (enquiry, created). With a
        `held_reason` it is stored and held: no email until staff release it.

        The same form posted again, or twice at once, finds the enquiry the first one made.
        """
        existing = self.earlier_enquiry()
        if existing is not None:
            return existing, False
        key = self.submission_key()
        enquiry = self.save(commit=False)
        enquiry.training_class = self.training_class
        enquiry.clinic = self._listed_clinic(enquiry.clinic_name)
        enquiry.waiting_list = self.training_class.is_full
        enquiry.submission_key = key
        enquiry.ip_hash = ip_hash
        enquiry.held_reason = held_reason
        try:
            with transaction.atomic():
                enquiry.save()
                if not held_reason:
                    enquiry.send_emails()
        except IntegrityError:
            # Posted twice at once: the other post stored it (and its emails).
            return Enquiry.objects.get(submission_key=key), False
        return enquiry, True


class SeatsForm(forms.Form):
    """The organiser's count of seats taken."""

    seats_taken = forms.IntegerField(label=_("Seats taken"), min_value=0)

    def __init__(self, *args, training_class: TrainingClass, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["seats_taken"]
        assert isinstance(field, forms.IntegerField)
        field.max_value = training_class.seats
        field.help_text = gettext(
            "Out of %(seats)s. When all are taken, artists can still join a waiting list."
        ) % {"seats": training_class.seats}
        field.widget.attrs.update(min=0, max=training_class.seats)
        field.validators.append(_at_most(training_class.seats))
        self.initial.setdefault("seats_taken", training_class.seats_taken)


def _at_most(seats: int):
    # A validator of its own: setting max_value after the field was built changes only
    # the widget (see DESIGN.md), not the check.
    def check(value: int) -> None:
        if value is not None and value > seats:
            raise forms.ValidationError(
                gettext("The class has %(seats)s seats: enter at most %(seats)s.")
                % {"seats": seats}
            )

    return check


class ClassFilterForm(forms.Form):
    """The filters of the upcoming list; every value is optional and checked."""

    default_renderer = PUBLIC_FORM_RENDERER

    FORMATS = [
        ("", _("In person and online")),
        ("in-person", _("In person")),
        ("online", _("Online")),
    ]

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    format = forms.ChoiceField(label=_("Where"), required=False, choices=FORMATS)

    def __init__(
        self,
        *args,
        country_codes: list[str],
        topics: set[str] | None = None,
        levels: set[str] | None = None,
        formats: set[str] | None = None,
        **kwargs,
    ):
        """Topics, levels and formats offered are those of classes listed (None: all), so
        no choice can only give an empty list; one asked for stays (a link says it has none)."""
        super().__init__(*args, **kwargs)

        def offered(name: str, values: set[str] | None) -> set[str] | None:
            return None if values is None else values | {self.data.get(name, "")}

        topic_choices = _among(Topic.choices, offered("topic", topics))
        self._set_choices("topic", [("", gettext("All topics")), *topic_choices])
        self._set_choices(
            "level", [("", gettext("All levels")), *_among(Level.choices, offered("level", levels))]
        )
        formats_offered = _among(self.FORMATS[1:], offered("format", formats))
        self._set_choices("format", [self.FORMATS[0], *formats_offered])
        named = sorted(((code, str(countries.name(code))) for code in country_codes), key=_name)
        self._set_choices("country", [("", gettext("All countries")), *named])

    def _set_choices(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filter(self, classes):
        """The classes that match; a value that is not a choice (an old link) is ignored."""
        if not self.is_bound:
            return classes
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        if data["topic"]:
            classes = classes.filter(topic=data["topic"])
        if data["level"]:
            classes = classes.filter(level=data["level"])
        if data["country"]:
            classes = classes.filter(event__online=False, event__city__country=data["country"])
        if data["format"]:
            classes = classes.filter(event__online=data["format"] == "online")
        return classes

    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


def _among(choices, values: set[str] | None) -> list:
    return [(value, label) for value, label in choices if values is None or value in values]


def _name(pair: tuple[str, str]) -> str:
    return pair[1]
