from django import forms
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from common.forms import EmailAddressField


class SignInForm(forms.Form):
    email = EmailAddressField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"required": _("Please enter your email address.")},
    )


class InviteForm(forms.Form):
    email = EmailAddressField(
        label=_("Their email address"),
        max_length=254,
        error_messages={"required": _("Please enter the address to invite.")},
    )
    role = forms.ChoiceField(
        label=_("What they can do"),
        choices=[
            ("artist", _("Artist: sees and answers the clinic's requests")),
            ("owner", _("Owner: everything, including the listing and this team")),
        ],
        widget=forms.RadioSelect,
        initial="artist",
    )


class PasswordSignInForm(forms.Form):
    email = EmailAddressField(label=_("Email address"), max_length=254)
    password = forms.CharField(
        label=_("Password"), strip=False, max_length=200, widget=forms.PasswordInput
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "")


class EmailLanguageForm(forms.ModelForm):
    """The owner's choice of the language the site writes to the clinic in."""

    class Meta:
        model = Clinic
        fields = ["language"]
        labels = {"language": _("Language of our emails")}
        help_texts = {
            "language": _(
                "Quote requests, reminders and every other email we send to your clinic "
                "and its team are written in it."
            )
        }
